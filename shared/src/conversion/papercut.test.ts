import { describe, expect, it } from 'vitest';
import { catchSyntax } from './testing.ts';
import { convert, formatPipeline, parseExpression } from './index.ts';

// PaperCut "Card Number Format Converters" table, as printed in PaperCut's embedded manuals:
// http://38.142.81.21:8001/manual/sharp/user-authentication/user-manual-english/page-28.html
// (PaperCut - Sharp OSA Manual 2014-12-24, p. 28) and
// https://manualshive.com/en/manual/ricoh/pro-1356ex/1455186?page=37 (PaperCut - Ricoh Embedded
// Manual rev. 19, p. 37).
describe('PaperCut converters: documented examples', () => {
  it.each([
    ['hex2dec', '946EBD28', '2490285352'],
    ['dec2hex', '2490285352', '946EBD28'],
    ['ascii-enc', '3934364542443238', '946EBD28'],
    // "ascii-enc|hex2dec will first unpack the encoded ASCII number then convert it to a decimal"
    ['ascii-enc|hex2dec', '3934364542443238', '2490285352'],
  ])('%s: %s → %s', (expression, raw, expected) => {
    expect(convert(expression, raw, 'papercut')).toBe(expected);
    expect(convert(expression, raw)).toBe(expected);
  });
});

describe('PaperCut converters: our reading of what the manuals leave open', () => {
  it('compiles to Cardbind operations', () => {
    expect(formatPipeline(parseExpression('ascii-enc|hex2dec', 'papercut'))).toBe(
      'ascii-unpack | hex-to-dec',
    );
    expect(formatPipeline(parseExpression(' hex2dec | dec2hex ', 'papercut'))).toBe(
      'hex-to-dec | dec-to-hex',
    );
  });

  it('treats ascii-dec as ascii-enc whose result must be decimal', () => {
    expect(convert('ascii-dec', '31323334', 'papercut')).toBe('1234');
    expect(() => convert('ascii-dec', '3934364542443238', 'papercut')).toThrow(
      'step 2 "expect dec": the value is not decimal: character "E" at position 4',
    );
  });

  it('refuses JavaScript converters and says why', () => {
    const error = catchSyntax(() => parseExpression('javascript:custom/card.js'));
    expect(error.dialect).toBe('papercut');
    expect(error.ruleIndex).toBe(1);
    expect(error.message).toMatch(/^rule 1 "javascript:custom\/card\.js": JavaScript converters/);
    expect(error.message).toContain('does not run site scripts');
    expect(() => parseExpression('ascii-enc|JavaScript:card.js', 'papercut')).toThrow(
      /^rule 2 "JavaScript:card\.js": JavaScript converters are not supported/,
    );
  });

  it('points at a misspelt converter and suggests the right one', () => {
    const error = catchSyntax(() => parseExpression('ascii-enc|hex2decc', 'papercut'));
    expect(error.message).toBe('rule 2 "hex2decc": unknown operation; did you mean "hex2dec"?');
    expect(error.position).toBe(10);
    expect(error.rule).toBe('hex2decc');
    expect(() => parseExpression('ascii-enc|hex2decc')).toThrow(
      'rule 2 "hex2decc": unknown operation; did you mean "hex2dec"?',
    );
  });

  it('rejects empty converters between pipes', () => {
    expect(() => parseExpression('hex2dec||dec2hex', 'papercut')).toThrow(
      'rule 2: empty converter (is there a "|" too many?)',
    );
  });

  it('treats an empty setting as no conversion', () => {
    expect(parseExpression('', 'papercut')).toEqual([]);
  });
});
