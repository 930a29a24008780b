import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CardId,
  ConversionError,
  convert,
  listProfileFiles,
  parseExpression,
  readProfileFile,
  type ProfileKind,
} from '@cardbind/shared';
import { z } from 'zod';

/** `hardware-profiles/readers/` of this checkout. */
export const DEFAULT_PROFILES_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../hardware-profiles/readers',
);

const positiveInt = (max: number) =>
  z
    .int({ error: 'expected a positive integer' })
    .min(1, 'expected a positive integer')
    .max(max, `expected at most ${max}`);
/** A USB id as lsusb shows it ("0x0c27") or as a number. */
const usbIdError = 'expected a USB id: "0x" and four hex digits, as lsusb shows it';
const usbId = z.union(
  [
    z.int().min(0, usbIdError).max(0xffff, usbIdError),
    z
      .string()
      .regex(/^0x[0-9a-fA-F]{4}$/)
      .transform((hex) => parseInt(hex, 16)),
  ],
  { error: usbIdError },
);
const byte = z.int({ error: 'expected a byte (0 to 255)' }).min(0).max(255);
const index = (max: number) =>
  z
    .int({ error: `expected a whole number from 0 to ${max}` })
    .min(0)
    .max(max);
/** Printable ASCII, as a framed read must be. */
const fixedText = z
  .string()
  .min(1)
  .max(16)
  .regex(/^[ -~]+$/, 'expected 1 to 16 printable ASCII characters');
/**
 * Where a fact comes from: a URL or a document's name. A fact nobody could check starts with
 * "unconfirmed", so that a technician knows what to verify on the device.
 */
const sourceText = z.string().min(1, 'expected a URL, a document name or "unconfirmed: ..."');

/** Which HID interface to open: usage page and usage, or the USB interface number. */
const hidSelector = (defaults?: { usagePage: number; usage: number }) =>
  z.strictObject({
    usagePage: defaults ? index(0xffff).default(defaults.usagePage) : index(0xffff),
    usage: defaults ? index(0xffff).default(defaults.usage) : index(0xffff),
    /** USB interface number, for readers with several HID interfaces. */
    interface: index(255).optional(),
  });

const common = {
  id: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'expected lower-case letters, digits and dashes'),
  name: z.string().min(1),
  /** USB ids the reader shows up with, so `cardbind readers list` can recognise it. */
  usb: z.array(z.strictObject({ vendorId: usbId, productId: usbId })).optional(),
  normalize: z.strictObject({
    trim: z.boolean(),
    case: z.enum(['upper', 'lower', 'keep']),
    /**
     * A card-number conversion (Cardbind, PaperCut, SAFEQ or MyQ syntax) applied after trimming
     * and case, so that one card yields the same id on every reader model.
     */
    conversion: z.string().max(500).optional(),
  }),
  sources: z.strictObject(
    {
      model: sourceText.optional(),
      usb: sourceText,
      transport: sourceText,
      hid: sourceText.optional(),
      serial: sourceText.optional(),
      framing: sourceText.optional(),
      keyboard: sourceText.optional(),
      report: sourceText.optional(),
      output: sourceText,
    },
    { error: 'expected an object naming the source of each fact (usb, transport, output, ...)' },
  ),
};

const framingCommon = {
  /** Longest frame in bytes (prefix and suffix included); longer ones are dropped whole. */
  maxLength: positiveInt(4096),
  /** Fixed text the reader sends before / after each card number; stripped, and required. */
  prefix: fixedText.optional(),
  suffix: fixedText.optional(),
};

const SerialProfile = z.strictObject({
  ...common,
  transport: z.literal('serial'),
  serial: z.strictObject({
    baudRate: positiveInt(4_000_000),
    dataBits: z.literal([5, 6, 7, 8], { error: 'expected 5, 6, 7 or 8' }),
    parity: z.enum(['none', 'even', 'odd', 'mark', 'space']),
    stopBits: z.literal([1, 1.5, 2], { error: 'expected 1, 1.5 or 2' }),
  }),
  framing: z.discriminatedUnion(
    'type',
    [
      z.strictObject({ type: z.literal('line'), ...framingCommon }),
      z.strictObject({
        type: z.literal('stx-etx'),
        ...framingCommon,
        /** `xor`: a check byte follows ETX (XOR of the bytes after STX, ETX included). */
        checksum: z.enum(['none', 'xor']).default('none'),
      }),
    ],
    { error: 'expected "line" or "stx-etx"' },
  ),
});

const HidKeyboardProfile = z.strictObject({
  ...common,
  transport: z.literal('hid-keyboard'),
  /**
   * Which HID interface to open. Opening the reader's keyboard interface directly through
   * hidraw is what keeps its keystrokes away from the focused application.
   */
  /** Generic Desktop (1) / Keyboard (6) unless the reader says otherwise. */
  hid: hidSelector({ usagePage: 1, usage: 6 }),
  keyboard: z.strictObject({
    terminator: z.enum(['enter', 'tab']),
    maxLength: positiveInt(4096),
    interKeyTimeoutMs: z.number().int().min(1).max(10_000),
    reportOffset: z.number().int().min(0).max(8).default(0),
  }),
});

