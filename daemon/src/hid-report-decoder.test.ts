import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HidReportDecoder, type HidReportLayout } from './hid-report-decoder.ts';
import { encodeHidReport } from './testing/hid-report.ts';

const layout = (change: Partial<HidReportLayout> = {}): HidReportLayout => ({
  offset: 1,
  length: 8,
  byteOrder: 'little',
  format: 'decimal',
  ...change,
});

describe('HidReportDecoder', () => {
  it('reads the little-endian card buffer of a pcProx in SDK mode as decimal', () => {
    // Buffer 0 after hidapi's report-id byte (micolous/pcprox protocol.md): an H10301 card,
    // facility 1, card number 12345 -> uint16 card number, then uint8 facility code.
    const decoder = new HidReportDecoder(layout());
    expect(decoder.decode(Uint8Array.of(0, 0x39, 0x30, 0x01, 0, 0, 0, 0, 0))).toBe(
      String((1 << 16) | 12345),
    );
    expect(decoder.decode(new Uint8Array(9))).toBeNull();
    expect(decoder.stats).toEqual({ reads: 1, empty: 1, malformed: 0, ignored: 0 });
  });

  it('reads big-endian hex with its leading zeros, and only the valid bytes or bits', () => {
    const hex = new HidReportDecoder(
      layout({ offset: 2, length: 7, byteOrder: 'big', format: 'hex' }),
    );
    expect(hex.decode(Uint8Array.of(1, 0, 0x04, 0xa1, 0xb2, 0xc3, 0xd4, 0xe5, 0x80))).toBe(
      '04A1B2C3D4E580',
    );
    const bytes = new HidReportDecoder(
      layout({
        offset: 2,
        length: 7,
        byteOrder: 'big',
        format: 'hex',
        lengthByte: { offset: 1, unit: 'bytes' },
      }),
    );
    // 4 valid bytes, right-aligned in the 7-byte field.
    expect(bytes.decode(Uint8Array.of(1, 4, 0, 0, 0, 0x04, 0xa1, 0xb2, 0xc3))).toBe('04A1B2C3');
    const bits = new HidReportDecoder(
      layout({ offset: 2, length: 4, byteOrder: 'big', lengthByte: { offset: 1, unit: 'bits' } }),
    );
    // 26 bits: the high bits beyond them are ignored.
    expect(bits.decode(Uint8Array.of(1, 26, 0xff, 0xff, 0xff, 0xff))).toBe(String(2 ** 26 - 1));
  });

  it('ignores reports with another report id, and counts reports too short or inconsistent', () => {
    const decoder = new HidReportDecoder(
      layout({ reportId: 3, lengthByte: { offset: 9, unit: 'bytes' } }),
    );
    expect(decoder.decode(Uint8Array.of(4, 1, 2, 3, 4, 5, 6, 7, 8, 8))).toBeNull();
    expect(decoder.decode(Uint8Array.of(3, 1, 2))).toBeNull();
    expect(decoder.decode(Uint8Array.of(3, 1, 2, 3, 4, 5, 6, 7, 8, 9))).toBeNull();
    expect(decoder.decode(Uint8Array.of(3, 1, 0, 0, 0, 0, 0, 0, 0, 1))).toBe('1');
    expect(decoder.stats).toEqual({ reads: 1, empty: 0, malformed: 2, ignored: 1 });
  });

  const layouts = fc.record({
    reportId: fc.option(fc.integer({ min: 1, max: 255 }), { nil: undefined }),
    offset: fc.integer({ min: 1, max: 8 }),
    length: fc.integer({ min: 1, max: 16 }),
    byteOrder: fc.constantFrom('big' as const, 'little' as const),
    format: fc.constantFrom('hex' as const, 'decimal' as const),
  });

  it('decodes what a reader encodes, for any layout and card', () => {
    fc.assert(
      fc.property(layouts, fc.uint8Array({ minLength: 1, maxLength: 16 }), (l, card) => {
        const data = card.subarray(0, l.length);
        const decoder = new HidReportDecoder(l);
        const id = decoder.decode(encodeHidReport(l, data, l.offset + l.length + 2));
        const value = data.reduce((v, b) => (v << 8n) | BigInt(b), 0n);
        const expected =
          value === 0n
            ? null
            : l.format === 'decimal'
              ? value.toString()
              : value
                  .toString(16)
                  .toUpperCase()
                  .padStart(l.length * 2, '0');
        expect(id).toBe(expected);
      }),
    );
  });

  it('never throws and yields only digits (or nothing) for any report', () => {
    fc.assert(
      fc.property(layouts, fc.uint8Array({ maxLength: 40 }), (l, report) => {
        const id = new HidReportDecoder(l).decode(report);
        if (id !== null) expect(id).toMatch(l.format === 'hex' ? /^[0-9A-F]+$/ : /^[1-9][0-9]*$/);
        if (report.length < l.offset + l.length) expect(id).toBeNull();
      }),
    );
  });
});
