import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { silentLogger, type ErrorBody, type Logger } from '@cardbind/shared';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, expect } from 'vitest';
import { createContext, type ServerContext } from '../context.ts';
import type { Mailer } from '../mail/mailer.ts';
import type { OAuthConfig } from '../oauth/providers.ts';
import type { KyselyStore } from '../store/kysely-store.ts';
import { openSqliteStore } from '../store/sqlite.ts';
import { buildApp } from './app.ts';

export const TTL_MS = 60_000;
export const ADA = { username: 'ada', password: 'correct horse battery' };
export const BOB = { username: 'bob', password: 'bob password 1' };

export interface ApiFixture {
  app: FastifyInstance;
  store: KyselyStore;
  context: ServerContext;
  terminalToken: string;
  otherTerminalToken: string;
  adminToken: string;
  now(): Date;
  advance(ms: number): void;
  post(url: string, body: unknown, token?: string | null): Promise<LightMyRequestResponse>;
  get(url: string, token?: string | null): Promise<LightMyRequestResponse>;
  /** Any request, with the admin token unless another (or none) is given, and a JSON body. */
  send(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    payload?: object,
    token?: string | null,
  ): Promise<LightMyRequestResponse>;
  /** The user's access token from a password login, as the portal logs in. */
  accessToken(user: { username: string; password: string }): Promise<string>;
  cardAuth(cardId: string, token?: string | null): Promise<LightMyRequestResponse>;
  enroll(body: Record<string, unknown>, token?: string | null): Promise<LightMyRequestResponse>;
  /** Swipes an unknown card and returns the enrollment token offered. */
  enrollmentToken(cardId: string, token?: string): Promise<string>;
}

export const errorOf = (response: { json(): unknown }) => (response.json() as ErrorBody).error;

/**
 * A real API over a fresh SQLite database for each test: users ada and bob, two terminals,
 * an admin token, a clock the test moves, and cheap argon2 parameters.
 */
export function useApiFixture(
  options: { mailer?: () => Mailer; oauth?: () => OAuthConfig; logger?: () => Logger } = {},
): ApiFixture {
  const f = {} as ApiFixture;
  let dir: string;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'cardbind-api-'));
    const store = await openSqliteStore(dir);
    let clock = new Date('2026-01-01T10:00:00.000Z');
    const context = createContext({
      store,
      serverKey: randomBytes(32),
      logger: options.logger?.() ?? silentLogger,
      passwordHashing: { memoryCost: 4096, timeCost: 1, parallelism: 1 },
      enrollmentTtlMs: TTL_MS,
      now: () => clock,
      ...(options.mailer ? { mailer: options.mailer() } : {}),
      ...(options.oauth ? { oauth: options.oauth() } : {}),
    });
    const { admin } = context;
    await admin.addUser({ ...ADA, fullName: 'Ada Lovelace', email: 'ada@example.org' });
    await admin.addUser({ ...BOB, fullName: 'Bob Builder', email: null });
    const app = buildApp({ context, bodyLimit: 2048 });
    const terminalToken = (await admin.addTerminal('Lobby MFD')).token;
    const headers = (token: string | null) => (token ? { authorization: `Bearer ${token}` } : {});
    const post = (url: string, body: unknown, token: string | null = terminalToken) =>
      app.inject({ method: 'POST', url, headers: headers(token), payload: body as object });
    Object.assign(f, {
      app,
      store,
      context,
      terminalToken,
      otherTerminalToken: (await admin.addTerminal('Floor 2 MFD')).token,
      adminToken: await admin.addAdminToken('tests'),
      now: () => clock,
      advance: (ms: number) => (clock = new Date(clock.getTime() + ms)),
      post,
      get: (url: string, token: string | null = f.adminToken) =>
        app.inject({ method: 'GET', url, headers: headers(token) }),
      send: (method, url, payload, token = f.adminToken) =>
        app.inject({ method, url, headers: headers(token), ...(payload ? { payload } : {}) }),
      async accessToken(user) {
        const response = await post(
          '/api/v1/auth/token',
          { grant_type: 'password', client_id: 'portal', ...user },
          null,
        );
        expect(response.statusCode, `login of ${user.username}`).toBe(200);
        return (response.json() as { access_token: string }).access_token;
      },
      cardAuth: (cardId: string, token?: string | null) =>
        post('/api/v1/terminal/card-auth', { cardId }, token),
      enroll: (body: Record<string, unknown>, token?: string | null) =>
        post('/api/v1/terminal/enroll', { method: 'password', ...body }, token),
      async enrollmentToken(cardId: string, token?: string) {
        const response = await f.cardAuth(cardId, token);
        expect(response.json()).toMatchObject({ result: 'unknown' });
        return (response.json() as { enrollmentToken: string }).enrollmentToken;
      },
    } satisfies ApiFixture);
  });
  afterEach(async () => {
    await f.app.close();
    await f.store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return f;
}
