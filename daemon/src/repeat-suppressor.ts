/**
 * Readers repeat a card for as long as it stays in the field. The same card on the same reader
 * is reported once; it is reported again only after `windowMs` without seeing it (the window
 * slides with every repeat). A different card, or the same card on another reader, always passes.
 */
export class RepeatSuppressor {
  private readonly lastSeen = new Map<string, { cardId: string; at: number }>();

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number = () => Date.now(),
  ) {
    if (!Number.isFinite(windowMs) || windowMs < 0) {
      throw new RangeError('"windowMs" must be a number ≥ 0');
    }
  }

  /** True when this read should be published. */
  accept(readerId: string, cardId: string): boolean {
    const at = this.now();
    const previous = this.lastSeen.get(readerId);
    this.lastSeen.set(readerId, { cardId, at });
    return !(
      this.windowMs > 0 &&
      previous !== undefined &&
      previous.cardId === cardId &&
      at - previous.at < this.windowMs
    );
  }
}
