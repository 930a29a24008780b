import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isWeakPin, minimumPinLength, normalizeOtp } from './credentials.ts';

describe('minimumPinLength', () => {
  it('keeps one random guess at or below 1 in 10,000 for the number of users', () => {
    expect(minimumPinLength(0, 4)).toBe(4);
    expect(minimumPinLength(1, 4)).toBe(4);
    expect(minimumPinLength(2, 4)).toBe(5);
    expect(minimumPinLength(10, 4)).toBe(5);
    expect(minimumPinLength(11, 4)).toBe(6);
    expect(minimumPinLength(100_000, 4)).toBe(9);
    expect(minimumPinLength(1, 8)).toBe(8);
  });

  it('is the shortest length that satisfies the bound', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 4, max: 8 }),
        (users, floor) => {
          const length = minimumPinLength(users, floor);
          expect(users / 10 ** length).toBeLessThanOrEqual(1e-4);
          if (length > floor) expect(users / 10 ** (length - 1)).toBeGreaterThan(1e-4);
        },
      ),
    );
  });
});

describe('isWeakPin', () => {
  it.each(['0000', '1111', '1234', '4321', '7890', '0987', '121212', '123123', '12341234'])(
    'refuses %s',
    (pin) => expect(isWeakPin(pin)).toBe(true),
  );
  it.each(['1358', '2804', '907214', '1232', '55512'])('accepts %s', (pin) =>
    expect(isWeakPin(pin)).toBe(false),
  );
});

describe('normalizeOtp', () => {
  it('ignores case, spaces and dashes people type', () => {
    expect(normalizeOtp(' abcde-fghjk ')).toBe('ABCDEFGHJK');
  });
});
