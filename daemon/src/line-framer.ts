import { Framer, FrameBuffer, type FramerOptions } from './framer.ts';

const LF = 0x0a;
const CR = 0x0d;

/**
 * Splits a reader's byte stream into lines ended by CR, LF or CR LF (node-serialport's
 * ReadlineParser knows one delimiter only). Empty lines vanish, so CR LF is one terminator
 * even when split across chunks. The buffer is bounded: an overlong line is dropped whole and
 * the framer resynchronizes at the next terminator. A half line left when the stream ends is
 * discarded.
 */
export class LineFramer extends Framer {
  private readonly line: FrameBuffer;
  /** Inside an overlong line: skip to the next terminator. */
  private discarding = false;

  constructor(options: FramerOptions) {
    super(options);
    this.line = new FrameBuffer(options.maxLength);
  }

  protected consume(chunk: Buffer): void {
    for (const byte of chunk) {
      if (byte === CR || byte === LF) {
        if (!this.discarding) this.emitFrame(this.line.content);
        this.discarding = false;
        this.line.clear();
      } else if (!this.discarding && !this.line.add(byte)) {
        this.discarding = true;
        this.discard('overlong');
      }
    }
  }

  protected inFrame(): boolean {
    return this.line.length > 0;
  }
}
