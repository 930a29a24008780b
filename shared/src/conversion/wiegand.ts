/**
 * Wiegand frame decoding. Bit positions are 0-based from the first bit on the wire (the most
 * significant bit of the frame). A parity failure is always an error: a misread frame must never
 * turn into somebody else's card number.
 *
 * Layouts follow HID's H10301 and Corporate 1000 (35-bit) formats as implemented in the Proxmark3
 * client (client/src/wiegand_formats.c, Pack_H10301 / Pack_C1k35s).
 */
import type { FrameEncoding } from './ast.ts';
import { fail, hexToBitString, ok, radixProblem } from './radix.ts';
import type { StepResult } from './radix.ts';

export interface H10301 {
  facility: number;
  card: number;
}

export interface Corporate1000 {
  company: number;
  card: number;
}

type Decoded<T> = { ok: true; fields: T } | { ok: false; reason: string };

/** The frame as `width` bits, or why the value is not such a frame. */
export function frameBits(value: string, encoding: FrameEncoding, width: number): Decoded<string> {
  if (encoding === 'bin') {
    const problem = radixProblem(value, 'bin');
    if (problem !== undefined) return { ok: false, reason: problem };
    if (value.length !== width) {
      return { ok: false, reason: `a ${width}-bit frame needs ${width} bits, got ${value.length}` };
    }
    return { ok: true, fields: value };
  }
  const problem = radixProblem(value, 'hex');
  if (problem !== undefined) return { ok: false, reason: problem };
  // Readers right-align the frame in whole hex digits; the padding above it must be zero.
  const bits = hexToBitString(value);
  if (bits.length < width) {
    return {
      ok: false,
      reason: `a ${width}-bit frame needs at least ${Math.ceil(width / 4)} hexadecimal digits, got ${value.length}`,
    };
  }
  const padding = bits.slice(0, bits.length - width);
  if (padding.includes('1')) {
    return {
      ok: false,
      reason: `bits are set above the ${width}-bit frame: this is not a ${width}-bit Wiegand frame`,
    };
  }
  return { ok: true, fields: bits.slice(bits.length - width) };
}

const bitAt = (bits: string, position: number): number => (bits.charAt(position) === '1' ? 1 : 0);

function onesAt(bits: string, positions: readonly number[]): number {
  return positions.reduce((sum, p) => sum + bitAt(bits, p), 0);
}

const field = (bits: string, start: number, length: number): number =>
  parseInt(bits.slice(start, start + length), 2);

const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** 26-bit H10301: even parity, 8-bit facility code, 16-bit card number, odd parity. */
export function decodeH10301(bits: string): Decoded<H10301> {
  if (bits.length !== 26)
    return { ok: false, reason: `H10301 frames have 26 bits, got ${bits.length}` };
  // Bit 0 makes bits 0-12 even; bit 25 makes bits 13-25 odd.
  if (onesAt(bits, range(0, 12)) % 2 !== 0) {
    return {
      ok: false,
      reason: 'even parity (first bit) does not match the first half of the frame',
    };
  }
  if (onesAt(bits, range(13, 25)) % 2 !== 1) {
    return {
      ok: false,
      reason: 'odd parity (last bit) does not match the second half of the frame',
    };
  }
  return { ok: true, fields: { facility: field(bits, 1, 8), card: field(bits, 9, 16) } };
}

// Corporate 1000: bit 1 is even parity over the bits 2..33 not at 3k+1; bit 34 is odd parity over
// the bits 1..33 not at 3k; bit 0 is odd parity over the whole frame. (Proxmark3 writes the same
// groups as the masks 0xB6DB6DB6 and 0x6DB6DB6C over the frame's low 32 bits.)
const C1000_EVEN_GROUP = range(2, 33).filter((p) => p % 3 !== 1);
const C1000_ODD_GROUP = range(1, 33).filter((p) => p % 3 !== 0);

/** 35-bit HID Corporate 1000: 3 parity bits, 12-bit company id, 20-bit card number. */
export function decodeCorporate1000(bits: string): Decoded<Corporate1000> {
  if (bits.length !== 35) {
    return { ok: false, reason: `Corporate 1000 frames have 35 bits, got ${bits.length}` };
  }
  if ((bitAt(bits, 1) + onesAt(bits, C1000_EVEN_GROUP)) % 2 !== 0) {
    return { ok: false, reason: 'even parity (second bit) does not match its bit group' };
  }
  if ((bitAt(bits, 34) + onesAt(bits, C1000_ODD_GROUP)) % 2 !== 1) {
    return { ok: false, reason: 'odd parity (last bit) does not match its bit group' };
  }
  if (onesAt(bits, range(0, 34)) % 2 !== 1) {
    return { ok: false, reason: 'odd parity (first bit) does not match the whole frame' };
  }
  return { ok: true, fields: { company: field(bits, 2, 12), card: field(bits, 14, 20) } };
}

export function wiegand26(value: string, field: keyof H10301, input: FrameEncoding): StepResult {
  const frame = frameBits(value, input, 26);
  if (!frame.ok) return fail(frame.reason);
  const decoded = decodeH10301(frame.fields);
  return decoded.ok ? ok(String(decoded.fields[field])) : fail(`H10301 ${decoded.reason}`);
}

export function wiegand35(
  value: string,
  field: keyof Corporate1000,
  input: FrameEncoding,
): StepResult {
  const frame = frameBits(value, input, 35);
  if (!frame.ok) return fail(frame.reason);
  const decoded = decodeCorporate1000(frame.fields);
  return decoded.ok ? ok(String(decoded.fields[field])) : fail(`Corporate 1000 ${decoded.reason}`);
}
