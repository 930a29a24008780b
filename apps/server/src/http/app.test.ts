import { describe, expect, it } from 'vitest';
import { errorOf, TTL_MS, useApiFixture } from './api-fixture.ts';

describe('HTTP API', () => {
  const f = useApiFixture();

  it('answers the health check', async () => {
    const response = await f.app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('offers enrollment for an unknown card, with an expiry', async () => {
    const response = await f.cardAuth('04A1B2C3D4');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toEqual({
      result: 'unknown',
      enrollmentToken: expect.stringMatching(/^cbe_[A-Za-z0-9_-]{43}$/),
      expiresAt: new Date(f.now().getTime() + TTL_MS).toISOString(),
    });
  });

  it('enrolls with username and password, then recognises the card', async () => {
    const token = await f.enrollmentToken('04A1B2C3D4');
    const response = await f.enroll({
      enrollmentToken: token,
      username: 'ADA',
      secret: 'correct horse battery',
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({
      result: 'enrolled',
      user: { username: 'ada', fullName: 'Ada Lovelace' },
    });
    const again = await f.cardAuth('04A1B2C3D4', f.otherTerminalToken);
    expect(again.json()).toEqual({
      result: 'known',
      user: { username: 'ada', fullName: 'Ada Lovelace' },
    });
  });

  it('refuses a wrong password or an unknown user with the same answer, and keeps the token usable', async () => {
    const token = await f.enrollmentToken('04A1B2C3D4');
    for (const attempt of [
      { username: 'ada', secret: 'wrong password' },
      { username: 'nobody', secret: 'correct horse battery' },
    ]) {
      const response = await f.enroll({ enrollmentToken: token, ...attempt });
      expect(response.statusCode).toBe(401);
      expect(errorOf(response).code).toBe('invalid_credentials');
    }
    const retry = await f.enroll({
      enrollmentToken: token,
      username: 'ada',
      secret: 'correct horse battery',
    });
    expect(retry.statusCode).toBe(201);
  });

  it('refuses a card that another account enrolled meanwhile', async () => {
    const first = await f.enrollmentToken('04A1B2C3D4');
    const second = await f.enrollmentToken('04A1B2C3D4', f.otherTerminalToken);
    const ok = await f.enroll({
      enrollmentToken: first,
      username: 'ada',
      secret: 'correct horse battery',
    });
    expect(ok.statusCode).toBe(201);
    const conflict = await f.enroll(
      { enrollmentToken: second, username: 'bob', secret: 'bob password 1' },
      f.otherTerminalToken,
    );
    expect(conflict.statusCode).toBe(409);
    expect(errorOf(conflict).code).toBe('card_already_bound');
  });

  it('binds a card only once when two terminals race for it', async () => {
    const first = await f.enrollmentToken('04A1B2C3D4');
    const second = await f.enrollmentToken('04A1B2C3D4', f.otherTerminalToken);
    const responses = await Promise.all([
      f.enroll({ enrollmentToken: first, username: 'ada', secret: 'correct horse battery' }),
      f.enroll(
        { enrollmentToken: second, username: 'bob', secret: 'bob password 1' },
        f.otherTerminalToken,
      ),
    ]);
    expect(responses.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    const cards = await f.store.listCards({ limit: 10, offset: 0 });
    expect(cards).toHaveLength(1);
  });

  it('answers 410 for an expired, used, unknown or foreign enrollment token', async () => {
    const good = { username: 'ada', secret: 'correct horse battery' };
    const expired = await f.enrollmentToken('04000001');
    f.advance(TTL_MS);
    const foreign = await f.enrollmentToken('04000002', f.otherTerminalToken);
    const used = await f.enrollmentToken('04000003');
    expect((await f.enroll({ enrollmentToken: used, ...good })).statusCode).toBe(201);

    for (const token of [expired, used, foreign, 'cbe_unknown']) {
      const response = await f.enroll({ enrollmentToken: token, ...good });
      expect(response.statusCode, token).toBe(410);
      expect(errorOf(response).code).toBe('enrollment_expired');
    }
  });

  it('answers 401 unauthorized without a valid terminal token', async () => {
    for (const token of [null, 'cbt_wrong', f.adminToken]) {
      const response = await f.cardAuth('04A1B2C3D4', token as string);
      expect(response.statusCode).toBe(401);
      expect(errorOf(response).code).toBe('unauthorized');
      const enrollResponse = await f.enroll(
        { enrollmentToken: 'x', username: 'ada', secret: 'x' },
        token as string,
      );
      expect(enrollResponse.statusCode).toBe(401);
      expect(errorOf(enrollResponse).code).toBe('unauthorized');
    }
  });

  it('answers 400 invalid_request naming the bad field', async () => {
    const cases: Array<[string, unknown, RegExp]> = [
      ['/api/v1/terminal/card-auth', {}, /cardId/],
      ['/api/v1/terminal/card-auth', { cardId: '' }, /cardId/],
      ['/api/v1/terminal/card-auth', { cardId: 'AB CD' }, /cardId/],
      ['/api/v1/terminal/card-auth', { cardId: 'ABCD', extra: 1 }, /"extra"/],
      ['/api/v1/terminal/enroll', { enrollmentToken: 't', username: 'ada', secret: 'x' }, /method/],
      [
        '/api/v1/terminal/enroll',
        { enrollmentToken: 't', username: 'ada', secret: 'x', method: 'sms' },
        /method/,
      ],
      [
        '/api/v1/terminal/enroll',
        { enrollmentToken: 't', username: ' ', secret: 'x', method: 'password' },
        /username/,
      ],
    ];
    for (const [url, body, field] of cases) {
      const response = await f.post(url, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(errorOf(response).code).toBe('invalid_request');
      expect(errorOf(response).message).toMatch(field);
    }
  });

  it('answers malformed JSON with 400 and oversized bodies with 413', async () => {
    const malformed = await f.app.inject({
      method: 'POST',
      url: '/api/v1/terminal/card-auth',
      headers: { authorization: `Bearer ${f.terminalToken}`, 'content-type': 'application/json' },
      payload: '{"cardId":',
    });
    expect(malformed.statusCode).toBe(400);
    expect(errorOf(malformed).code).toBe('invalid_request');
    const huge = await f.cardAuth('A'.repeat(4000));
    expect(huge.statusCode).toBe(413);
    expect(errorOf(huge).code).toBe('payload_too_large');
  });

  it('answers unknown paths with 404 in the error shape', async () => {
    const response = await f.app.inject({ method: 'GET', url: '/api/v1/nope' });
    expect(response.statusCode).toBe(404);
    expect(errorOf(response).code).toBe('not_found');
  });

  it('lists enrolled cards to admins only', async () => {
    const token = await f.enrollmentToken('04A1B2C3D4');
    await f.enroll({ enrollmentToken: token, username: 'ada', secret: 'correct horse battery' });

    for (const bad of [undefined, f.terminalToken, 'cba_wrong']) {
      const response = await f.app.inject({
        method: 'GET',
        url: '/api/v1/cards',
        headers: bad ? { authorization: `Bearer ${bad}` } : {},
      });
      expect(response.statusCode).toBe(401);
      expect(errorOf(response).code).toBe('unauthorized');
    }
    const response = await f.app.inject({
      method: 'GET',
      url: '/api/v1/cards',
      headers: { authorization: `Bearer ${f.adminToken}` },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      cards: [
        {
          cardId: '04A1B2C3D4',
          username: 'ada',
          fullName: 'Ada Lovelace',
          createdAt: f.now().toISOString(),
          terminal: 'Lobby MFD',
          expiresAt: null,
          source: 'panel',
        },
      ],
      total: 1,
    });
    const badPage = await f.app.inject({
      method: 'GET',
      url: '/api/v1/cards?limit=0',
      headers: { authorization: `Bearer ${f.adminToken}` },
    });
    expect(badPage.statusCode).toBe(400);
    expect(errorOf(badPage).message).toMatch(/limit/);
  });
});
