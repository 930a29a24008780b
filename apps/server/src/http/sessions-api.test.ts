import { describe, expect, it } from 'vitest';
import { ADA, errorOf, useApiFixture } from './api-fixture.ts';

describe('sessions and My profile over the API', () => {
  const f = useApiFixture();

  const token = async (body: Record<string, string>, userAgent = 'CardbindClient/1.0') => {
    const response = await f.app.inject({
      method: 'POST',
      url: '/api/v1/auth/token',
      headers: { 'user-agent': userAgent },
      payload: { client_id: 'portal', ...body },
    });
    return response;
  };
  const login = async () => {
    const response = await token({
      grant_type: 'password',
      username: 'ada',
      password: ADA.password,
    });
    expect(response.statusCode).toBe(200);
    return response.json() as { access_token: string; refresh_token: string; expires_in: number };
  };
  const as = (
    accessToken: string,
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    payload?: object,
  ) =>
    f.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${accessToken}` },
      ...(payload ? { payload } : {}),
    });

  it('issues OAuth-style tokens that are not cached', async () => {
    const response = await token({
      grant_type: 'password',
      username: 'ada',
      password: ADA.password,
    });
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.json()).toEqual({
      access_token: expect.stringMatching(/^cbs_/),
      token_type: 'Bearer',
      expires_in: 900,
      refresh_token: expect.stringMatching(/^cbr_/),
    });
  });

  it('accepts form-encoded token requests as OAuth clients send them', async () => {
    const response = await f.app.inject({
      method: 'POST',
      url: '/api/v1/auth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `grant_type=password&client_id=mobile&username=ada&password=${encodeURIComponent(ADA.password)}`,
    });
    expect(response.statusCode).toBe(200);
  });

  it('logs in with an OTP or a PIN too', async () => {
    const { otp } = await f.context.admin.generateOtp('ada');
    expect((await token({ grant_type: 'otp', username: 'ada', otp })).statusCode).toBe(200);
    expect((await token({ grant_type: 'otp', username: 'ada', otp })).statusCode).toBe(401);
    const { pin } = await f.context.admin.generatePin('ada');
    expect((await token({ grant_type: 'pin', pin })).statusCode).toBe(200);
  });

  it('shows the profile with masked cards and no secrets', async () => {
    const enrollment = await f.enrollmentToken('04A1B2C3D4');
    await f.enroll({ enrollmentToken: enrollment, username: 'ada', secret: ADA.password });
    await f.context.admin.generatePin('ada');
    const { access_token } = await login();
    const me = await as(access_token, 'GET', '/api/v1/me');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      username: 'ada',
      fullName: 'Ada Lovelace',
      source: 'local',
      permissions: [
        'GenerateOTP',
        'GenerateShortID',
        'ModifyMyProfile',
        'ViewMyProfile',
        'ViewUserInputPorts',
      ],
      cards: [{ cardId: '******C3D4', terminal: 'Lobby MFD' }],
      pin: { length: 5, expiresAt: null },
    });
  });

  it('lets a local user edit name, e-mail and password, checking the current password', async () => {
    const { access_token } = await login();
    expect(
      (await as(access_token, 'PATCH', '/api/v1/me', { fullName: 'Ada King' })).statusCode,
    ).toBe(204);
    const bad = await as(access_token, 'PATCH', '/api/v1/me', { email: 'not-an-address' });
    expect(errorOf(bad).message).toMatch(/email/);
    const wrong = await as(access_token, 'PUT', '/api/v1/me/password', {
      currentPassword: 'nope',
      newPassword: 'a brand new passphrase',
    });
    expect(wrong.statusCode).toBe(401);
    const changed = await as(access_token, 'PUT', '/api/v1/me/password', {
      currentPassword: ADA.password,
      newPassword: 'a brand new passphrase',
    });
    expect(changed.statusCode).toBe(204);
    const relogin = await token({
      grant_type: 'password',
      username: 'ada',
      password: 'a brand new passphrase',
    });
    expect(relogin.statusCode).toBe(200);
    expect(
      ((await as(access_token, 'GET', '/api/v1/me')).json() as { fullName: string }).fullName,
    ).toBe('Ada King');
  });

  it('keeps directory accounts read-only but lets them generate OTPs and PINs', async () => {
    await f.store.createUser({
      username: 'dirk',
      fullName: 'Dirk Directory',
      email: 'dirk@example.org',
      passwordHash: null,
      createdAt: f.now().toISOString(),
      source: 'ldap',
    });
    const { pin } = await f.context.admin.generatePin('dirk');
    const session = (await token({ grant_type: 'pin', pin })).json() as { access_token: string };
    const edit = await as(session.access_token, 'PATCH', '/api/v1/me', { fullName: 'X' });
    expect(edit.statusCode).toBe(403);
    expect(errorOf(edit).message).toMatch(/directory "ldap"/);
    expect((await as(session.access_token, 'POST', '/api/v1/me/otp')).statusCode).toBe(201);
    expect((await as(session.access_token, 'POST', '/api/v1/me/pin')).statusCode).toBe(201);
  });

  it('refuses self-service PINs when "User can change PIN" is off', async () => {
    const settings = (await f.get('/api/v1/settings')).json() as { pin: object };
    await f.app.inject({
      method: 'PUT',
      url: '/api/v1/settings',
      headers: { authorization: `Bearer ${f.adminToken}` },
      payload: { ...settings, pin: { ...settings.pin, userCanChange: false } },
    });
    const { access_token } = await login();
    const response = await as(access_token, 'POST', '/api/v1/me/pin');
    expect(response.statusCode).toBe(403);
    expect(errorOf(response).message).toMatch(/Ask an administrator/);
  });

  it('rotates refresh tokens and ends the session when an old one is replayed', async () => {
    const first = await login();
    const refreshed = await token({
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token,
    });
    expect(refreshed.statusCode).toBe(200);
    const second = refreshed.json() as { access_token: string; refresh_token: string };
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect((await as(first.access_token, 'GET', '/api/v1/me')).statusCode).toBe(401);
    expect((await as(second.access_token, 'GET', '/api/v1/me')).statusCode).toBe(200);

    const replay = await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token });
    expect(replay.statusCode).toBe(401);
    // The thief's replay revoked the whole session, so the legitimate tokens stop working too.
    expect((await as(second.access_token, 'GET', '/api/v1/me')).statusCode).toBe(401);
    const afterRevocation = await token({
      grant_type: 'refresh_token',
      refresh_token: second.refresh_token,
    });
    expect(afterRevocation.statusCode).toBe(401);
  });

  it('expires access tokens after 15 minutes', async () => {
    const { access_token } = await login();
    f.advance(15 * 60_000);
    expect((await as(access_token, 'GET', '/api/v1/me')).statusCode).toBe(401);
  });

  it('lists own sessions with client and user agent, and deletes one', async () => {
    const mine = await login();
    await token(
      { grant_type: 'password', username: 'ada', password: ADA.password },
      'SAFEQ-like Mobile/2.0',
    );
    const list = await as(mine.access_token, 'GET', '/api/v1/me/sessions');
    const sessions = (
      list.json() as {
        sessions: Array<{ id: number; userAgent: string; current: boolean; clientId: string }>;
      }
    ).sessions;
    expect(sessions).toHaveLength(2);
    expect(sessions.find((s) => s.current)?.userAgent).toBe('CardbindClient/1.0');
    const other = sessions.find((s) => !s.current)!;
    expect(other).toMatchObject({ clientId: 'portal', userAgent: 'SAFEQ-like Mobile/2.0' });
    expect(
      (await as(mine.access_token, 'DELETE', `/api/v1/me/sessions/${other.id}`)).statusCode,
    ).toBe(204);
    expect(
      (await as(mine.access_token, 'DELETE', `/api/v1/me/sessions/${other.id}`)).statusCode,
    ).toBe(404);

    const bob = (
      await token({ grant_type: 'password', username: 'bob', password: 'bob password 1' })
    ).json() as {
      access_token: string;
    };
    const bobSessions = (await as(bob.access_token, 'GET', '/api/v1/me/sessions')).json() as {
      sessions: Array<{ id: number }>;
    };
    const notMine = await as(
      mine.access_token,
      'DELETE',
      `/api/v1/me/sessions/${bobSessions.sessions[0]!.id}`,
    );
    expect(notMine.statusCode).toBe(404);
    // An administrator can revoke anyone's session.
    const revoke = await f.app.inject({
      method: 'DELETE',
      url: `/api/v1/sessions/${bobSessions.sessions[0]!.id}`,
      headers: { authorization: `Bearer ${f.adminToken}` },
    });
    expect(revoke.statusCode).toBe(204);
    expect((await as(bob.access_token, 'GET', '/api/v1/me')).statusCode).toBe(401);
  });

  it('logs out', async () => {
    const { access_token } = await login();
    expect((await as(access_token, 'POST', '/api/v1/auth/logout')).statusCode).toBe(204);
    expect((await as(access_token, 'GET', '/api/v1/me')).statusCode).toBe(401);
  });
});

describe('password parameters', () => {
  const f = useApiFixture();

  it('rehashes a password made with older argon2 parameters at the next login', async () => {
    const ada = (await f.store.findUserByUsername('ada'))!;
    const older = await import('../secrets.ts').then((m) =>
      m.createPasswordHasher({ memoryCost: 2048, timeCost: 1, parallelism: 1 }).hash(ADA.password),
    );
    await f.store.updateUser(ada.id, { passwordHash: older });
    const login = await f.post('/api/v1/terminal/login', {
      method: 'password',
      username: 'ada',
      secret: ADA.password,
    });
    expect(login.statusCode).toBe(200);
    const after = (await f.store.findUserByUsername('ada'))!.passwordHash!;
    expect(after).not.toBe(older);
    expect(after).toMatch(/m=4096,p=1,t=1/);
  });
});
