import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { listProfileFiles, readProfileFile, type ProfileKind } from '@cardbind/shared';
import { z } from 'zod';

/**
 * Panel profiles: the screens kiosks are installed on (`hardware-profiles/panels/*.json`). The
 * Electron shell sizes its window from one (`--panel ID`); the UI tests check that every screen
 * fits each of them without scrolling.
 */

/**
 * `hardware-profiles/panels/` of this checkout. A function, not a constant: bundled into the
 * Electron main process (CommonJS, no `import.meta.url`) the profiles are read from a directory
 * beside the bundle instead, and this must not run at load.
 */
export function defaultPanelsDir(): string {
  return path.resolve(
    path.dirname(fileURLToPath(import.meta.url)),
    '../../../hardware-profiles/panels',
  );
}

/** CSS pixels; a panel below 320 or above 4K is a typing mistake rather than a kiosk. */
const cssPixels = z
  .int({ error: 'expected a whole number of CSS pixels' })
  .min(320, 'expected at least 320 CSS pixels')
  .max(3840, 'expected at most 3840 CSS pixels');

/**
 * Where a fact comes from: a URL or a document's name. A fact nobody could check says
 * "unconfirmed", so that a technician knows what to measure on the device.
 */
const sourceText = z.string().min(1, 'expected a URL, a document name or "unconfirmed: ..."');

export const PanelProfile = z
  .strictObject({
    id: z
      .string()
      .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'expected lower-case letters, digits and dashes'),
    name: z.string().min(1, 'expected what a technician sees'),
    /** The page's viewport in CSS pixels (device pixels ÷ scale factor), browser chrome excluded. */
    width: cssPixels,
    height: cssPixels,
    orientation: z.enum(['landscape', 'portrait'], { error: 'expected "landscape" or "portrait"' }),
    touch: z.boolean({ error: 'expected true or false' }),
    /** A physical keyboard is attached: the on-screen keyboard starts hidden. */
    physicalKeyboard: z.boolean({ error: 'expected true or false' }),
    sources: z.strictObject(
      {
        model: sourceText.optional(),
        screen: sourceText,
        touch: sourceText,
        physicalKeyboard: sourceText,
      },
      {
        error:
          'expected an object naming the source of each fact (screen, touch, physicalKeyboard)',
      },
    ),
  })
  .check((ctx) => {
    const { width, height, orientation } = ctx.value;
    const actual = width > height ? 'landscape' : height > width ? 'portrait' : null;
    if (actual !== null && actual !== orientation) {
      ctx.issues.push({
        code: 'custom',
        path: ['orientation'],
        input: orientation,
        message: `"${orientation}" does not match ${width}×${height} (${actual}); swap width and height or fix the orientation`,
      });
    }
  });
export type PanelProfile = z.infer<typeof PanelProfile>;

export class PanelProfileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PanelProfileError';
  }
}

const PANEL_PROFILES: ProfileKind = { name: 'panel profile', error: PanelProfileError };

/** Ids of the panel profiles in a directory (file names without `.json`), sorted. */
export function listPanelProfileIds(dir = defaultPanelsDir()): string[] {
  return listProfileFiles(dir, PANEL_PROFILES);
}

/** Every profile in the directory, validated; the first broken file stops the load. */
export function loadPanelProfiles(dir = defaultPanelsDir()): PanelProfile[] {
  return listPanelProfileIds(dir).map((id) => findPanelProfile(id, dir));
}

/** The facts the kiosk page needs (`PanelFacts` in kiosk-api.ts): the profile without its sources. */
export function panelFacts(profile: PanelProfile): Omit<PanelProfile, 'sources'> {
  const { sources: _sources, ...facts } = profile;
  return facts;
}

/** One profile by id; an unknown id lists the ones there are. */
export function findPanelProfile(id: string, dir = defaultPanelsDir()): PanelProfile {
  return readProfileFile(dir, id, PanelProfile, PANEL_PROFILES);
}
