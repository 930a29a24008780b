import { describe, expect, it } from 'vitest';
import {
  cardEnrolledMail,
  MAIL_LANGUAGES,
  mailLanguage,
  newOtpMail,
  newPinMail,
} from './templates.ts';

const at = '2026-03-01T16:30:00.000Z';

describe('mail templates', () => {
  it.each(MAIL_LANGUAGES)('renders every message in %s with the values and a date', (language) => {
    const context = { language, name: 'Ada Lovelace', timeZone: 'Europe/Prague' };
    for (const mail of [
      newPinMail(context, '482913', at),
      newOtpMail(context, 'ABCDE23456', at),
      cardEnrolledMail(context, 'C3D4', 'Lobby MFD', at),
    ]) {
      expect(mail.subject.length).toBeGreaterThan(5);
      expect(mail.text).toContain('Ada Lovelace');
      expect(mail.text).toMatch(/2026/);
      expect(mail.text).toMatch(/17:30/);
    }
    expect(newPinMail(context, '482913', at).text).toContain('482913');
    expect(newPinMail(context, '482913', null).text).not.toMatch(/2026/);
  });

  it('falls back to English for languages it does not have', () => {
    expect(mailLanguage('de-AT')).toBe('de');
    expect(mailLanguage('pt-BR')).toBe('en');
  });
});
