import { describe, expect, it } from 'vitest';
import type { MailText } from '../mail/templates.ts';
import { ADA, useApiFixture } from './api-fixture.ts';

/** The account language: null until the user chooses, and an English choice is a choice. */
describe('the language of my account', () => {
  const sent: MailText[] = [];
  const f = useApiFixture({
    mailer: () => ({
      send: async (_to: string, mail: MailText) => {
        sent.push(mail);
      },
    }),
  });

  const session = async () => {
    const token = await f.accessToken(ADA);
    return (method: 'GET' | 'PATCH', payload?: object) =>
      f.send(method, '/api/v1/me', payload, token);
  };
  const languageOf = async (me: Awaited<ReturnType<typeof session>>) =>
    ((await me('GET')).json() as { language: unknown }).language;

  it('is null for a new account, and English stays English once chosen', async () => {
    const me = await session();
    expect(await languageOf(me)).toBeNull();
    expect((await me('PATCH', { language: 'en' })).statusCode).toBe(204);
    expect(await languageOf(me)).toBe('en');
    // Changing something else leaves the choice alone.
    expect((await me('PATCH', { fullName: 'Ada King' })).statusCode).toBe(204);
    expect(await languageOf(me)).toBe('en');
    // Null takes the choice back: the portal follows the browser again.
    expect((await me('PATCH', { language: null })).statusCode).toBe(204);
    expect(await languageOf(me)).toBeNull();
    expect((await me('PATCH', { language: 'klingon' })).statusCode).toBe(400);
  });

  it("writes e-mails in the user's language, else in the site's default", async () => {
    const settings = (await f.get('/api/v1/settings')).json() as Record<string, object>;
    expect(settings.email).toEqual({ defaultLanguage: 'en' });
    const saved = await f.app.inject({
      method: 'PUT',
      url: '/api/v1/settings',
      headers: { authorization: `Bearer ${f.adminToken}` },
      payload: {
        ...settings,
        otp: { ...settings.otp, sendByEmail: true },
        email: { defaultLanguage: 'de' },
      },
    });
    expect(saved.statusCode).toBe(200);
    const otpMailSubject = async () => {
      sent.length = 0;
      expect((await f.post('/api/v1/users/ada/otp', {}, f.adminToken)).statusCode).toBe(201);
      expect(sent).toHaveLength(1);
      return sent[0]?.subject;
    };
    expect(await otpMailSubject()).toBe('Ihr Einmalpasswort');
    const me = await session();
    await me('PATCH', { language: 'en' });
    expect(await otpMailSubject()).toBe('Your one-time password');
  });
});
