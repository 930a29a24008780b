import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RepeatSuppressor } from './repeat-suppressor.ts';

describe('RepeatSuppressor', () => {
  const withClock = (windowMs: number) => {
    let now = 0;
    const suppressor = new RepeatSuppressor(windowMs, () => now);
    return { suppressor, at: (t: number) => (now = t) };
  };

  it('reports a card held in the field once, and again after a quiet window', () => {
    const { suppressor, at } = withClock(1000);
    expect(suppressor.accept('r1', 'A')).toBe(true);
    at(600);
    expect(suppressor.accept('r1', 'A')).toBe(false);
    at(1500); // 900 ms after the last repeat: the window slides
    expect(suppressor.accept('r1', 'A')).toBe(false);
    at(2499);
    expect(suppressor.accept('r1', 'A')).toBe(false);
    at(3499); // exactly one window after the last sighting
    expect(suppressor.accept('r1', 'A')).toBe(true);
  });

  it('never suppresses another card or the same card on another reader', () => {
    const { suppressor } = withClock(1000);
    expect(suppressor.accept('r1', 'A')).toBe(true);
    expect(suppressor.accept('r1', 'B')).toBe(true);
    expect(suppressor.accept('r2', 'A')).toBe(true);
    expect(suppressor.accept('r2', 'B')).toBe(true);
  });

  it('suppresses each of two cards alternating in the field', () => {
    const { suppressor, at } = withClock(1000);
    expect(suppressor.accept('r1', 'A')).toBe(true);
    at(100);
    expect(suppressor.accept('r1', 'B')).toBe(true);
    at(200);
    expect(suppressor.accept('r1', 'A')).toBe(false);
    at(300);
    expect(suppressor.accept('r1', 'B')).toBe(false);
  });

  it('suppresses nothing with a zero window, and names a bad window', () => {
    const { suppressor } = withClock(0);
    expect(suppressor.accept('r1', 'A')).toBe(true);
    expect(suppressor.accept('r1', 'A')).toBe(true);
    expect(() => new RepeatSuppressor(-1)).toThrow(/"windowMs"/);
    expect(() => new RepeatSuppressor(Number.NaN)).toThrow(/"windowMs"/);
  });

  it('passes a read exactly when that card was not seen on that reader within the window', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1500 }),
        fc.array(
          fc.tuple(
            fc.constantFrom('r1', 'r2'),
            fc.constantFrom('A', 'B', 'C'),
            fc.integer({ min: 0, max: 2000 }),
          ),
        ),
        (windowMs, reads) => {
          const { suppressor, at } = withClock(windowMs);
          let t = 0;
          const lastSeen = new Map<string, number>();
          for (const [reader, card, gap] of reads) {
            t += gap;
            at(t);
            const previous = lastSeen.get(`${reader}/${card}`);
            const expected = previous === undefined || t - previous >= windowMs;
            expect(suppressor.accept(reader, card)).toBe(expected);
            lastSeen.set(`${reader}/${card}`, t);
          }
        },
      ),
    );
  });
});
