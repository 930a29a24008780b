import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../kiosk-api.ts';
import { catalogFor, CATALOGS, format, formatWait } from './index.ts';

/** Every leaf of a catalog as `path.to.key` → text. */
function leaves(value: unknown, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      for (const [path, leaf] of leaves(child, prefix ? `${prefix}.${key}` : key)) {
        out.set(path, leaf);
      }
    }
  } else {
    out.set(prefix, value);
  }
  return out;
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('kiosk catalogs', () => {
  const english = leaves(CATALOGS.en);

  it('has a catalog for every language the kiosk offers', () => {
    expect(Object.keys(CATALOGS).sort()).toEqual([...LANGUAGES].sort());
  });

  it.each(LANGUAGES)('%s has exactly the keys of English, every one a non-empty text', (code) => {
    const catalog = leaves(CATALOGS[code]);
    expect([...catalog.keys()].sort()).toEqual([...english.keys()].sort());
    for (const [key, text] of catalog) {
      expect(typeof text, key).toBe('string');
      expect((text as string).trim(), key).not.toBe('');
    }
  });

  it.each(LANGUAGES)('%s uses the same placeholders as English', (code) => {
    for (const [key, text] of leaves(CATALOGS[code])) {
      expect(placeholders(text as string), key).toEqual(placeholders(english.get(key) as string));
    }
  });

  it('names each language in itself, each differently', () => {
    const names = LANGUAGES.map((code) => CATALOGS[code].languageName);
    expect(new Set(names).size).toBe(LANGUAGES.length);
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(format('Welcome, {name}', { name: 'Ada' })).toBe('Welcome, Ada');
    expect(format('{missing} here', {})).toBe('{missing} here');
  });

  it('says waits in seconds, and in whole minutes from two minutes on', () => {
    expect(formatWait(30, CATALOGS.en)).toBe('30 s');
    expect(formatWait(0.2, CATALOGS.en)).toBe('1 s');
    expect(formatWait(900, CATALOGS.de)).toBe('15 min');
    expect(formatWait(121, CATALOGS.en)).toBe('3 min');
  });

  it('falls back to English for a language it does not have', () => {
    expect(catalogFor('xx')).toBe(CATALOGS.en);
    expect(catalogFor('de')).toBe(CATALOGS.de);
  });
});
