import { cs } from './cs.ts';
import { de } from './de.ts';
import { en, type Catalog, type MessageKey } from './en.ts';
import { es } from './es.ts';
import { fr } from './fr.ts';

export type { Catalog, MessageKey } from './en.ts';

/** The portal's languages, the same as the server's e-mails. */
export const LANGUAGES = ['en', 'de', 'cs', 'fr', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Each language named in itself, as a switcher shows it. */
export const LANGUAGE_NAMES: Record<Language, string> = {
  en: 'English',
  de: 'Deutsch',
  cs: 'Čeština',
  fr: 'Français',
  es: 'Español',
};

export const CATALOGS: Record<Language, Catalog> = { en, de, cs, fr, es };

export type MessageParams = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: MessageParams) => string;

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** Fills `{name}` placeholders; an unknown placeholder stays visible rather than vanishing. */
export function formatMessage(template: string, params: MessageParams = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/**
 * Whether the portal has words for `key`. A key built from a server's code (an import error, a
 * settings advice) may have none when the server is newer than the portal: then show the
 * server's English message instead of asking `t` for a key it cannot fill.
 */
export function hasMessage(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}

export function translator(language: Language): Translate {
  const catalog = CATALOGS[language];
  return (key, params) => formatMessage(catalog[key] ?? en[key], params);
}

/**
 * An account's language as a select offers it: first "none" (value `''`, sent as null) under
 * `noneLabel` — "not chosen" where an administrator picks it, "follow the browser" where the
 * user does — then every language named in itself.
 */
export function accountLanguageOptions(
  t: Translate,
  noneLabel: MessageKey = 'user.languageNotChosen',
): Array<{ value: string; label: string }> {
  return [
    { value: '', label: t(noneLabel) },
    ...LANGUAGES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] })),
  ];
}

/** The placeholders a message uses, for checking translations. */
export function placeholdersOf(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();
}

/** The stored choice, else the browser's first language we have, else English. */
export function pickLanguage(stored: string | null, preferred: readonly string[]): Language {
  if (isLanguage(stored)) return stored;
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return 'en';
}
