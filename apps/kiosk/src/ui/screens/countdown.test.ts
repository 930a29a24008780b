import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { secondsLeft } from './countdown.ts';

describe('secondsLeft', () => {
  it('counts whole seconds down, rounding up', () => {
    expect([0, 1, 999, 1_000, 1_001, 3_999].map((elapsed) => secondsLeft(4_000, elapsed))).toEqual([
      4, 4, 4, 3, 3, 1,
    ]);
  });

  it('says 1 s, never 0 or less, until the retry happens', () => {
    expect(secondsLeft(2_000, 2_000)).toBe(1);
    expect(secondsLeft(2_000, 60_000)).toBe(1);
  });

  it('never grows as time passes, and starts at the whole wait', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 600_000 }),
        fc.nat(700_000),
        fc.nat(700_000),
        (delay, a, b) => {
          const [earlier, later] = a <= b ? [a, b] : [b, a];
          expect(secondsLeft(delay, later)).toBeLessThanOrEqual(secondsLeft(delay, earlier));
          expect(secondsLeft(delay, 0)).toBe(Math.max(1, Math.ceil(delay / 1000)));
        },
      ),
    );
  });
});
