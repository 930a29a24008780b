import { describe, expect, it } from 'vitest';
import { useApiFixture } from './http/api-fixture.ts';
import { SiteSettings } from './settings.ts';
import { adviseOnSettings, type SiteFacts } from './settings-advice.ts';

const QUIET: SiteFacts = {
  mailConfigured: true,
  groups: ['ALL USERS', 'SELF-REGISTERED', 'Visitors'],
  selfRegisteredMembers: 0,
  temporaryPinUsersWithoutEmail: 0,
};
const settings = (pin: object = {}, otp: object = {}) => SiteSettings.parse({ pin, otp });
const codes = (s: SiteSettings, facts: Partial<SiteFacts> = {}) =>
  adviseOnSettings(s, { ...QUIET, ...facts }).map((a) => a.code);

describe('advice on site settings (MyQ "Notes on Temporary PINs")', () => {
  it('has nothing to say about the defaults', () => {
    expect(codes(settings())).toEqual([]);
  });

  it('warns when temporary PINs are neither mailed nor renewable by their owners', () => {
    const temporary = settings({ temporaryFor: 'all', sendByEmail: false, userCanChange: false });
    expect(codes(temporary)).toEqual(['temporary_pins_not_mailed', 'temporary_pins_not_renewable']);
    expect(codes(settings({ temporaryFor: 'all', sendByEmail: true }))).toEqual([]);
  });

  it('counts SELF-REGISTERED members as temporary-PIN users even when temporaryFor is none', () => {
    expect(codes(settings(), { selfRegisteredMembers: 0 })).toEqual([]);
    expect(codes(settings(), { selfRegisteredMembers: 3 })).toEqual(['temporary_pins_not_mailed']);
  });

  it('warns about PINs for new users that nobody is told', () => {
    expect(codes(settings({ generateForNewUsers: true }))).toEqual(['new_user_pins_not_mailed']);
    expect(codes(settings({ generateForNewUsers: true, sendByEmail: true }))).toEqual([]);
  });

  it('warns about e-mail turned on without an SMTP server', () => {
    expect(codes(settings({}, { sendByEmail: true }), { mailConfigured: false })).toEqual([
      'mail_not_configured',
    ]);
    expect(codes(settings({ sendByEmail: true }), { mailConfigured: false })).toEqual([
      'mail_not_configured',
    ]);
    expect(codes(settings({}, { sendByEmail: true }))).toEqual([]);
  });

  it('counts temporary-PIN users without an address, and names unknown groups', () => {
    const advice = adviseOnSettings(
      settings({
        temporaryFor: 'groups',
        temporaryGroups: ['Visitors', 'Contractors'],
        sendByEmail: true,
      }),
      { ...QUIET, temporaryPinUsersWithoutEmail: 2 },
    );
    expect(advice.map((a) => [a.code, a.params])).toEqual([
      ['pin_recipients_without_email', { count: 2 }],
      ['temporary_group_unknown', { group: 'Contractors' }],
    ]);
    for (const { message } of advice) expect(message).toMatch(/\.$/);
  });
});

describe('GET /api/v1/settings/advice', () => {
  const f = useApiFixture();
  const as = () => ({ authorization: `Bearer ${f.adminToken}` });
  const advice = async () =>
    (
      (await f.app.inject({ url: '/api/v1/settings/advice', headers: as() })).json() as {
        advice: Array<{ code: string; params: object }>;
      }
    ).advice.map((a) => [a.code, a.params]);

  it('reads the facts from the store: mail, groups, and who has no address', async () => {
    expect(await advice()).toEqual([]);
    const current = (await f.app.inject({ url: '/api/v1/settings', headers: as() })).json() as {
      pin: object;
    };
    const put = await f.app.inject({
      method: 'PUT',
      url: '/api/v1/settings',
      headers: as(),
      payload: {
        ...current,
        pin: {
          ...current.pin,
          sendByEmail: true,
          temporaryFor: 'groups',
          temporaryGroups: ['Guests'],
        },
      },
    });
    expect(put.statusCode).toBe(200);
    // No SMTP server in this fixture; no group "Guests" yet.
    expect(await advice()).toEqual([
      ['mail_not_configured', {}],
      ['temporary_group_unknown', { group: 'Guests' }],
    ]);
    // Two guests, one without an address; and a self-registered user without one.
    const guest = async (username: string, email: string | null, group: string) => {
      const user = await f.context.admin.addUser({
        username,
        fullName: username,
        email,
        password: null,
      });
      await f.store.addUserToGroup(user.id, group);
    };
    await guest('gina', null, 'Guests');
    await guest('gus', 'gus@example.org', 'Guests');
    await guest('sam', null, 'SELF-REGISTERED');
    expect(await advice()).toEqual([
      ['mail_not_configured', {}],
      ['pin_recipients_without_email', { count: 2 }],
    ]);
  });
});
