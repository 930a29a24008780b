import { describe, expect, it } from 'vitest';
import { catchSyntax } from './testing.ts';
import { convert, formatPipeline, parseExpression } from './index.ts';

// "Using Card Number Conversion", identical in the three products:
// https://docs.ysoft.cloud/docs/using-card-number-conversion (SAFEQ Cloud)
// https://docs.dispatcher-phoenix.com/print-management/Using_Card_Number_Conversion.html (Dispatcher Paragon)
// https://ibsolution.com.br/YSoftSafeQ6Spring2023ReleaseDocumentation/Contents/Using_Card_Number_Conversion.html (SafeQ 6)
describe('SAFEQ conversion rules: documented examples', () => {
  it('runs both sides of "+" on the same input and joins the results', () => {
    // "Conversion rule: LeftPadding(0,3) + Substring(2,6) INPUT: 1a2b3c4d OUTPUT: 1a2b3c4d2b3c"
    expect(convert('LeftPadding(0,3) + Substring(2,6)', '1a2b3c4d', 'safeq')).toBe('1a2b3c4d2b3c');
  });

  it('parses the documented configurations', () => {
    // "ASCII2Hex;Hex2Dec;Substring(-8)"
    expect(formatPipeline(parseExpression('ASCII2Hex;Hex2Dec;Substring(-8)', 'safeq'))).toBe(
      'ascii-unpack-if-encoded | hex-to-dec | slice -8',
    );
    // "Substring(2);Hex2Dec;LeftPadding(0,3) + Substring(2,6);Hex2Dec"
    expect(
      formatPipeline(
        parseExpression('Substring(2);Hex2Dec;LeftPadding(0,3) + Substring(2,6);Hex2Dec', 'safeq'),
      ),
    ).toBe('slice 2 | hex-to-dec | pad-left 3 0 + slice 2 6 | hex-to-dec');
  });

  it.each([
    // ASCII2Hex: "converts a string in ASCII format (typically from a KM reader) into hex form. The
    // other input is not changed. ASCII format is ^([34][0-9])+([fF]{2})*$"
    ['ASCII2Hex', '3132333435363738', '12345678'],
    ['ASCII2Hex', '31323334FFFF', '1234'],
    ['ASCII2Hex', '41424344', 'ABCD'],
    ['ASCII2Hex', '946EBD28', '946EBD28'],
    ['ASCII2Hex;Hex2Dec;Substring(-8)', '3132333435363738FFFF', '05419896'],
    // Bin2Dec / Dec2Bin / Dec2Hex: "Converts a number from … format into … format."
    ['Bin2Dec', '11000011010110111', '100023'],
    ['Dec2Bin', '100023', '11000011010110111'],
    ['Dec2Hex', '2490285352', '946EBD28'],
    ['Hex2Dec', '1a2b3c4d', '439041101'],
    // CardNo: "Returns original card number. Could be used with operator +."
    ['CardNo + Const(-) + CardNo', '1234', '1234-1234'],
    ['Hex2Dec;CardNo', '1a2b', '1a2b'],
    // Const: "Returns a specified string. Could be used with the operator '+'. Similar
    // functionality provides LeftAppend and RightAppend."
    ['Const(CB) + CardNo', '1234', 'CB1234'],
    ['LeftAppend(CB)', '1234', 'CB1234'],
    ['RightAppend(00)', '1234', '123400'],
    // Substring: start index only, start and end (end exclusive), or negative = from the end.
    ['Substring(2)', '1a2b3c4d', '2b3c4d'],
    ['Substring(2,6)', '1a2b3c4d', '2b3c'],
    ['Substring(-8)', '001a2b3c4d', '1a2b3c4d'],
    ['LeftPadding(0,10)', '12345', '0000012345'],
    ['RightPadding(F,8)', '1234', '1234FFFF'],
    ['Hex2Bin', '1000AB', '100000000000010101011'],
  ])('%s: %s → %s', (expression, raw, expected) => {
    expect(convert(expression, raw, 'safeq')).toBe(expected);
  });
});

describe('SAFEQ conversion rules: our choices', () => {
  it('gives "+" the lowest precedence: each side is a whole ";" chain from the input', () => {
    // Branch 1: 2b3c4d → 2833485 (already 3+ digits); branch 2: 2b3c → 11068.
    expect(
      convert(
        'Substring(2);Hex2Dec;LeftPadding(0,3) + Substring(2,6);Hex2Dec',
        '1a2b3c4d',
        'safeq',
      ),
    ).toBe('283348511068');
  });

  it('refuses a substring outside the value instead of returning a shorter id', () => {
    expect(() => convert('Substring(-8)', '1a2b3c', 'safeq')).toThrow(
      'step 1 "slice -8": the range from -8 does not fit the value\'s 6 characters',
    );
  });

  it('keeps rule names case-sensitive, as documented, and says so', () => {
    expect(() => parseExpression('Hex2Dec;dec2hex', 'safeq')).toThrow(
      'rule 2 "dec2hex": unknown operation (names are case-sensitive); did you mean "Dec2Hex"?',
    );
  });

  it('numbers rules across "+" and points at the offending one', () => {
    const error = catchSyntax(() => parseExpression('Hex2Dec;LeftPadding(0,3) + Substrng(2,6)'));
    expect(error.dialect).toBe('safeq');
    expect(error.ruleIndex).toBe(3);
    expect(error.position).toBe(27);
    expect(error.message).toBe(
      'rule 3 "Substrng(2,6)": unknown operation; did you mean "Substring"?',
    );
  });

  it('checks parameters', () => {
    expect(() => parseExpression('LeftPadding(0)', 'safeq')).toThrow(
      'rule 1 "LeftPadding(0)": expected 2 parameters, got 1 (usage: LeftPadding(character, length))',
    );
    expect(() => parseExpression('LeftPadding(00,3)', 'safeq')).toThrow(
      'rule 1 "LeftPadding(00,3)": parameter 1 must be exactly one character, got "00" (usage: LeftPadding(character, length))',
    );
    expect(() => parseExpression('Substring(a)', 'safeq')).toThrow(
      'rule 1 "Substring(a)": parameter 1 must be a whole number, got "a"',
    );
    expect(() => parseExpression('Hex2Dec(1)', 'safeq')).toThrow(
      'rule 1 "Hex2Dec(1)": expected 0 parameters, got 1 (usage: Hex2Dec)',
    );
  });

  it('reports unbalanced parentheses and empty rules', () => {
    expect(() => parseExpression('Hex2Dec;Substring(2', 'safeq')).toThrow(
      'rule 2: the "(" at character 18 is never closed',
    );
    expect(() => parseExpression('Hex2Dec;;Dec2Hex', 'safeq')).toThrow(
      'rule 2: empty rule (is there a ";" or "+" too many?)',
    );
  });

  it('keeps separators inside parentheses as text', () => {
    expect(convert('Const(a+b;c) + CardNo', '1', 'safeq')).toBe('a+b;c1');
  });
});
