import type { HidReportLayout } from '../hid-report-decoder.ts';

/**
 * For tests: the report a reader would send for `cardData` (most significant byte first),
 * laid out as `layout` describes, so decoder tests can start from the card instead of bytes.
 */
export function encodeHidReport(
  layout: HidReportLayout,
  cardData: Uint8Array,
  reportLength: number,
): Uint8Array {
  if (cardData.length > layout.length) throw new RangeError('card data longer than the layout');
  const report = new Uint8Array(reportLength);
  if (layout.reportId !== undefined) report[0] = layout.reportId;
  const data = new Uint8Array(layout.length);
  data.set(cardData, layout.length - cardData.length);
  if (layout.byteOrder === 'little') data.reverse();
  report.set(data, layout.offset);
  if (layout.lengthByte) {
    report[layout.lengthByte.offset] =
      layout.lengthByte.unit === 'bytes' ? cardData.length : cardData.length * 8;
  }
  return report;
}
