import { describe, expect, it } from 'vitest';
import { ADA, BOB, errorOf, useApiFixture } from './api-fixture.ts';

describe('OTPs, PINs, lockout and audit over the API', () => {
  const f = useApiFixture();

  const generate = async (kind: 'otp' | 'pin', username: string) => {
    const response = await f.post(`/api/v1/users/${username}/${kind}`, {}, f.adminToken);
    expect(response.statusCode).toBe(201);
    expect(response.headers['cache-control']).toBe('no-store');
    return response.json() as { otp: string; pin: string; expiresAt: string | null };
  };
  const putSettings = (settings: unknown) =>
    f.app.inject({
      method: 'PUT',
      url: '/api/v1/settings',
      headers: { authorization: `Bearer ${f.adminToken}` },
      payload: settings as object,
    });
  const login = (body: Record<string, unknown>, token?: string) =>
    f.post('/api/v1/terminal/login', body, token);

  it('enrolls a card with a one-time password, which then cannot be used again', async () => {
    const { otp, expiresAt } = await generate('otp', 'ada');
    expect(otp).toMatch(/^[A-HJKMNP-TV-Z2-9]{10}$/);
    expect(expiresAt).toBe(new Date(f.now().getTime() + 24 * 3_600_000).toISOString());

    const first = await f.enrollmentToken('CARD-A');
    const lowerCaseOtp = otp.toLowerCase();
    const ok = await f.enroll({
      enrollmentToken: first,
      username: 'ada',
      secret: lowerCaseOtp,
      method: 'otp',
    });
    expect(ok.statusCode).toBe(201);

    const second = await f.enrollmentToken('CARD-B');
    const reuse = await f.enroll({
      enrollmentToken: second,
      username: 'ada',
      secret: otp,
      method: 'otp',
    });
    expect(reuse.statusCode).toBe(401);
    expect(errorOf(reuse).code).toBe('credential_expired');
    expect(errorOf(reuse).message).toMatch(/already used or has expired/);
  });

  it('lets only one of two terminals racing with the same OTP enroll', async () => {
    const { otp } = await generate('otp', 'ada');
    const here = await f.enrollmentToken('CARD-A');
    const there = await f.enrollmentToken('CARD-B', f.otherTerminalToken);
    const responses = await Promise.all([
      f.enroll({ enrollmentToken: here, username: 'ada', secret: otp, method: 'otp' }),
      f.enroll(
        { enrollmentToken: there, username: 'ada', secret: otp, method: 'otp' },
        f.otherTerminalToken,
      ),
    ]);
    expect(responses.map((r) => r.statusCode).sort()).toEqual([201, 401]);
  });

  it('refuses an expired OTP with a clear reason', async () => {
    const { otp } = await generate('otp', 'ada');
    f.advance(24 * 3_600_000);
    const token = await f.enrollmentToken('CARD-A');
    const response = await f.enroll({
      enrollmentToken: token,
      username: 'ada',
      secret: otp,
      method: 'otp',
    });
    expect(errorOf(response).code).toBe('credential_expired');
  });

  it('generates unique PINs long enough for the number of users, and logs in with a PIN alone', async () => {
    const policy = await f.get('/api/v1/pin-policy');
    // Two users: 2 / 10^5 ≤ 1/10,000 needs five digits.
    expect(policy.json()).toEqual({ users: 2, minimumLength: 5, pinsTooShort: 0, warning: null });
    const { pin, expiresAt } = await generate('pin', 'ada');
    expect(pin).toMatch(/^\d{5}$/);
    expect(expiresAt).toBeNull();
    const bobPin = (await generate('pin', 'bob')).pin;
    expect(bobPin).not.toBe(pin);

    const response = await login({ method: 'pin', pin });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      result: 'authenticated',
      user: { username: 'ada', fullName: 'Ada Lovelace' },
    });
    const token = await f.enrollmentToken('CARD-A');
    const wrongOwner = await f.enroll({
      enrollmentToken: token,
      username: 'ada',
      secret: bobPin,
      method: 'pin',
    });
    expect(errorOf(wrongOwner).code).toBe('invalid_credentials');
    const enrolled = await f.enroll({
      enrollmentToken: token,
      username: 'ada',
      secret: pin,
      method: 'pin',
    });
    expect(enrolled.statusCode).toBe(201);
  });

  it('warns when growth makes existing PINs too short', async () => {
    await generate('pin', 'ada');
    for (let i = 0; i < 9; i++) {
      await f.context.admin.addUser({
        username: `u${i}`,
        fullName: `U ${i}`,
        email: null,
        password: null,
      });
    }
    const policy = (await f.get('/api/v1/pin-policy')).json() as {
      minimumLength: number;
      warning: string;
    };
    expect(policy.minimumLength).toBe(6);
    expect(policy.warning).toMatch(/1 PIN\(s\) are shorter than the 6 digits 11 users need/);
  });

  it('makes temporary PINs as configured and refuses them once expired', async () => {
    const settings = (await f.get('/api/v1/settings')).json() as Record<
      string,
      Record<string, unknown>
    >;
    const updated = await putSettings({
      ...settings,
      pin: { ...settings.pin, temporaryFor: 'all', validityHours: 2 },
    });
    expect(updated.statusCode).toBe(200);
    const { pin, expiresAt } = await generate('pin', 'ada');
    expect(expiresAt).toBe(new Date(f.now().getTime() + 2 * 3_600_000).toISOString());
    expect((await login({ method: 'pin', pin })).statusCode).toBe(200);
    f.advance(2 * 3_600_000);
    const expired = await login({ method: 'pin', pin });
    expect(expired.statusCode).toBe(401);
    expect(errorOf(expired).code).toBe('credential_expired');
  });

  it('always gives members of SELF-REGISTERED temporary PINs', async () => {
    const bob = (await f.store.findUserByUsername('bob'))!;
    await f.store.addUserToGroup(bob.id, 'SELF-REGISTERED');
    expect((await generate('pin', 'bob')).expiresAt).not.toBeNull();
    expect((await generate('pin', 'ada')).expiresAt).toBeNull();
  });

  it('refuses methods the site switched off, and invalid settings naming the field', async () => {
    const settings = (await f.get('/api/v1/settings')).json() as Record<string, unknown>;
    await putSettings({ ...settings, enrollment: { methods: ['password'] } });
    const { otp } = await generate('otp', 'ada');
    const token = await f.enrollmentToken('CARD-A');
    const response = await f.enroll({
      enrollmentToken: token,
      username: 'ada',
      secret: otp,
      method: 'otp',
    });
    expect(response.statusCode).toBe(403);
    expect(errorOf(response).code).toBe('method_not_allowed');
    const policy = await f.get('/api/v1/terminal/policy', f.terminalToken);
    expect(policy.json()).toEqual({
      enrollmentMethods: ['password'],
      loginMethods: ['password', 'pin'],
    });

    const bad = await putSettings({ lockout: { accountLockAfter: 500 } });
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).message).toMatch(/lockout\.accountLockAfter/);
  });

  it('delays an account after repeated failures, says how long, and unlocks on request', async () => {
    const wrong = { method: 'password', username: 'ada', secret: 'wrong password' };
    const left = [];
    for (let i = 0; i < 5; i++) {
      const response = await login(wrong);
      expect(errorOf(response).code).toBe('invalid_credentials');
      left.push(errorOf(response).attemptsLeft);
    }
    expect(left).toEqual([4, 3, 2, 1, 0]);
    const blocked = await login({ method: 'password', username: 'ada', secret: ADA.password });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.headers['retry-after']).toBe('30');
    expect(errorOf(blocked)).toMatchObject({ code: 'too_many_attempts', retryAfterSeconds: 30 });

    f.advance(30_000);
    expect((await login(wrong)).statusCode).toBe(401);
    const longer = await login(wrong);
    expect(longer.headers['retry-after']).toBe('60');

    const unlock = await f.post('/api/v1/users/ada/unlock', {}, f.adminToken);
    expect(unlock.statusCode).toBe(204);
    expect(
      (await login({ method: 'password', username: 'ada', secret: ADA.password })).statusCode,
    ).toBe(200);
  });

  it('locks an account for good after the configured consecutive failures', async () => {
    const settings = (await f.get('/api/v1/settings')).json() as Record<string, unknown>;
    await putSettings({ ...settings, lockout: { accountDelayAfter: 50, accountLockAfter: 3 } });
    for (let i = 0; i < 3; i++) {
      await login({ method: 'password', username: 'bob', secret: 'nope nope' });
    }
    f.advance(24 * 3_600_000);
    const locked = await login({ method: 'password', username: 'bob', secret: BOB.password });
    expect(locked.statusCode).toBe(423);
    expect(errorOf(locked).message).toMatch(/locked.*administrator/);
  });

  it('slows down PIN guessing across accounts at one terminal, not at the others', async () => {
    const { pin } = await generate('pin', 'ada');
    const wrongPin = pin === '13579' ? '24680' : '13579';
    for (let i = 0; i < 10; i++) {
      expect((await login({ method: 'pin', pin: wrongPin })).statusCode).toBe(401);
    }
    const throttled = await login({ method: 'pin', pin });
    expect(throttled.statusCode).toBe(429);
    expect(errorOf(throttled).message).toMatch(/at this terminal/);
    expect((await login({ method: 'pin', pin }, f.otherTerminalToken)).statusCode).toBe(200);
  });

  it('audits credential and card events without any secret', async () => {
    const { otp } = await generate('otp', 'ada');
    const { pin } = await generate('pin', 'bob');
    await login({ method: 'password', username: 'ada', secret: 'wrong password' });
    await login({ method: 'password', username: 'mallory', secret: 'guess one' });
    const token = await f.enrollmentToken('04A1B2C3D4');
    await f.enroll({ enrollmentToken: token, username: 'ada', secret: otp, method: 'otp' });
    await login({ method: 'pin', pin });

    const audit = await f.get('/api/v1/audit?limit=50');
    expect(audit.statusCode).toBe(200);
    const text = audit.body;
    for (const secret of [otp, pin, 'wrong password', 'guess one', ADA.password, '04A1B2C3D4']) {
      expect(text).not.toContain(secret);
    }
    const events = (audit.json() as { events: Array<Record<string, unknown>> }).events;
    expect(events.map((e) => `${e.action}:${e.outcome}`)).toEqual([
      'login.pin:success',
      'card.enroll:success',
      'card.auth:failure',
      'login.password:failure',
      'login.password:failure',
      'pin.generate:success',
      'otp.generate:success',
    ]);
    expect(events[1]).toMatchObject({
      actor: 'terminal:Lobby MFD',
      subject: 'user:ada',
      card: '******C3D4',
      detail: 'otp',
    });
    expect(events[3]).toMatchObject({ subject: 'unknown:mallory', detail: 'invalid_credentials' });
    const filtered = await f.get('/api/v1/audit?action=card.enroll&outcome=success');
    expect((filtered.json() as { events: unknown[] }).events).toHaveLength(1);
  });

  it('keeps the admin endpoints for admin tokens only', async () => {
    for (const [method, url] of [
      ['POST', '/api/v1/users/ada/otp'],
      ['POST', '/api/v1/users/ada/pin'],
      ['POST', '/api/v1/users/ada/unlock'],
      ['GET', '/api/v1/settings'],
      ['PUT', '/api/v1/settings'],
      ['GET', '/api/v1/pin-policy'],
      ['GET', '/api/v1/audit'],
      ['GET', '/api/v1/cards'],
    ] as const) {
      for (const token of [undefined, f.terminalToken]) {
        const response = await f.app.inject({
          method,
          url,
          headers: token ? { authorization: `Bearer ${token}` } : {},
          ...(method === 'GET' ? {} : { payload: {} }),
        });
        expect(response.statusCode, `${method} ${url}`).toBe(401);
      }
    }
    const missing = await f.post('/api/v1/users/nobody/otp', {}, f.adminToken);
    expect(missing.statusCode).toBe(404);
    expect(errorOf(missing).code).toBe('not_found');
  });
});
