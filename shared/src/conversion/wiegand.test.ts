import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convert } from './index.ts';

// Encoders written the way the Proxmark3 client packs these formats (client/src/wiegand_formats.c,
// Pack_H10301 and Pack_C1k35s): 32-bit words and parity masks, independent of the decoder's
// bit-position formulation.
const popcount = (x: number): number => {
  let n = 0;
  for (let v = x >>> 0; v !== 0; v >>>= 1) n += v & 1;
  return n;
};
const evenparity32 = (x: number) => popcount(x) % 2;
const oddparity32 = (x: number) => 1 - (popcount(x) % 2);

function packH10301(facility: number, card: number): string {
  let bot = ((card & 0xffff) << 1) | ((facility & 0xff) << 17);
  bot |= oddparity32((bot >>> 1) & 0xfff);
  bot |= evenparity32((bot >>> 13) & 0xfff) << 25;
  return (bot >>> 0).toString(2).padStart(26, '0');
}

function packC1k35s(company: number, card: number): string {
  let bot = ((card & 0xfffff) << 1) | ((company & 0x7ff) << 21);
  let mid = (company & 0x800) >>> 11;
  mid |= evenparity32((mid & 0x1) ^ (bot & 0xb6db6db6)) << 1;
  bot |= oddparity32((mid & 0x3) ^ (bot & 0x6db6db6c));
  mid |= oddparity32((mid & 0x3) ^ bot) << 2;
  return mid.toString(2).padStart(3, '0') + (bot >>> 0).toString(2).padStart(32, '0');
}

const toHex = (bits: string, digits: number) =>
  BigInt(`0b${bits}`).toString(16).toUpperCase().padStart(digits, '0');

const flip = (bits: string, at: number) =>
  bits.slice(0, at) + (bits.charAt(at) === '1' ? '0' : '1') + bits.slice(at + 1);

describe('26-bit H10301', () => {
  it('decodes a known frame', () => {
    // Facility 0, card 0: only the trailing odd parity bit is set.
    expect(packH10301(0, 0)).toBe('00000000000000000000000001');
    expect(convert('wiegand-26 card', '0000001')).toBe('0');
    // Facility 1, card 1: 0 00000001 0000000000000001 0 → first half has one 1, so parity 1.
    const frame = packH10301(1, 1);
    expect(frame).toBe('10000000100000000000000010');
    expect(convert('wiegand-26 facility bin', frame)).toBe('1');
  });

  it('round-trips facility and card through hex and binary frames', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 65535 }),
        (facility, card) => {
          const bits = packH10301(facility, card);
          expect(convert('wiegand-26 facility bin', bits)).toBe(String(facility));
          expect(convert('wiegand-26 card bin', bits)).toBe(String(card));
          expect(convert('wiegand-26 card', toHex(bits, 7))).toBe(String(card));
          expect(convert('wiegand-26 facility hex', toHex(bits, 8))).toBe(String(facility));
        },
      ),
    );
  });

  it('refuses any frame with one bit flipped: parity failure is an error, not another card', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 65535 }),
        fc.integer({ min: 0, max: 25 }),
        (facility, card, at) => {
          const corrupted = flip(packH10301(facility, card), at);
          expect(() => convert('wiegand-26 card bin', corrupted)).toThrow(
            /H10301 (even|odd) parity/,
          );
        },
      ),
    );
  });

  it('refuses frames of the wrong size', () => {
    expect(() => convert('wiegand-26 card bin', '0101')).toThrow(
      'step 1 "wiegand-26 card bin": a 26-bit frame needs 26 bits, got 4',
    );
    expect(() => convert('wiegand-26 card', 'FFFFFFF')).toThrow(
      'bits are set above the 26-bit frame: this is not a 26-bit Wiegand frame',
    );
    expect(() => convert('wiegand-26 card', '00001')).toThrow(
      'a 26-bit frame needs at least 7 hexadecimal digits, got 5',
    );
  });
});

describe('35-bit HID Corporate 1000', () => {
  it('round-trips company and card through hex and binary frames', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4095 }),
        fc.integer({ min: 0, max: 0xfffff }),
        (company, card) => {
          const bits = packC1k35s(company, card);
          expect(bits).toHaveLength(35);
          expect(convert('wiegand-35 company bin', bits)).toBe(String(company));
          expect(convert('wiegand-35 card bin', bits)).toBe(String(card));
          expect(convert('wiegand-35 card', toHex(bits, 9))).toBe(String(card));
        },
      ),
    );
  });

  it('refuses any frame with one bit flipped', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4095 }),
        fc.integer({ min: 0, max: 0xfffff }),
        fc.integer({ min: 0, max: 34 }),
        (company, card, at) => {
          const corrupted = flip(packC1k35s(company, card), at);
          expect(() => convert('wiegand-35 card bin', corrupted)).toThrow(
            /Corporate 1000 (even|odd) parity/,
          );
        },
      ),
    );
  });
});
