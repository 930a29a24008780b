import { Readable } from 'node:stream';
import {
  CardEvent,
  ErrorBody,
  silentLogger,
  type ReaderStatus,
  type SimulateRequest,
} from '@cardbind/shared';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { startEventServer, type EventServer, type EventServerOptions } from './event-server.ts';
import { simulateSwipe } from './simulate.ts';
import { subscribe } from './testing/sse-client.ts';

const front: ReaderStatus = {
  readerId: 'front',
  status: 'connected',
  at: '2026-01-02T03:04:05.000Z',
};
const card: CardEvent = {
  cardId: '04A1B2C3D4',
  readerId: 'front',
  profile: 'generic-serial',
  at: '2026-01-02T03:04:06.000Z',
};

describe('event server', () => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const simulated: SimulateRequest[] = [];
  const start = async (options: Partial<EventServerOptions> = {}) => {
    simulated.length = 0;
    const server = await startEventServer({
      port: 0,
      logger: silentLogger,
      readers: () => [front],
      onSimulate: (r) => {
        simulated.push(r);
        return !r.cardId.includes(' ');
      },
      ...options,
    });
    cleanups.push(() => server.close());
    return server;
  };
  const events = async (server: EventServer, headers?: Record<string, string>) => {
    const stream = await subscribe(`http://127.0.0.1:${server.port}/v1/events`, headers);
    cleanups.push(() => stream.close());
    return stream;
  };
  const post = (server: EventServer, body: string | Readable, headers: Record<string, string>) =>
    request(`http://127.0.0.1:${server.port}/v1/simulate`, { method: 'POST', headers, body });
  const json = { 'content-type': 'application/json' };

  /** The status and the error code of a refusal, after checking the body has the API's shape. */
  const refusal = async (pending: ReturnType<typeof request>) => {
    const response = await pending;
    const body = ErrorBody.parse(await response.body.json());
    expect(body.error.message.length).toBeGreaterThan(0);
    return [response.statusCode, body.error.code];
  };

  it('streams reader state on connect, then cards and reader changes as SSE frames', async () => {
    const server = await start();
    const stream = await events(server);
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(stream.headers['cache-control']).toBe('no-cache');
    expect(await stream.next('reader')).toEqual({ event: 'reader', data: front });
    expect(stream.retries).toEqual([1000]);

    server.publishCard(card);
    server.publishReader({ ...front, status: 'disconnected' });
    expect(CardEvent.parse((await stream.next('card')).data)).toEqual(card);
    expect((await stream.next('reader')).data).toEqual({ ...front, status: 'disconnected' });
  });

  it('sends heartbeat comments', async () => {
    const server = await start({ heartbeatMs: 10 });
    const stream = await events(server);
    await stream.comment(2);
    expect(stream.comments.slice(0, 2)).toEqual(['heartbeat', 'heartbeat']);
  });

  it('forgets subscribers that disconnect, and all of them on close', async () => {
    const server = await start();
    const leaving = await events(server);
    const staying = await events(server);
    await leaving.next('reader');
    await staying.next('reader');
    expect(server.subscribers).toBe(2);
    leaving.close();
    while (server.subscribers > 1) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(server.subscribers).toBe(1);
    await server.close();
    expect(server.subscribers).toBe(0);
    await server.close(); // twice is fine
  });

  it('accepts a simulated swipe', async () => {
    const server = await start();
    await simulateSwipe({ port: server.port, cardId: '04a1b2c3d4', readerId: 'desk' });
    expect(simulated).toEqual([{ cardId: '04a1b2c3d4', readerId: 'desk' }]);
    const response = await post(server, '{"cardId":"AB12"}', json);
    expect(response.statusCode).toBe(202);
    expect(await response.body.json()).toEqual({ accepted: true });
  });

  it('refuses bad requests with the API error body', async () => {
    const server = await start();
    const url = `http://127.0.0.1:${server.port}`;
    const big = JSON.stringify({ cardId: 'A'.repeat(5000) });
    expect(
      await Promise.all([
        refusal(post(server, '{"cardId":', json)),
        refusal(post(server, '{"cardId":""}', json)),
        refusal(post(server, '{"cardId":"AB","x":1}', json)),
        refusal(post(server, '{"cardId":"AB CD"}', json)), // the daemon says: not a card id
        refusal(post(server, '{"cardId":"AB"}', { 'content-type': 'text/plain' })),
        refusal(post(server, big, json)),
        // Without a Content-Length: the limit holds while the body streams in.
        refusal(post(server, Readable.from([Buffer.from(big)]), json)),
        refusal(request(`${url}/nope`)),
        refusal(request(`${url}/constructor`)),
        refusal(request(`${url}/v1/events`, { method: 'POST' })),
      ]),
    ).toEqual([
      [400, 'invalid_request'],
      [400, 'invalid_request'],
      [400, 'invalid_request'],
      [400, 'invalid_request'],
      [415, 'invalid_request'],
      [413, 'payload_too_large'],
      [413, 'payload_too_large'],
      [404, 'not_found'],
      [404, 'not_found'],
      [405, 'method_not_allowed'],
    ]);
  });

  it('refuses requests addressed to another host name (DNS rebinding)', async () => {
    const server = await start();
    const url = `http://127.0.0.1:${server.port}`;
    expect(
      await refusal(
        request(`${url}/v1/events`, { headers: { host: `evil.example:${server.port}` } }),
      ),
    ).toEqual([403, 'forbidden']);
    const named = await request(`${url}/healthz`, {
      headers: { host: `localhost:${server.port}` },
    });
    expect(named.statusCode).toBe(200);
    expect(await named.body.json()).toEqual({ status: 'ok', readers: [front] });
  });

  it('needs the token, when it has one, for the stream and swipes but not for health', async () => {
    const server = await start({ token: 'kiosk-secret' });
    const url = `http://127.0.0.1:${server.port}`;
    expect(await refusal(request(`${url}/v1/events`))).toEqual([401, 'unauthorized']);
    expect(
      await refusal(post(server, '{"cardId":"AB"}', { ...json, authorization: 'Bearer nope' })),
    ).toEqual([401, 'unauthorized']);
    const stream = await events(server, { authorization: 'Bearer kiosk-secret' });
    expect(stream.status).toBe(200);
    const health = await request(`${url}/healthz`);
    expect(health.statusCode).toBe(200);
    await health.body.dump();
  });

  it('says so when its port is taken', async () => {
    const first = await start();
    await expect(start({ port: first.port })).rejects.toThrow(
      new RegExp(`Port ${first.port} on 127\\.0\\.0\\.1 is in use`),
    );
  });
});
