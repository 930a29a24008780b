import type { Operation } from './ast.ts';
import { convertRadix, fail, hexToBitString, ok, radixProblem } from './radix.ts';
import type { StepResult } from './radix.ts';
import { wiegand26, wiegand35 } from './wiegand.ts';

/**
 * One operation on one value. `original` is the value the whole pipeline started from (SAFEQ's
 * CardNo). Never throws: inference tries many operations that are expected to fail.
 */
export function runOperation(op: Operation, value: string, original: string): StepResult {
  const result = run(op, value, original);
  // An empty card number would match nothing or, worse, every card stored empty.
  if (result.ok && result.value === '') return fail('the result is empty');
  return result;
}

function run(op: Operation, value: string, original: string): StepResult {
  switch (op.kind) {
    case 'hex-to-dec':
      return convertRadix(value, 'hex', 'dec');
    case 'dec-to-hex':
      return convertRadix(value, 'dec', 'hex');
    case 'hex-to-bin':
      return convertRadix(value, 'hex', 'bin');
    case 'bin-to-hex':
      return convertRadix(value, 'bin', 'hex');
    case 'dec-to-bin':
      return convertRadix(value, 'dec', 'bin');
    case 'bin-to-dec':
      return convertRadix(value, 'bin', 'dec');
    case 'ascii-unpack':
      return asciiUnpack(value);
    case 'ascii-unpack-if-encoded':
      return asciiUnpackIfEncoded(value);
    case 'reverse-bytes':
      return reverseBytes(value);
    case 'upper':
      return ok(value.toUpperCase());
    case 'lower':
      return ok(value.toLowerCase());
    case 'expect': {
      const problem = radixProblem(value, op.radix);
      return problem === undefined ? ok(value) : fail(problem);
    }
    case 'take-left':
      return needChars(value, op.count, 'to keep') ?? ok(value.slice(0, op.count));
    case 'take-right':
      return needChars(value, op.count, 'to keep') ?? ok(value.slice(value.length - op.count));
    case 'drop-left':
      return needChars(value, op.count, 'to remove') ?? ok(value.slice(op.count));
    case 'drop-right':
      return needChars(value, op.count, 'to remove') ?? ok(value.slice(0, value.length - op.count));
    case 'slice':
      return slice(value, op.start, op.end);
    case 'bits':
      return bits(value, op.start, op.length);
    case 'pad-left':
      return padding(value, op.length) ?? ok(value.padStart(op.length, op.fill));
    case 'pad-right':
      return padding(value, op.length) ?? ok(value.padEnd(op.length, op.fill));
    case 'strip-left':
      return ok(value.slice(leadingRun(value, op.char)));
    case 'strip-right':
      return ok(value.slice(0, trailingRunStart(value, op.char)));
    case 'prepend':
      return ok(op.text + value);
    case 'append':
      return ok(value + op.text);
    case 'const':
      return ok(op.text);
    case 'original':
      return ok(original);
    case 'wiegand-26':
      return wiegand26(value, op.field, op.input);
    case 'wiegand-35':
      return wiegand35(value, op.field, op.input);
  }
}

/** Cutting outside the value is an error rather than a shorter id that could match another card. */
function needChars(value: string, count: number, purpose: string): StepResult | undefined {
  if (count <= value.length) return undefined;
  return fail(`the value has ${value.length} characters, fewer than the ${count} ${purpose}`);
}

// Far beyond any card number; a typo like "pad-left 1000000000 0" must not exhaust memory.
const MAX_PADDED_LENGTH = 1024;

function padding(value: string, length: number): StepResult | undefined {
  if (length <= MAX_PADDED_LENGTH || value.length >= length) return undefined;
  return fail(
    `padding to ${length} characters is more than the ${MAX_PADDED_LENGTH} a card number may have`,
  );
}

function slice(value: string, start: number, end: number | undefined): StepResult {
  const from = start < 0 ? value.length + start : start;
  const to = end === undefined ? value.length : end < 0 ? value.length + end : end;
  if (from < 0 || to > value.length || from > to) {
    const range = end === undefined ? `from ${start}` : `from ${start} to ${end}`;
    return fail(`the range ${range} does not fit the value's ${value.length} characters`);
  }
  return ok(value.slice(from, to));
}

function bits(value: string, start: number, length: number): StepResult {
  const problem = radixProblem(value, 'hex');
  if (problem !== undefined) return fail(problem);
  const all = hexToBitString(value);
  if (start + length > all.length) {
    return fail(
      `bits ${start}..${start + length - 1} do not fit the value's ${all.length} bits (${value.length} hexadecimal digits)`,
    );
  }
  return ok(all.slice(start, start + length));
}

function leadingRun(value: string, char: string): number {
  let i = 0;
  while (i < value.length && value.charAt(i) === char) i++;
  return i;
}

function trailingRunStart(value: string, char: string): number {
  let i = value.length;
  while (i > 0 && value.charAt(i - 1) === char) i--;
  return i;
}

function reverseBytes(value: string): StepResult {
  if (value.length % 2 !== 0) {
    return fail(
      `the value has an odd number of characters (${value.length}), so it is not whole bytes`,
    );
  }
  let reversed = '';
  for (let i = value.length - 2; i >= 0; i -= 2) reversed += value.slice(i, i + 2);
  return ok(reversed);
}

/** Each pair of hex digits is the code of one printable ASCII character: "3934" → "94". */
function asciiUnpack(value: string): StepResult {
  const problem = radixProblem(value, 'hex');
  if (problem !== undefined) return fail(problem);
  if (value.length % 2 !== 0) {
    return fail(
      `the value has an odd number of hexadecimal digits (${value.length}), so it is not ASCII codes`,
    );
  }
  let text = '';
  for (let i = 0; i < value.length; i += 2) {
    const code = parseInt(value.slice(i, i + 2), 16);
    if (code < 0x20 || code > 0x7e) {
      return fail(`"${value.slice(i, i + 2)}" at position ${i + 1} is not a printable ASCII code`);
    }
    text += String.fromCharCode(code);
  }
  return ok(text);
}

// SAFEQ's ASCII2Hex recognises exactly this shape (ASCII codes 30-49, then optional FF padding)
// and leaves any other value unchanged.
const SAFEQ_ASCII = /^((?:[34][0-9])+)(?:[fF]{2})*$/;

function asciiUnpackIfEncoded(value: string): StepResult {
  const match = SAFEQ_ASCII.exec(value);
  if (match === null || match[1] === undefined) return ok(value);
  return asciiUnpack(match[1]);
}
