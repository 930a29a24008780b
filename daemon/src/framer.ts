import { Transform, type TransformCallback } from 'node:stream';

/** Why a framer dropped data instead of emitting it as a read. */
export type DropReason = 'overlong' | 'garbage' | 'partial' | 'checksum';

export interface FramerStats {
  /** Frames emitted as reads. */
  frames: number;
  /** Frames longer than `maxLength`, dropped whole. */
  overlong: number;
  /**
   * Frames with bytes outside printable ASCII or without the profile's prefix/suffix, and
   * bytes outside any frame.
   */
  garbage: number;
  /** Frames cut off: by a new start of frame, or by the end of the stream. */
  partial: number;
  /** Frames whose check byte did not match. */
  checksum: number;
}

export interface FramerOptions {
  /** Longest frame in bytes (between the delimiters, prefix and suffix included). */
  maxLength: number;
  /** Text every frame starts with (e.g. a reader's "ID:" header); stripped. */
  prefix?: string | undefined;
  /** Text every frame ends with before the delimiter (e.g. ";"); stripped. */
  suffix?: string | undefined;
}

const isPrintable = (bytes: Uint8Array) => bytes.every((b) => b >= 0x20 && b <= 0x7e);

/**
 * The small base of the reader framers, in the manner of node-serialport's parsers: a Transform
 * that takes the reader's raw bytes and emits one latin1 string per frame (object mode, so a
 * frame is never merged with the next). A subclass finds the frame boundaries and calls
 * `emitFrame`; the base strips the fixed prefix/suffix, refuses anything that could be a wrong
 * card id (non-printable bytes, missing prefix/suffix, overlong), and counts each drop in
 * `stats` and a `dropped` event, so the daemon can warn about it.
 */
export abstract class Framer extends Transform {
  readonly stats: FramerStats = { frames: 0, overlong: 0, garbage: 0, partial: 0, checksum: 0 };
  protected readonly maxLength: number;
  private readonly prefix: Buffer;
  private readonly suffix: Buffer;

  constructor(options: FramerOptions) {
    super({ readableObjectMode: true });
    if (!Number.isInteger(options.maxLength) || options.maxLength < 1) {
      throw new TypeError('"maxLength" must be a positive integer');
    }
    this.maxLength = options.maxLength;
    this.prefix = Buffer.from(options.prefix ?? '', 'latin1');
    this.suffix = Buffer.from(options.suffix ?? '', 'latin1');
    if (!isPrintable(this.prefix) || !isPrintable(this.suffix)) {
      throw new TypeError('"prefix" and "suffix" must be printable ASCII');
    }
  }

  /** Consumes one chunk of the reader's bytes; calls `emitFrame` / `drop` as frames end. */
  protected abstract consume(chunk: Buffer): void;

  /** Whether a frame is in progress (its bytes would be lost when the stream ends). */
  protected abstract inFrame(): boolean;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.consume(chunk);
    callback();
  }

  override _flush(callback: TransformCallback): void {
    if (this.inFrame()) this.discard('partial');
    callback();
  }

  /** Counts a drop and tells listeners (`dropped` event) so it can be logged. */
  protected discard(reason: DropReason): void {
    this.stats[reason]++;
    this.emit('dropped', reason);
  }

  /** Emits a complete frame's content, or drops it when it cannot be a read. Empty frames vanish. */
  protected emitFrame(frame: Uint8Array): void {
    if (frame.length === 0) return;
    if (frame.length > this.maxLength) return this.discard('overlong');
    const bytes = Buffer.from(frame);
    const framed =
      bytes.length >= this.prefix.length + this.suffix.length &&
      bytes.subarray(0, this.prefix.length).equals(this.prefix) &&
      bytes.subarray(bytes.length - this.suffix.length).equals(this.suffix);
    const content = bytes.subarray(this.prefix.length, bytes.length - this.suffix.length);
    if (!framed || content.length === 0 || !isPrintable(content)) return this.discard('garbage');
    this.stats.frames++;
    this.push(content.toString('latin1'));
  }
}

/** A growable byte buffer bounded by the frame length, so noise cannot grow memory. */
export class FrameBuffer {
  private readonly bytes: Buffer;
  length = 0;

  constructor(capacity: number) {
    this.bytes = Buffer.alloc(capacity);
  }

  /** Appends a byte; false when the buffer is full (the frame is overlong). */
  add(byte: number): boolean {
    if (this.length === this.bytes.length) return false;
    this.bytes[this.length++] = byte;
    return true;
  }

  get content(): Buffer {
    return this.bytes.subarray(0, this.length);
  }

  clear(): void {
    this.length = 0;
  }
}
