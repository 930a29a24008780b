/**
 * Decodes the vendor reports of a HID reader in SDK/raw mode, as its profile describes them:
 * where the card data sits in the report, how long it is, its byte order, and whether it
 * becomes a hex or decimal card id.
 */
export interface HidReportLayout {
  /** When set, reports that do not start with this byte are someone else's: ignored. */
  reportId?: number | undefined;
  offset: number;
  length: number;
  byteOrder: 'big' | 'little';
  /** A byte of the report giving how many bytes (or bits) of the data are valid. */
  lengthByte?: { offset: number; unit: 'bytes' | 'bits' } | undefined;
  format: 'hex' | 'decimal';
}

export interface HidReportStats {
  reads: number;
  /** Reports with no card data (all zero): "no card in the field". */
  empty: number;
  /** Reports too short for the layout, or with a length byte beyond the data. */
  malformed: number;
  /** Reports with another report id. */
  ignored: number;
}

export class HidReportDecoder {
  readonly stats: HidReportStats = { reads: 0, empty: 0, malformed: 0, ignored: 0 };

  constructor(private readonly layout: HidReportLayout) {
    for (const key of ['offset', 'length'] as const) {
      if (!Number.isInteger(layout[key]) || layout[key] < (key === 'length' ? 1 : 0)) {
        throw new TypeError(
          `"${key}" must be a ${key === 'length' ? 'positive' : 'non-negative'} integer`,
        );
      }
    }
  }

  /** The card id in one report, or null when it holds none (counted in `stats`). */
  decode(report: Uint8Array): string | null {
    const { reportId, offset, length, lengthByte } = this.layout;
    if (reportId !== undefined && report[0] !== reportId) {
      this.stats.ignored++;
      return null;
    }
    if (report.length < offset + length) return this.malformed();
    let data = report.subarray(offset, offset + length);
    // Little-endian data is turned around once, so the rest works most significant byte first.
    if (this.layout.byteOrder === 'little') data = Uint8Array.from(data).reverse();
    let bits = length * 8;
    if (lengthByte) {
      const declared = report[lengthByte.offset];
      if (declared === undefined) return this.malformed();
      bits = lengthByte.unit === 'bytes' ? declared * 8 : declared;
      if (bits > length * 8) return this.malformed();
    }
    let value = 0n;
    for (const byte of data) value = (value << 8n) | BigInt(byte);
    value &= (1n << BigInt(bits)) - 1n;
    if (value === 0n) {
      this.stats.empty++;
      return null;
    }
    this.stats.reads++;
    if (this.layout.format === 'decimal') return value.toString(10);
    // Hex keeps its leading zeros: the digits of all valid bits, as vendor tools show them.
    return value
      .toString(16)
      .toUpperCase()
      .padStart(Math.ceil(bits / 4), '0');
  }

  private malformed(): null {
    this.stats.malformed++;
    return null;
  }
}
