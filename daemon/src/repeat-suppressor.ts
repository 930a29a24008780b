/**
 * Readers repeat a card for as long as it stays in the field. A card seen again on the same
 * reader within `windowMs` of its previous sighting is suppressed; the window slides with every
 * sighting, so a card held in the field is reported once. Cards are tracked one by one, so two
 * cards alternating in the field (anticollision) are not reported over and over either. Another
 * card, or the same card on another reader, always passes. `windowMs = 0` suppresses nothing.
 */
export class RepeatSuppressor {
  /** readerId → cardId → when it was last seen. */
  private readonly lastSeen = new Map<string, Map<string, number>>();

  /**
   * @param now Milliseconds on a clock that never goes back. The default is monotonic on
   *   purpose: a wall clock set back (NTP at boot) would otherwise suppress a card for as long.
   */
  constructor(
    private readonly windowMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!Number.isFinite(windowMs) || windowMs < 0) {
      throw new RangeError(`"windowMs" must be a number ≥ 0 (got ${String(windowMs)})`);
    }
  }

  /** True when this read should be published. */
  accept(readerId: string, cardId: string): boolean {
    if (this.windowMs === 0) return true;
    const at = this.now();
    let cards = this.lastSeen.get(readerId);
    if (!cards) this.lastSeen.set(readerId, (cards = new Map()));
    // Forget cards whose window has passed: the map holds only what can still be suppressed.
    for (const [seen, seenAt] of cards) if (at - seenAt >= this.windowMs) cards.delete(seen);
    const suppressed = cards.has(cardId);
    cards.set(cardId, at);
    return !suppressed;
  }
}
