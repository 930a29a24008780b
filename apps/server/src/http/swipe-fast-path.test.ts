import { connect, type AddressInfo } from 'node:net';
import { request } from 'undici';
import { beforeEach, describe, expect, it } from 'vitest';
import { useApiFixture } from './api-fixture.ts';
import { CARD_AUTH_PATH } from './swipe-fast-path.ts';

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** Values that differ on every swipe by design: the enrollment offer's token and deadline. */
function comparable(answer: Answer): Answer {
  const body = answer.body as Record<string, unknown>;
  const stable =
    typeof body === 'object' && body !== null && 'enrollmentToken' in body
      ? { ...body, enrollmentToken: typeof body.enrollmentToken, expiresAt: 'an instant' }
      : body;
  const headers = { ...answer.headers };
  delete headers.date;
  // The offer's token is random, so its answer's length is not fixed either.
  if (stable !== body) delete headers['content-length'];
  return { ...answer, headers, body: stable };
}

/**
 * The card swipe's own path answers exactly as Fastify's route does: each request is sent over
 * a real socket to the swipe path (the plain URL) and to Fastify (the same URL with a query,
 * which the fast path never takes), and the answers are compared.
 */
describe('the card swipe outside Fastify', () => {
  const f = useApiFixture();
  let base: string;
  let reachedFastify: number;

  beforeEach(async () => {
    reachedFastify = 0;
    f.app.addHook('onRequest', (_request, _reply, done) => {
      reachedFastify++;
      done();
    });
    await f.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(f.app.server.address() as AddressInfo).port}`;
    const ada = await f.store.findUserByUsername('ada');
    const bob = await f.store.findUserByUsername('bob');
    const at = f.now().toISOString();
    await f.store.addCard({ cardId: 'ADA-1', userId: ada!.id, at, source: 'admin' });
    await f.store.addCard({
      cardId: 'ADA-OLD',
      userId: ada!.id,
      at,
      source: 'admin',
      expiresAt: '2025-01-01T00:00:00.000Z',
    });
    await f.store.addCard({ cardId: 'BOB-1', userId: bob!.id, at, source: 'admin' });
    await f.store.updateUser(bob!.id, { disabledAt: at });
  });

  async function send(
    path: string,
    body: string,
    headers: Record<string, string> = {},
  ): Promise<Answer> {
    const response = await request(base + path, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${f.terminalToken}`,
        'content-type': 'application/json',
        ...headers,
      },
      body,
    });
    const text = await response.body.text();
    const received = Object.fromEntries(
      Object.entries(response.headers).map(([name, value]) => [name, String(value)]),
    );
    return { status: response.statusCode, headers: received, body: text ? JSON.parse(text) : '' };
  }

  /** The same request both ways; returns the swipe path's answer and how often Fastify ran. */
  async function bothWays(body: string, headers?: Record<string, string>) {
    const before = reachedFastify;
    const fast = await send(CARD_AUTH_PATH, body, headers);
    const fastifyRuns = reachedFastify - before;
    const viaFastify = await send(`${CARD_AUTH_PATH}?via=fastify`, body, headers);
    expect(reachedFastify - before - fastifyRuns).toBe(1);
    expect(comparable(fast)).toEqual(comparable(viaFastify));
    return { fast, fastifyRuns };
  }

  const swipe = (cardId: string) => JSON.stringify({ cardId });

  it('answers known, unknown and expired cards itself, as the route does', async () => {
    const known = await bothWays(swipe('ADA-1'));
    expect(known.fastifyRuns).toBe(0);
    expect(known.fast.status).toBe(200);
    expect(known.fast.body).toEqual({
      result: 'known',
      user: { username: 'ada', fullName: 'Ada Lovelace' },
    });
    expect(known.fast.headers['content-type']).toBe('application/json; charset=utf-8');

    const unknown = await bothWays(swipe('NEW-1'), {
      'content-type': 'application/json; charset=utf-8',
    });
    expect(unknown.fastifyRuns).toBe(0);
    expect(unknown.fast.body).toMatchObject({ result: 'unknown' });

    const expired = await bothWays(swipe('ADA-OLD'));
    expect(expired.fastifyRuns).toBe(0);
    expect(expired.fast.body).toMatchObject({ result: 'unknown', reason: 'card_expired' });
  });

  it('answers a disabled account as the route does, and audits it once', async () => {
    const disabled = await bothWays(swipe('BOB-1'));
    expect(disabled.fastifyRuns).toBe(0);
    expect(disabled.fast.status).toBe(403);
    const denied = await f.store.audit.list({ action: 'card.auth', limit: 10, offset: 0 });
    expect(denied.filter((e) => e.outcome === 'denied')).toHaveLength(2); // one per way
  });

  it('refuses a wrong or missing token itself, as the route does', async () => {
    for (const authorization of ['Bearer cbt_not-a-token', 'Basic YWRhOmFkYQ==', '']) {
      const refused = await bothWays(swipe('ADA-1'), { authorization });
      expect(refused.fastifyRuns, authorization).toBe(0);
      expect(refused.fast.status).toBe(401);
    }
  });

  it('answers a failing database as the route does', async () => {
    f.context.terminals.cardAuth = () => Promise.reject(new Error('disk I/O error'));
    const failed = await bothWays(swipe('ADA-1'));
    expect(failed.fastifyRuns).toBe(0);
    expect(failed.fast.status).toBe(500);
    expect(failed.fast.body).toMatchObject({ error: { code: 'internal_error' } });
  });

  it('leaves bad bodies and unusual requests to Fastify', async () => {
    const cases: Array<[string, string, Record<string, string>?]> = [
      ['malformed JSON', '{"cardId":', {}],
      ['unknown field', JSON.stringify({ cardId: 'ADA-1', extra: 1 }), {}],
      ['empty card id', swipe(''), {}],
      ['prototype key', '{"cardId":"ADA-1","__proto__":{"admin":true}}', {}],
      ['plain text', swipe('ADA-1'), { 'content-type': 'text/plain' }],
      ['too large', JSON.stringify({ cardId: 'A'.repeat(3000) }), {}],
    ];
    for (const [name, body, headers] of cases) {
      const { fast, fastifyRuns } = await bothWays(body, headers);
      expect(fastifyRuns, name).toBe(1);
      expect(fast.status, name).toBeGreaterThanOrEqual(400);
    }
  });

  it('answers a revoked terminal as the route does', async () => {
    await f.context.admin.revokeTerminal('Floor 2 MFD');
    const revoked = await bothWays(swipe('ADA-1'), {
      authorization: `Bearer ${f.otherTerminalToken}`,
    });
    expect(revoked.fastifyRuns).toBe(0);
    expect(revoked.fast.status).toBe(401);
    expect(revoked.fast.body).toMatchObject({
      error: { message: expect.stringMatching(/revoked/) },
    });
  });

  it('outlives a panel that hangs up in the middle of a swipe', async () => {
    const { port } = f.app.server.address() as AddressInfo;
    await new Promise<void>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(
          `POST ${CARD_AUTH_PATH} HTTP/1.1\r\nHost: panel\r\n` +
            `Authorization: Bearer ${f.terminalToken}\r\nContent-Type: application/json\r\n` +
            'Content-Length: 40\r\n\r\n{"cardId":',
          () => {
            socket.destroy();
            resolve();
          },
        );
      });
      socket.on('error', reject);
    });
    const known = await send(CARD_AUTH_PATH, swipe('ADA-1'));
    expect(known.status).toBe(200);
  });

  it('keeps Fastify’s keep-alive for the connections it serves', async () => {
    const known = await send(CARD_AUTH_PATH, swipe('ADA-1'));
    expect(known.headers['keep-alive']).toBe('timeout=72');
  });
});
