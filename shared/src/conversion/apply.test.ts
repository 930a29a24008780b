import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyPipeline, ConversionError, convert, parseExpression } from './index.ts';

const run = (expression: string, value: string) => convert(expression, value, 'cardbind');

describe('operations', () => {
  it.each([
    ['hex-to-dec', '04a1b2c3', '77705923'],
    ['hex-to-dec', '00000000', '0'],
    ['dec-to-hex', '0077705923', '4A1B2C3'],
    ['hex-to-bin', '0F', '1111'],
    ['bin-to-hex', '00011111', '1F'],
    ['dec-to-bin', '5', '101'],
    ['bin-to-dec', '0101', '5'],
    // 7-byte UIDs are beyond 2^53: the arithmetic must stay exact.
    ['hex-to-dec', '04A1B2C3D4E5F6', '1303689068602870'],
    ['hex-to-dec', 'FFFFFFFFFFFFFFFF', '18446744073709551615'],
    ['reverse-bytes', '04A1B2C3', 'C3B2A104'],
    ['upper', 'ab12', 'AB12'],
    ['lower', 'AB12', 'ab12'],
    ['ascii-unpack', '3934364542443238', '946EBD28'],
    ['ascii-unpack-if-encoded', '946EBD28', '946EBD28'],
    ['expect dec', '0123', '0123'],
    ['take-left 2', '123456', '12'],
    ['take-right 2', '123456', '56'],
    ['drop-left 2', '123456', '3456'],
    ['drop-right 2', '123456', '1234'],
    ['slice 1 -1', '123456', '2345'],
    ['slice -3', '123456', '456'],
    ['bits 4 8', 'F0F0', '00001111'],
    ['bits 1 3', '8', '000'],
    ['pad-left 6 0', '123', '000123'],
    ['pad-left 2 0', '123', '123'],
    ['pad-right 5 F', '123', '123FF'],
    ['strip-left 0', '000123', '123'],
    ['strip-right F', '1234FFFF', '1234'],
    ['prepend 00', '12', '0012'],
    ['append "-x"', '12', '12-x'],
    ['const ABC', '12', 'ABC'],
    ['hex-to-dec | original', '0A', '0A'],
    ['take-left 2 + const - + take-right 2', '1234', '12-34'],
    ['hex-to-dec | (original + const =) | lower', '0A', '0a='],
  ])('%s: %s → %s', (expression, value, expected) => {
    expect(run(expression, value)).toBe(expected);
  });

  it('leaves the value alone with an empty pipeline', () => {
    expect(applyPipeline([], '0042')).toBe('0042');
  });
});

describe('conversion errors', () => {
  it.each([
    [
      'hex-to-dec',
      '04G1',
      'step 1 "hex-to-dec": the value is not hexadecimal: character "G" at position 3',
    ],
    [
      'dec-to-hex',
      '12a',
      'step 1 "dec-to-hex": the value is not decimal: character "a" at position 3',
    ],
    [
      'upper | bin-to-dec',
      '102',
      'step 2 "bin-to-dec": the value is not binary: character "2" at position 3',
    ],
    [
      'ascii-unpack',
      '393',
      'step 1 "ascii-unpack": the value has an odd number of hexadecimal digits (3), so it is not ASCII codes',
    ],
    [
      'ascii-unpack',
      '3907',
      'step 1 "ascii-unpack": "07" at position 3 is not a printable ASCII code',
    ],
    [
      'take-right 10',
      '1234',
      'step 1 "take-right 10": the value has 4 characters, fewer than the 10 to keep',
    ],
    ['drop-left 4', '1234', 'step 1 "drop-left 4": the result is empty'],
    [
      'slice 2 9',
      '1234',
      'step 1 "slice 2 9": the range from 2 to 9 does not fit the value\'s 4 characters',
    ],
    [
      'bits 4 8',
      'F0',
      'step 1 "bits 4 8": bits 4..11 do not fit the value\'s 8 bits (2 hexadecimal digits)',
    ],
    ['strip-left 0', '0000', 'step 1 "strip-left 0": the result is empty'],
    [
      'pad-left 1000000000 0',
      '1',
      'step 1 "pad-left 1000000000 0": padding to 1000000000 characters is more than the 1024 a card number may have',
    ],
    [
      'upper + hex-to-dec',
      'xy',
      'step 1 › branch 2 › step 1 "hex-to-dec": the value is not hexadecimal: character "x" at position 1',
    ],
  ])('%s on %s', (expression, value, message) => {
    let caught: unknown;
    try {
      run(expression, value);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConversionError);
    expect((caught as ConversionError).message).toBe(message);
  });

  it('never repeats the card number in the message', () => {
    expect(() => run('hex-to-dec', 'SECRET42')).toThrow(/^(?!.*SECRET42)/);
  });

  it('is a different class from syntax errors', () => {
    expect(() => parseExpression('hex-to-dec |', 'cardbind')).not.toThrow(ConversionError);
  });
});

describe('properties', () => {
  const hex = fc.stringMatching(/^[0-9A-F]{1,20}$/);
  const bytes = fc.stringMatching(/^(?:[0-9A-Fa-f]{2}){1,10}$/);

  it('hex → dec → hex gives the hex number back, without leading zeros', () => {
    fc.assert(
      fc.property(hex, (value) => {
        const roundTrip = run('hex-to-dec | dec-to-hex', value);
        expect(roundTrip).toBe(value.replace(/^0+(?=.)/, ''));
      }),
    );
  });

  it('dec → hex → dec gives the decimal number back', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 80n }), (n) => {
        expect(run('dec-to-hex | hex-to-dec', n.toString())).toBe(n.toString());
      }),
    );
  });

  it('reversing the bytes twice is the identity', () => {
    fc.assert(
      fc.property(bytes, (value) => {
        expect(run('reverse-bytes | reverse-bytes', value)).toBe(value);
      }),
    );
  });

  it('reversing keeps every byte intact', () => {
    fc.assert(
      fc.property(bytes, (value) => {
        const reversed = run('reverse-bytes', value);
        const pairs = (s: string) => s.match(/../g) ?? [];
        expect(pairs(reversed)).toEqual(pairs(value).reverse());
      }),
    );
  });
});
