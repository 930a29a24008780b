import { describe, expect, it } from 'vitest';
import { convert, detectDialect, parseExpression } from './index.ts';

describe('detectDialect', () => {
  it.each([
    ['hex-to-dec | pad-left 10 0', 'cardbind'],
    ['reverse-bytes', 'cardbind'],
    ['hex2dec', 'papercut'],
    ['ascii-enc|hex2dec', 'papercut'],
    ['javascript:custom/card.js', 'papercut'],
    ['hex2dec()', 'myq'],
    ['ltrim(2);hex2dec()', 'myq'],
    ['reverse()', 'myq'],
    ['Hex2Dec', 'safeq'],
    ['ASCII2Hex;Hex2Dec;Substring(-8)', 'safeq'],
    ['LeftPadding(0,3) + Substring(2,6)', 'safeq'],
    // Nothing parses: the likeliest dialect, so its parser can explain the mistake.
    ['ascii-enc|hex2decc', 'papercut'],
    ['Hex2Dec;LeftPadding(0,3) + Substrng(2,6)', 'safeq'],
    ['ltrim(2) hex2decc()', 'myq'],
    ['hex-to-dec | pad-lef 10 0', 'cardbind'],
  ])('%s → %s', (expression, dialect) => {
    expect(detectDialect(expression)).toBe(dialect);
  });

  it('lets the caller force a dialect', () => {
    expect(() => parseExpression('hex2dec', 'safeq')).toThrow(
      'rule 1 "hex2dec": unknown operation (names are case-sensitive); did you mean "Hex2Dec"?',
    );
    expect(convert('Hex2Dec', '0A', 'safeq')).toBe('10');
  });

  it('gives the same answer for the same conversion written in every dialect', () => {
    const uid = '0004A1B2C3';
    const expected = '0077705923';
    expect(convert('hex-to-dec | pad-left 10 0', uid)).toBe(expected);
    expect(convert('Hex2Dec;LeftPadding(0,10)', uid)).toBe(expected);
    expect(convert('hex2dec() lpad(10,0)', uid)).toBe(expected);
    expect(convert('hex2dec', uid)).toBe('77705923');
  });

  it('holds for the examples in README.md', () => {
    expect(convert('reverse-bytes | hex-to-dec | pad-left 10 0', '04A1B2C3')).toBe('3283263748');
    expect(convert('ascii-enc|hex2dec', '3934364542443238')).toBe('2490285352');
    expect(convert('Substring(2);Hex2Dec', '001A2B')).toBe('6699');
    expect(convert('ltrim(2) hex2dec()', '001A2B')).toBe('6699');
  });
});
