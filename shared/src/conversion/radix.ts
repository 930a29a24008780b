import type { Radix } from './ast.ts';

/** Outcome of one step: a value, or why this value cannot be converted. */
export type StepResult = { ok: true; value: string } | { ok: false; reason: string };

export const ok = (value: string): StepResult => ({ ok: true, value });
export const fail = (reason: string): StepResult => ({ ok: false, reason });

const DIGIT: Record<Radix, RegExp> = { hex: /^[0-9A-Fa-f]$/, dec: /^[0-9]$/, bin: /^[01]$/ };
const RADIX_NAME: Record<Radix, string> = { hex: 'hexadecimal', dec: 'decimal', bin: 'binary' };
const BASE: Record<Radix, number> = { hex: 16, dec: 10, bin: 2 };

/** Why `value` is not a number written in `radix`, or undefined when it is one. */
export function radixProblem(value: string, radix: Radix): string | undefined {
  if (value === '') return `the value is empty, expected ${RADIX_NAME[radix]} digits`;
  for (let i = 0; i < value.length; i++) {
    const c = value.charAt(i);
    if (!DIGIT[radix].test(c)) {
      return `the value is not ${RADIX_NAME[radix]}: character "${c}" at position ${i + 1}`;
    }
  }
  return undefined;
}

/** Card numbers outgrow 2^53 (7-byte UIDs), so all arithmetic is on bigint. */
export function parseRadix(value: string, radix: Radix): bigint {
  if (radix === 'dec') return BigInt(value);
  return BigInt(`${radix === 'hex' ? '0x' : '0b'}${value}`);
}

/** Numeric conversions give the shortest form: no leading zeros, hexadecimal in upper case. */
export function convertRadix(value: string, from: Radix, to: Radix): StepResult {
  const problem = radixProblem(value, from);
  if (problem !== undefined) return fail(problem);
  return ok(parseRadix(value, from).toString(BASE[to]).toUpperCase());
}

/** Each hexadecimal digit as exactly four bits, so bit positions follow the digits as written. */
export function hexToBitString(hex: string): string {
  let bits = '';
  for (const digit of hex) bits += parseInt(digit, 16).toString(2).padStart(4, '0');
  return bits;
}
