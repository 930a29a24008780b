import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CardId, ConversionError, convert, parseExpression } from '@cardbind/shared';
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
const usbId = z.int({ error: 'expected a USB id (0 to 0xffff)' }).min(0).max(0xffff);

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
  source: z.string().min(1),
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
  framing: z.strictObject({
    type: z.literal('line'),
    /** Longest line in bytes; longer ones are dropped whole. */
    maxLength: positiveInt(4096),
  }),
});

const HidKeyboardProfile = z.strictObject({
  ...common,
  transport: z.literal('hid-keyboard'),
  /**
   * Which HID interface to open. Opening the reader's keyboard interface directly through
   * hidraw is what keeps its keystrokes away from the focused application.
   */
  hid: z.strictObject({
    /** Generic Desktop (1) / Keyboard (6) unless the reader says otherwise. */
    usagePage: z.number().int().min(0).max(0xffff).default(1),
    usage: z.number().int().min(0).max(0xffff).default(6),
    /** USB interface number, for readers with several HID interfaces. */
    interface: z.number().int().min(0).max(255).optional(),
  }),
  keyboard: z.strictObject({
    terminator: z.enum(['enter', 'tab']),
    maxLength: positiveInt(4096),
    interKeyTimeoutMs: z.number().int().min(1).max(10_000),
    reportOffset: z.number().int().min(0).max(8).default(0),
  }),
});

export const ReaderProfile = z.discriminatedUnion(
  'transport',
  [SerialProfile, HidKeyboardProfile],
  {
    error: 'expected "serial" or "hid-keyboard"',
  },
);
export type ReaderProfile = z.infer<typeof ReaderProfile>;
export type SerialReaderProfile = Extract<ReaderProfile, { transport: 'serial' }>;
export type HidKeyboardReaderProfile = Extract<ReaderProfile, { transport: 'hid-keyboard' }>;

export class ProfileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProfileError';
  }
}

/** Lists the profile ids found in a profiles directory. */
export function listProfileIds(dir = DEFAULT_PROFILES_DIR): string[] {
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch (error) {
    throw new ProfileError(
      `Cannot read the reader profiles directory ${dir}: ${(error as Error).message}`,
    );
  }
  return files
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

/** Loads and validates one profile; errors name the file and the field. */
export function loadProfile(id: string, dir = DEFAULT_PROFILES_DIR): ReaderProfile {
  const available = listProfileIds(dir);
  if (!available.includes(id)) {
    throw new ProfileError(`Unknown reader profile "${id}". Available: ${available.join(', ')}.`);
  }
  const file = path.join(dir, `${id}.json`);
  const shown = path.relative(process.cwd(), file) || file;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ProfileError(`${shown}: not valid JSON (${(error as Error).message}).`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ProfileError(`${shown}: expected a JSON object with the profile's fields.`);
  }
  const result = ReaderProfile.safeParse(json, { reportInput: true });
  if (!result.success) {
    throw new ProfileError(`${shown}: ${result.error.issues.flatMap(describeIssue).join('; ')}.`);
  }
  const conversion = result.data.normalize.conversion;
  if (conversion !== undefined) {
    try {
      parseExpression(conversion);
    } catch (error) {
      throw new ProfileError(`${shown}: normalize.conversion: ${(error as Error).message}.`);
    }
  }
  if (result.data.id !== id) {
    throw new ProfileError(`${shown}: id: "${result.data.id}" must match the file name "${id}".`);
  }
  return result.data;
}

/** `field.path: what is wrong`, one per field, in words a technician editing the file can act on. */
function describeIssue(issue: z.core.$ZodIssue): string[] {
  const field = (path: PropertyKey[]) =>
    path.length
      ? path
          .map((key, i) => (typeof key === 'number' ? `[${key}]` : i ? `.${String(key)}` : key))
          .join('')
      : '(top level)';
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => `${field([...issue.path, key])}: unknown field`);
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    return [`${field(issue.path)}: required`];
  }
  return [`${field(issue.path)}: ${issue.message}`];
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