const HidReportProfile = z.strictObject({
  ...common,
  transport: z.literal('hid-report'),
  /** The reader's vendor (SDK/raw mode) interface; no defaults, every vendor differs. */
  hid: hidSelector(),
  report: z
    .strictObject({
      /** `input`: the reader sends a report per read; `feature`: the daemon polls. */
      source: z.enum(['input', 'feature']),
      /** First byte of every report (numbered reports); input reports with another id are ignored. */
      reportId: byte.optional(),
      /** For `feature`: the feature report sent before each read, and the report read back. */
      poll: z
        .strictObject({
          request: z.array(byte).min(1).max(65),
          reportId: byte,
          length: positiveInt(65),
          intervalMs: z
            .int()
            .min(50, 'expected at least 50 ms')
            .max(5000, 'expected at most 5000 ms'),
        })
        .optional(),
      /** Where the card data starts, counting the report id byte when node-hid delivers one. */
      offset: index(64),
      /** Bytes of card data. */
      length: z.int().min(1).max(32, 'expected at most 32 bytes'),
      byteOrder: z.enum(['big', 'little']),
      /** A byte in the report that says how much of the data is valid. */
      lengthByte: z.strictObject({ offset: index(64), unit: z.enum(['bytes', 'bits']) }).optional(),
      /** How the card data becomes the card id before normalization. */
      format: z.enum(['hex', 'decimal']),
    })
    .check((ctx) => {
      const report = ctx.value;
      if (report.source === 'feature' && !report.poll) {
        ctx.issues.push({
          code: 'custom',
          path: ['poll'],
          input: report,
          message: 'required when source is "feature"',
        });
      }
      if (report.source === 'input' && report.poll) {
        ctx.issues.push({
          code: 'custom',
          path: ['poll'],
          input: report,
          message: 'only for source "feature"',
        });
      }
      // A layout outside the polled report would load, then drop every read as malformed.
      const size = report.poll?.length;
      if (size !== undefined && report.offset + report.length > size) {
        ctx.issues.push({
          code: 'custom',
          path: ['length'],
          input: report,
          message: `offset + length (${report.offset + report.length}) exceeds poll.length (${size})`,
        });
      }
      if (size !== undefined && report.lengthByte && report.lengthByte.offset >= size) {
        ctx.issues.push({
          code: 'custom',
          path: ['lengthByte', 'offset'],
          input: report,
          message: `must be inside the polled report (poll.length ${size})`,
        });
      }
    }),
});

export const ReaderProfile = z.discriminatedUnion(
  'transport',
  [SerialProfile, HidKeyboardProfile, HidReportProfile],
  {
    error: 'expected "serial", "hid-keyboard" or "hid-report"',
  },
);
export type ReaderProfile = z.infer<typeof ReaderProfile>;
export type SerialReaderProfile = Extract<ReaderProfile, { transport: 'serial' }>;
export type HidKeyboardReaderProfile = Extract<ReaderProfile, { transport: 'hid-keyboard' }>;
export type HidReportReaderProfile = Extract<ReaderProfile, { transport: 'hid-report' }>;
export type HidReaderProfile = HidKeyboardReaderProfile | HidReportReaderProfile;

/** The facts of a profile marked "unconfirmed" in its `sources`, for technicians to check. */
export function unconfirmedFacts(profile: Pick<ReaderProfile, 'sources'>): string[] {
  return Object.entries(profile.sources)
    .filter(([, text]) => /^unconfirmed\b/i.test(text))
    .map(([fact]) => fact);
}

export class ProfileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProfileError';
  }
}

const READER_PROFILES: ProfileKind = { name: 'reader profile', error: ProfileError };

/** Lists the profile ids found in a profiles directory. */
export function listProfileIds(dir = DEFAULT_PROFILES_DIR): string[] {
  return listProfileFiles(dir, READER_PROFILES);
}

/** Loads and validates one profile; errors name the file and the field. */
export function loadProfile(id: string, dir = DEFAULT_PROFILES_DIR): ReaderProfile {
  return readProfileFile(dir, id, ReaderProfile, READER_PROFILES, conversionProblem);
}

/** The schema takes any text as `normalize.conversion`; the conversion's parser says more. */
function conversionProblem(profile: ReaderProfile): string | undefined {
  const conversion = profile.normalize.conversion;
  if (conversion === undefined) return undefined;
  try {
    parseExpression(conversion);
    return undefined;
  } catch (error) {
    return `normalize.conversion: ${(error as Error).message}`;
  }
}

/**
 * Turns one framed read into a card id per the profile, or null when the result is not a
 * plausible card id (empty, control characters, inner spaces): better no read than a wrong one.
 */
export function normalizeCardId(
  profile: Pick<ReaderProfile, 'normalize'>,
  raw: string,
): string | null {
  let id = profile.normalize.trim ? raw.trim() : raw;
  if (profile.normalize.case === 'upper') id = id.toUpperCase();
  if (profile.normalize.case === 'lower') id = id.toLowerCase();
  if (profile.normalize.conversion !== undefined) {
    try {
      id = convert(profile.normalize.conversion, id);
    } catch (error) {
      // A value the conversion cannot handle (e.g. not hex) is no card id: drop it.
      if (error instanceof ConversionError) return null;
      throw error;
    }
  }
  return CardId.safeParse(id).success ? id : null;
}
