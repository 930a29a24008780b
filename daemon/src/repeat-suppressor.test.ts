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
    at(2500);
    expect(suppressor.accept('r1', 'A')).toBe(true);
  });

  it('never suppresses another card or another reader', () => {
    const { suppressor } = withClock(1000);
    expect(suppressor.accept('r1', 'A')).toBe(true);
    expect(suppressor.accept('r1', 'B')).toBe(true);
    expect(suppressor.accept('r2', 'B')).toBe(true);
    expect(suppressor.accept('r1', 'A')).toBe(true);
  });

  it('suppresses nothing with a zero window, and names a bad window', () => {
    const { suppressor } = withClock(0);
    expect(suppressor.accept('r1', 'A')).toBe(true);
    expect(suppressor.accept('r1', 'A')).toBe(true);
    expect(() => new RepeatSuppressor(-1)).toThrow(/"windowMs"/);
  });

  it('passes a read exactly when the previous read on that reader was another card or long enough ago', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.constantFrom('r1', 'r2'),
            fc.constantFrom('A', 'B'),
            fc.integer({ min: 0, max: 2000 }),
          ),
        ),
        (reads) => {
          const { suppressor, at } = withClock(1000);
          let t = 0;
          const last = new Map<string, { card: string; t: number }>();
          for (const [reader, card, gap] of reads) {
            t += gap;
            at(t);
            const previous = last.get(reader);
            const expected = !(previous && previous.card === card && t - previous.t < 1000);
            expect(suppressor.accept(reader, card)).toBe(expected);
            last.set(reader, { card, t });
          }
        },
      ),
    );
  });
});
