import { Framer, FrameBuffer, type FramerOptions } from './framer.ts';

const STX = 0x02;
const ETX = 0x03;
const CR = 0x0d;
const LF = 0x0a;

export interface StxEtxFramerOptions extends FramerOptions {
  /**
   * `xor`: a block check byte follows ETX, the XOR of every byte after STX up to and including
   * ETX (as documented for e.g. the MSR 363B magnetic card reader: "BCC ... including ETX
   * except STX"). `none`: nothing follows ETX.
   */
  checksum?: 'none' | 'xor';
}

/** `skip`: inside an overlong frame; `skip-check`: its check byte is next. */
type State = 'idle' | 'frame' | 'check' | 'skip' | 'skip-check';

/**
 * Frames like `STX content ETX [check byte]`. Bytes between frames are noise (counted once per
 * run), except CR and LF, which many readers send after ETX. STX inside a frame starts a new
 * frame and drops the cut-off one; an overlong frame is dropped and skipped up to its ETX (and
 * check byte), so the framer resynchronizes at the next STX.
 */
export class StxEtxFramer extends Framer {
  private readonly frame: FrameBuffer;
  private readonly checksum: 'none' | 'xor';
  private state: State = 'idle';
  private bcc = 0;
  /** Bytes outside frames seen since the last frame. */
  private stray = false;

  constructor(options: StxEtxFramerOptions) {
    super(options);
    this.frame = new FrameBuffer(options.maxLength);
    this.checksum = options.checksum ?? 'none';
  }

  protected consume(chunk: Buffer): void {
    for (const byte of chunk) this.next(byte);
  }

  private next(byte: number): void {
    switch (this.state) {
      case 'check':
        if (byte === this.bcc) this.emitFrame(this.frame.content);
        else this.discard('checksum');
        this.state = 'idle';
        return;
      case 'skip-check':
        this.state = 'idle';
        return;
      case 'frame':
      case 'skip':
        if (byte === STX) {
          if (this.state === 'frame') this.discard('partial');
          return this.startFrame();
        }
        if (byte === ETX) return this.endFrame();
        if (this.state === 'skip') return;
        this.bcc ^= byte;
        if (!this.frame.add(byte)) {
          this.discard('overlong');
          this.state = 'skip';
        }
        return;
      case 'idle':
        if (byte === STX) {
          if (this.stray) this.discard('garbage');
          return this.startFrame();
        }
        if (byte !== CR && byte !== LF) this.stray = true;
        return;
    }
  }

  private startFrame(): void {
    this.stray = false;
    this.frame.clear();
    this.bcc = 0;
    this.state = 'frame';
  }

  private endFrame(): void {
    const overlong = this.state === 'skip';
    if (this.checksum === 'xor') {
      this.bcc ^= ETX;
      this.state = overlong ? 'skip-check' : 'check';
      return;
    }
    if (!overlong) this.emitFrame(this.frame.content);
    this.state = 'idle';
  }

  protected inFrame(): boolean {
    return this.state === 'frame' || this.state === 'check';
  }

  override _flush(callback: (error?: Error | null) => void): void {
    // Noise after the last frame is counted like noise before one.
    if (this.state === 'idle' && this.stray) this.discard('garbage');
    this.stray = false;
    super._flush(callback);
  }
}
