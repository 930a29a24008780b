import type { LanguageCode } from '../../kiosk-api.ts';
import type { Catalog } from './catalog.ts';
import { cs } from './cs.ts';
import { de } from './de.ts';
import { en } from './en.ts';
import { es } from './es.ts';
import { fr } from './fr.ts';

export { format, formatWait, type Catalog } from './catalog.ts';

/** One catalog per language the kiosk offers, in the order the language switch shows them. */
export const CATALOGS: Record<LanguageCode, Catalog> = { en, de, cs, fr, es };

/** The catalog for a language code; English for one the kiosk does not have. */
export function catalogFor(language: string): Catalog {
  return Object.hasOwn(CATALOGS, language) ? CATALOGS[language as LanguageCode] : en;
}
