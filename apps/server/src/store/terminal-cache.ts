import type { TerminalRecord } from './store.ts';

/** How long a terminal found by its token hash is reused without asking the database. */
export const DEFAULT_TERMINAL_CACHE_MS = 2_000;

/**
 * Terminals found by token hash, kept for `ttlMs` (every swipe otherwise reads the same row).
 * Changes made through this instance's store call `forget()`, so they apply at once here; another
 * server instance sharing the database sees a revoked or renamed terminal within `ttlMs`.
 * Unknown tokens are never cached: guessing tokens cannot fill it, and a new terminal works at once.
 */
export class TerminalCache {
  private readonly entries = new Map<string, { terminal: TerminalRecord; until: number }>();
  /** Bumped by `forget()`: a lookup that started before it must not store what it read. */
  private generation = 0;

  constructor(
    private readonly ttlMs = DEFAULT_TERMINAL_CACHE_MS,
    private readonly maxEntries = 10_000,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  async find(
    tokenHash: string,
    load: (tokenHash: string) => Promise<TerminalRecord | undefined>,
  ): Promise<TerminalRecord | undefined> {
    if (this.ttlMs <= 0) return load(tokenHash);
    const cached = this.entries.get(tokenHash);
    if (cached && cached.until > this.clock()) return { ...cached.terminal };
    const generation = this.generation;
    const terminal = await load(tokenHash);
    if (!terminal) {
      this.entries.delete(tokenHash);
      return undefined;
    }
    if (generation === this.generation) {
      if (this.entries.size >= this.maxEntries) this.entries.clear();
      this.entries.set(tokenHash, { terminal: { ...terminal }, until: this.clock() + this.ttlMs });
    }
    return terminal;
  }

  /**
   * Records a new last-seen time in place. Not `forget()`: terminals are touched once a minute
   * each, and a site with hundreds would otherwise empty the cache several times a second. A read
   * racing with the touch may cache the older time; the worst that does is one more touch.
   */
  touched(id: number, lastSeenAt: string): void {
    for (const { terminal } of this.entries.values()) {
      if (terminal.id === id) terminal.lastSeenAt = lastSeenAt;
    }
  }

  /** Drops every cached terminal: call after any change to the terminals table. */
  forget(): void {
    this.generation++;
    this.entries.clear();
  }
}
