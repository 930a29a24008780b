import { describe, expect, it } from 'vitest';
import { en } from './en.ts';
import { IMPORT_ERROR_CODES } from '../../../../server/src/card-import.ts';
import { SETTINGS_ADVICE_CODES } from '../../../../server/src/settings-advice.ts';
import {
  CATALOGS,
  formatMessage,
  hasMessage,
  LANGUAGES,
  pickLanguage,
  placeholdersOf,
  translator,
} from './i18n.ts';

describe('catalogs', () => {
  const keys = Object.keys(en).sort();

  it.each(LANGUAGES)('%s has every key of the English catalog, and no other', (language) => {
    expect(Object.keys(CATALOGS[language]).sort()).toEqual(keys);
  });

  it.each(LANGUAGES)('%s fills the same placeholders and leaves nothing empty', (language) => {
    const catalog = CATALOGS[language];
    for (const key of keys) {
      const text = catalog[key as keyof typeof en];
      expect(text.trim(), `${language} ${key}`).not.toBe('');
      expect(placeholdersOf(text), `${language} ${key}`).toEqual(
        placeholdersOf(en[key as keyof typeof en]),
      );
    }
  });

  // The portal builds these keys from the codes the server sends.
  it.each([
    ...IMPORT_ERROR_CODES.map((code) => `cardImport.error.${code}`),
    ...SETTINGS_ADVICE_CODES.map((code) => `settings.advice.${code}`),
  ])('has English words for the server code %s', (key) => {
    expect(hasMessage(key)).toBe(true);
  });

  it('knows which keys it has, so a code from a newer server falls back to its message', () => {
    expect(hasMessage('login.submit')).toBe(true);
    expect(hasMessage('cardImport.error.some_newer_code')).toBe(false);
    expect(hasMessage('constructor')).toBe(false);
  });

  it('has translations that are not simply English (spot check)', () => {
    for (const language of LANGUAGES.filter((l) => l !== 'en')) {
      expect(CATALOGS[language]['login.submit']).not.toBe(en['login.submit']);
      expect(CATALOGS[language]['denied.title']).not.toBe(en['denied.title']);
    }
  });
});

describe('messages', () => {
  it('fills placeholders and keeps unknown ones visible', () => {
    expect(formatMessage('{from}–{to} of {total}', { from: 1, to: 25, total: 90 })).toBe(
      '1–25 of 90',
    );
    expect(formatMessage('Hello {name}', {})).toBe('Hello {name}');
  });

  it('translates by key', () => {
    expect(translator('de')('nav.signedInAs', { name: 'Ada' })).toBe('Angemeldet als Ada');
    expect(translator('cs')('denied.title')).toBe('Přístup odepřen');
  });

  it('picks the stored language, else the browser’s, else English', () => {
    expect(pickLanguage('fr', ['de-DE'])).toBe('fr');
    expect(pickLanguage('xx', ['pt-BR', 'cs-CZ', 'de'])).toBe('cs');
    expect(pickLanguage(null, ['ES'])).toBe('es');
    expect(pickLanguage(null, ['pt-BR'])).toBe('en');
    expect(pickLanguage(null, [])).toBe('en');
  });
});
