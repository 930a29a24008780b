/**
 * Decodes USB HID boot-keyboard input reports (HID 1.11 appendix B: modifier byte, reserved
 * byte, six key codes) from a reader in keyboard-emulation mode back into the text it typed.
 * Key codes are usage IDs of the Keyboard/Keypad page (HID Usage Tables, page 0x07).
 */
const ENTER = 0x28;
const KEYPAD_ENTER = 0x58;
const TAB = 0x2b;
/** "ErrorRollOver": the keyboard has more keys down than it can report. */
const ROLLOVER = 0x01;
const SHIFT_MASK = 0x02 | 0x20;

const UNSHIFTED: Record<number, string> = {};
const SHIFTED: Record<number, string> = {};
for (let i = 0; i < 26; i++) {
  UNSHIFTED[0x04 + i] = String.fromCharCode(0x61 + i);
  SHIFTED[0x04 + i] = String.fromCharCode(0x41 + i);
}
'1234567890'.split('').forEach((c, i) => (UNSHIFTED[0x1e + i] = c));
'!@#$%^&*()'.split('').forEach((c, i) => (SHIFTED[0x1e + i] = c));
const PUNCTUATION: Array<[number, string, string]> = [
  [0x2c, ' ', ' '],
  [0x2d, '-', '_'],
  [0x2e, '=', '+'],
  [0x2f, '[', '{'],
  [0x30, ']', '}'],
  [0x31, '\\', '|'],
  [0x33, ';', ':'],
  [0x34, "'", '"'],
  [0x35, '`', '~'],
  [0x36, ',', '<'],
  [0x37, '.', '>'],
  [0x38, '/', '?'],
];
for (const [code, plain, shifted] of PUNCTUATION) {
  UNSHIFTED[code] = plain;
  SHIFTED[code] = shifted;
}
// Keypad digits type the same with or without shift (NumLock on, as readers send them).
'1234567890'.split('').forEach((c, i) => (UNSHIFTED[0x59 + i] = SHIFTED[0x59 + i] = c));

export type Terminator = 'enter' | 'tab';

export interface KeyboardDecoderOptions {
  terminator: Terminator;
  /** Longest line; longer input is dropped up to the next terminator. */
  maxLength: number;
  /** A pause longer than this inside a line means a half read: the partial line is dropped. */
  interKeyTimeoutMs: number;
  /** Bytes before the modifier byte (a report ID on some readers). */
  reportOffset?: number;
}

export interface DecoderStats {
  lines: number;
  overlong: number;
  partial: number;
  malformed: number;
}

export class KeyboardReportDecoder {
  readonly stats: DecoderStats = { lines: 0, overlong: 0, partial: 0, malformed: 0 };
  private pressed = new Set<number>();
  private line = '';
  private overlong = false;
  private lastKeyAt = -Infinity;

  constructor(private readonly options: KeyboardDecoderOptions) {
    if (!Number.isInteger(options.maxLength) || options.maxLength < 1) {
      throw new TypeError('"maxLength" must be a positive integer');
    }
  }

  /** Feeds one input report received at `at` (ms); returns the lines it completed. */
  push(report: Uint8Array, at: number): string[] {
    const offset = this.options.reportOffset ?? 0;
    if (report.length < offset + 3) {
      this.stats.malformed++;
      return [];
    }
    const modifiers = report[offset] ?? 0;
    const keys = [...report.subarray(offset + 2, offset + 8)].filter((k) => k !== 0);
    if (keys.includes(ROLLOVER)) return []; // no information about which keys: wait for the next report
    if (this.line.length > 0 && at - this.lastKeyAt > this.options.interKeyTimeoutMs) {
      this.stats.partial++;
      this.resetLine();
    }
    const lines: string[] = [];
    // Only keys that were not down in the previous report are new presses; key-up reports and
    // keys held across reports (rollover) type nothing.
    for (const key of keys) {
      if (this.pressed.has(key)) continue;
      this.lastKeyAt = at;
      const line = this.type(key, (modifiers & SHIFT_MASK) !== 0);
      if (line !== undefined) lines.push(line);
    }
    this.pressed = new Set(keys);
    return lines;
  }

  private type(key: number, shift: boolean): string | undefined {
    const terminator = this.options.terminator === 'enter' ? [ENTER, KEYPAD_ENTER] : [TAB];
    if (terminator.includes(key)) {
      const line = this.line;
      const wasOverlong = this.overlong;
      this.resetLine();
      if (wasOverlong) {
        this.stats.overlong++;
        return undefined;
      }
      if (line.length === 0) return undefined;
      this.stats.lines++;
      return line;
    }
    const char = (shift ? SHIFTED : UNSHIFTED)[key];
    if (char === undefined) {
      this.stats.malformed++;
      return undefined;
    }
    if (this.line.length >= this.options.maxLength) this.overlong = true;
    else this.line += char;
    return undefined;
  }

  private resetLine(): void {
    this.line = '';
    this.overlong = false;
  }
}

/** The boot-keyboard reports a keyboard sends to type `text` and then the terminator (for tests and simulation). */
export function encodeKeystrokes(text: string, terminator: Terminator = 'enter'): Uint8Array[] {
  const reports: Uint8Array[] = [];
  for (const char of text) {
    const entry = Object.entries(UNSHIFTED).find(([, c]) => c === char);
    const shifted = entry ? undefined : Object.entries(SHIFTED).find(([, c]) => c === char);
    const code = Number((entry ?? shifted)?.[0]);
    if (!Number.isFinite(code))
      throw new RangeError(`cannot type ${JSON.stringify(char)} on a US keyboard`);
    reports.push(Uint8Array.of(shifted ? 0x02 : 0, 0, code, 0, 0, 0, 0, 0));
    reports.push(new Uint8Array(8));
  }
  reports.push(Uint8Array.of(0, 0, terminator === 'enter' ? ENTER : TAB, 0, 0, 0, 0, 0));
  reports.push(new Uint8Array(8));
  return reports;
}
