import { ReadlineParser } from '@serialport/parser-readline';
import type { TransformCallback } from 'node:stream';

const LF = 0x0a;
const CR = 0x0d;

export interface FramerStats {
  lines: number;
  /** Lines longer than `maxLength`, dropped whole. */
  overlong: number;
  /** Lines with bytes outside printable ASCII. */
  garbage: number;
  /** Bytes left without a terminator when the stream ended. */
  partial: number;
}

export interface LineFramerOptions {
  /** Longest accepted line in bytes (without terminator). */
  maxLength: number;
}

/**
 * Splits a reader's byte stream into lines ended by CR, LF or CR LF, built on node-serialport's
 * ReadlineParser. What ReadlineParser lacks for field hardware is added here: CR alone ends a
 * line, empty lines vanish, the buffer is bounded (an overlong line is dropped whole and the
 * framer resynchronizes at the next terminator), binary noise is dropped, and a half line left
 * when the stream ends is discarded. Emits latin1 strings of printable ASCII only.
 */
export class LineFramer extends ReadlineParser {
  readonly stats: FramerStats = { lines: 0, overlong: 0, garbage: 0, partial: 0 };
  private readonly maxLength: number;
  private discarding = false;

  constructor(options: LineFramerOptions) {
    if (!Number.isInteger(options.maxLength) || options.maxLength < 1) {
      throw new TypeError('"maxLength" must be a positive integer');
    }
    super({ delimiter: '\n', encoding: 'latin1' });
    this.maxLength = options.maxLength;
  }

  override _transform(chunk: Buffer, encoding: BufferEncoding, callback: TransformCallback): void {
    let data = Buffer.from(chunk);
    for (let i = 0; i < data.length; i++) if (data[i] === CR) data[i] = LF;
    if (this.discarding) {
      const end = data.indexOf(LF);
      if (end === -1) return callback();
      data = data.subarray(end + 1);
      this.discarding = false;
    }
    super._transform(data, encoding, (error) => {
      if (!error && this.buffer.length > this.maxLength) {
        // The line in progress is already too long: forget it and skip to the next terminator.
        this.buffer = Buffer.alloc(0);
        this.discarding = true;
        this.discard('overlong');
      }
      callback(error);
    });
  }

  /** Counts a dropped line and tells listeners (`dropped` event) so the drop can be logged. */
  private discard(reason: Exclude<keyof FramerStats, 'lines'>): void {
    this.stats[reason]++;
    this.emit('dropped', reason);
  }

  override _flush(callback: TransformCallback): void {
    if (this.buffer.length > 0) this.discard('partial');
    this.buffer = Buffer.alloc(0);
    callback();
  }

  override push(line: Buffer | string | null, encoding?: BufferEncoding): boolean {
    if (line === null) return super.push(null);
    const bytes = typeof line === 'string' ? Buffer.from(line, 'latin1') : line;
    if (bytes.length === 0) return true;
    if (bytes.length > this.maxLength) {
      this.discard('overlong');
      return true;
    }
    if (!bytes.every((b) => b >= 0x20 && b <= 0x7e)) {
      this.discard('garbage');
      return true;
    }
    this.stats.lines++;
    return super.push(bytes, encoding);
  }
}
