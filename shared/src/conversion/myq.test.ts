import { describe, expect, it } from 'vitest';
import { convert, formatPipeline, parseExpression } from './index.ts';

// MyQ "ID card transformation commands":
// https://docs.myq-solution.com/es/print-server/10.1/id-card-transformation-commands (English text)
// and the German edition https://docs.myq-solution.com/de/print-server/8.2/id-card-transformation-commands
describe('MyQ transformation commands: documented examples', () => {
  it.each([
    ['ltrim(2)', '123456', '3456'],
    ['rtrim(2)', '123456', '1234'],
    ['prepend(AB)', '123456', 'AB123456'],
    ['append(AB)', '123456', '123456AB'],
    ['left(2)', '123456', '12'],
    ['right(2)', '123456', '56'],
    ['mid(2,2)', '123456', '34'],
    ['lpad(12,0)', '123456', '000000123456'],
    ['hex2dec()', '1000AB', '1048747'],
    ['dec2hex()', '1048747', '1000AB'],
    ['hex2bin()', '1000AB', '100000000000010101011'],
    ['bin2hex()', '100000000000010101011', '1000AB'],
    ['dec2bin()', '100023', '11000011010110111'],
    ['bin2dec()', '11000011010110111', '100023'],
    // "take all the characters by two and reverse the order of the pairs"
    ['reverse()', '1234AB', 'AB3412'],
  ])('%s: %s → %s', (expression, raw, expected) => {
    expect(convert(expression, raw, 'myq')).toBe(expected);
    expect(convert(expression, raw)).toBe(expected);
  });
});

describe('MyQ transformation commands: our choices', () => {
  it('chains commands back to back or separated by whitespace, ";" or "|"', () => {
    for (const expression of [
      'ltrim(2)hex2dec()',
      'ltrim(2) hex2dec()',
      'ltrim(2);hex2dec()',
      'ltrim(2) | hex2dec()',
    ]) {
      expect(convert(expression, '001000AB', 'myq')).toBe('1048747');
    }
  });

  it('accepts parameterless commands without parentheses, as the headings write them', () => {
    expect(convert('hex2bin', '1000AB', 'myq')).toBe('100000000000010101011');
  });

  it('compiles mid into two cuts', () => {
    expect(formatPipeline(parseExpression('mid(2,3)', 'myq'))).toBe('drop-left 2 | drop-right 3');
  });

  it('refuses to cut more than the value holds', () => {
    expect(() => convert('left(8)', '123456', 'myq')).toThrow(
      'step 1 "take-left 8": the value has 6 characters, fewer than the 8 to keep',
    );
    expect(() => convert('reverse()', '12345', 'myq')).toThrow(
      'step 1 "reverse-bytes": the value has an odd number of characters (5), so it is not whole bytes',
    );
  });

  it('points at the offending command', () => {
    expect(() => parseExpression('ltrim(2) hex2decc()', 'myq')).toThrow(
      'rule 2 "hex2decc()": unknown operation; did you mean "hex2dec"?',
    );
    expect(() => parseExpression('lpad(12)', 'myq')).toThrow(
      'rule 1 "lpad(12)": expected 2 parameters, got 1 (usage: lpad(number of positions, symbol))',
    );
    expect(() => parseExpression('ltrim(x)', 'myq')).toThrow(
      'rule 1 "ltrim(x)": parameter 1 must be a whole number of 0 or more, got "x"',
    );
    expect(() => parseExpression('ltrim(2', 'myq')).toThrow('rule 1 "ltrim(2": missing ")"');
  });
});
