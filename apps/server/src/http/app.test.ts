import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { silentLogger, type ErrorBody } from '@cardbind/shared';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AdminOperations } from '../admin.ts';
import { createPasswordHasher } from '../secrets.ts';
import { TerminalService } from '../services.ts';
import type { KyselyStore } from '../store/kysely-store.ts';
import { openSqliteStore } from '../store/sqlite.ts';
import { buildApp } from './app.ts';

const FAST_HASHING = { memoryCost: 4096, timeCost: 1, parallelism: 1 };
const TTL_MS = 60_000;

describe('HTTP API', () => {
  let dir: string;
  let store: KyselyStore;
  let app: FastifyInstance;
  let clock: Date;
  let terminalToken: string;
  let otherTerminalToken: string;
  let adminToken: string;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'cardbind-api-'));
    store = await openSqliteStore(dir);
    clock = new Date('2026-01-01T10:00:00.000Z');
    const passwords = createPasswordHasher(FAST_HASHING);
    const admin = new AdminOperations(store, passwords, () => clock);
    await admin.addUser({
      username: 'ada',
      fullName: 'Ada Lovelace',
      email: 'ada@example.org',
      password: 'correct horse battery',
    });
    await admin.addUser({
      username: 'bob',
      fullName: 'Bob Builder',
      email: null,
      password: 'bob password 1',
    });
    terminalToken = (await admin.addTerminal('Lobby MFD')).token;
    otherTerminalToken = (await admin.addTerminal('Floor 2 MFD')).token;
    adminToken = await admin.addAdminToken('tests');
    const terminals = new TerminalService({
      store,
      passwords,
      logger: silentLogger,
      enrollmentTtlMs: TTL_MS,
      now: () => clock,
    });
    app = buildApp({ store, terminals, logger: silentLogger, bodyLimit: 2048 });
  });

  afterEach(async () => {
    await app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = (url: string, body: unknown, token: string | null = terminalToken) =>
    app.inject({
      method: 'POST',
      url,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      payload: body as object,
    });
  const cardAuth = (cardId: string, token?: string) =>
    post('/api/v1/terminal/card-auth', { cardId }, token);
  const enroll = (body: Record<string, unknown>, token?: string) =>
    post('/api/v1/terminal/enroll', { method: 'password', ...body }, token);
  const errorOf = (response: { json(): unknown }) => (response.json() as ErrorBody).error;

  async function enrollmentToken(cardId: string, token?: string): Promise<string> {
    const response = await cardAuth(cardId, token);
    expect(response.json()).toMatchObject({ result: 'unknown' });
    return (response.json() as { enrollmentToken: string }).enrollmentToken;
  }

  it('answers the health check', async () => {
    const response = await app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('offers enrollment for an unknown card, with an expiry', async () => {
    const response = await cardAuth('04A1B2C3D4');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toEqual({
      result: 'unknown',
      enrollmentToken: expect.stringMatching(/^cbe_[A-Za-z0-9_-]{43}$/),
      expiresAt: new Date(clock.getTime() + TTL_MS).toISOString(),
    });
  });

  it('enrolls with username and password, then recognises the card', async () => {
    const token = await enrollmentToken('04A1B2C3D4');
    const response = await enroll({
      enrollmentToken: token,
      username: 'ADA',
      secret: 'correct horse battery',
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({
      result: 'enrolled',
      user: { username: 'ada', fullName: 'Ada Lovelace' },
    });
    const again = await cardAuth('04A1B2C3D4', otherTerminalToken);
    expect(again.json()).toEqual({
      result: 'known',
      user: { username: 'ada', fullName: 'Ada Lovelace' },
    });
  });

  it('refuses a wrong password or an unknown user with the same answer, and keeps the token usable', async () => {
    const token = await enrollmentToken('04A1B2C3D4');
    for (const attempt of [
      { username: 'ada', secret: 'wrong password' },
      { username: 'nobody', secret: 'correct horse battery' },
    ]) {
      const response = await enroll({ enrollmentToken: token, ...attempt });
      expect(response.statusCode).toBe(401);
      expect(errorOf(response).code).toBe('invalid_credentials');
    }
    const retry = await enroll({
      enrollmentToken: token,
      username: 'ada',
      secret: 'correct horse battery',
    });
    expect(retry.statusCode).toBe(201);
  });

  it('refuses a card that another account enrolled meanwhile', async () => {
    const first = await enrollmentToken('04A1B2C3D4');
    const second = await enrollmentToken('04A1B2C3D4', otherTerminalToken);
    const ok = await enroll({
      enrollmentToken: first,
      username: 'ada',
      secret: 'correct horse battery',
    });
    expect(ok.statusCode).toBe(201);
    const conflict = await enroll(
      { enrollmentToken: second, username: 'bob', secret: 'bob password 1' },
      otherTerminalToken,
    );
    expect(conflict.statusCode).toBe(409);
    expect(errorOf(conflict).code).toBe('card_already_bound');
  });

  it('binds a card only once when two terminals race for it', async () => {
    const first = await enrollmentToken('04A1B2C3D4');
    const second = await enrollmentToken('04A1B2C3D4', otherTerminalToken);
    const responses = await Promise.all([
      enroll({ enrollmentToken: first, username: 'ada', secret: 'correct horse battery' }),
      enroll(
        { enrollmentToken: second, username: 'bob', secret: 'bob password 1' },
        otherTerminalToken,
      ),
    ]);
    expect(responses.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    const cards = await store.listCards({ limit: 10, offset: 0 });
    expect(cards).toHaveLength(1);
  });

  it('answers 410 for an expired, used, unknown or foreign enrollment token', async () => {
    const good = { username: 'ada', secret: 'correct horse battery' };
    const expired = await enrollmentToken('04000001');
    clock = new Date(clock.getTime() + TTL_MS);
    const foreign = await enrollmentToken('04000002', otherTerminalToken);
    const used = await enrollmentToken('04000003');
    expect((await enroll({ enrollmentToken: used, ...good })).statusCode).toBe(201);

    for (const token of [expired, used, foreign, 'cbe_unknown']) {
      const response = await enroll({ enrollmentToken: token, ...good });
      expect(response.statusCode, token).toBe(410);
      expect(errorOf(response).code).toBe('enrollment_expired');
    }
  });

  it('answers 401 unauthorized without a valid terminal token', async () => {
    for (const token of [null, 'cbt_wrong', adminToken]) {
      const response = await cardAuth('04A1B2C3D4', token as string);
      expect(response.statusCode).toBe(401);
      expect(errorOf(response).code).toBe('unauthorized');
      const enrollResponse = await enroll(
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
      const response = await post(url, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(errorOf(response).code).toBe('invalid_request');
      expect(errorOf(response).message).toMatch(field);
    }
  });

  it('answers malformed JSON with 400 and oversized bodies with 413', async () => {
    const malformed = await app.inject({
      method: 'POST',
      url: '/api/v1/terminal/card-auth',
      headers: { authorization: `Bearer ${terminalToken}`, 'content-type': 'application/json' },
      payload: '{"cardId":',
    });
    expect(malformed.statusCode).toBe(400);
    expect(errorOf(malformed).code).toBe('invalid_request');
    const huge = await cardAuth('A'.repeat(4000));
    expect(huge.statusCode).toBe(413);
    expect(errorOf(huge).code).toBe('payload_too_large');
  });

  it('answers unknown paths with 404 in the error shape', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/nope' });
    expect(response.statusCode).toBe(404);
    expect(errorOf(response).code).toBe('not_found');
  });

  it('lists enrolled cards to admins only', async () => {
    const token = await enrollmentToken('04A1B2C3D4');
    await enroll({ enrollmentToken: token, username: 'ada', secret: 'correct horse battery' });

    for (const bad of [undefined, terminalToken, 'cba_wrong']) {
      const response = await app.inject({
        method: 'GET',
        url: '/api/v1/cards',
        headers: bad ? { authorization: `Bearer ${bad}` } : {},
      });
      expect(response.statusCode).toBe(401);
      expect(errorOf(response).code).toBe('unauthorized');
    }
    const response = await app.inject({
      method: 'GET',
      url: '/api/v1/cards',
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      cards: [
        {
          cardId: '04A1B2C3D4',
          username: 'ada',
          fullName: 'Ada Lovelace',
          createdAt: clock.toISOString(),
          terminal: 'Lobby MFD',
        },
      ],
    });
    const badPage = await app.inject({
      method: 'GET',
      url: '/api/v1/cards?limit=0',
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(badPage.statusCode).toBe(400);
    expect(errorOf(badPage).message).toMatch(/limit/);
  });
});
