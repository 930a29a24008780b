import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventSource } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpBackend, type HttpTransport } from './backend.ts';
import { KioskApiError } from './errors.ts';
import { serveKiosk } from './host/kiosk-host.ts';
import { READER_LINK_ID, readFeedMessage, type ReaderFeedEvent } from './kiosk-api.ts';
import { startFakeCardbindServer } from './testing/fake-cardbind-server.ts';
import { startFakeReader } from './testing/fake-reader.ts';

const TOKEN = 'cbt_backend-test';
const ADA = { username: 'ada', password: 'pw', fullName: 'Ada Lovelace', pin: '4711' };
const transport = { EventSource } as unknown as Partial<HttpTransport>;

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

/** The browser adapter against a real kiosk host, fake server and fake reader. */
async function setup() {
  const server = await startFakeCardbindServer({ terminalToken: TOKEN, users: [ADA] });
  const reader = await startFakeReader();
  const host = await serveKiosk({
    serverUrl: server.url,
    terminalToken: TOKEN,
    readerUrl: reader.url,
    ui: { script: '', css: '' },
  });
  cleanup.push(
    () => server.close(),
    () => reader.close(),
    () => host.close(),
  );
  return { server, reader, host, backend: createHttpBackend(host.url, transport) };
}

async function rejection(promise: Promise<unknown>): Promise<KioskApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KioskApiError);
  return error as KioskApiError;
}

describe('HTTP backend: calls', () => {
  it('looks cards up and enrolls them', async () => {
    const { backend, server } = await setup();
    const unknown = await backend.cardAuth('04A1');
    expect(unknown).toMatchObject({ result: 'unknown', enrollmentToken: 'cbe_1' });
    if (unknown.result !== 'unknown') throw new Error('expected unknown');
    await expect(
      backend.enroll({
        enrollmentToken: unknown.enrollmentToken,
        username: 'ada',
        secret: 'pw',
        method: 'password',
      }),
    ).resolves.toEqual({ result: 'enrolled', user: { username: 'ada', fullName: 'Ada Lovelace' } });
    // The page sends the method; the host adds the token.
    expect(server.requests.at(-1)?.body).toEqual({
      enrollmentToken: 'cbe_1',
      username: 'ada',
      secret: 'pw',
      method: 'password',
    });
    await expect(backend.cardAuth('04A1')).resolves.toEqual({
      result: 'known',
      user: { username: 'ada', fullName: 'Ada Lovelace' },
    });
  });

  it('logs in without a card and reads the policy and the page config', async () => {
    const { backend, server } = await setup();
    await expect(backend.login({ method: 'pin', pin: '4711' })).resolves.toEqual({
      result: 'authenticated',
      user: { username: 'ada', fullName: 'Ada Lovelace' },
    });
    expect(server.requests.at(-1)).toMatchObject({
      path: '/api/v1/terminal/login',
      body: { method: 'pin', pin: '4711' },
    });
    await expect(backend.policy()).resolves.toEqual({
      enrollmentMethods: ['password', 'otp', 'pin'],
      loginMethods: ['password', 'pin'],
    });
    await expect(backend.config()).resolves.toMatchObject({ language: 'en', panel: null });
  });

  it('rejects with the server error code, message and status', async () => {
    const { backend } = await setup();
    await backend.cardAuth('04A1');
    const error = await rejection(
      backend.enroll({
        enrollmentToken: 'cbe_1',
        username: 'ada',
        secret: 'wrong',
        method: 'password',
      }),
    );
    expect(error).toMatchObject({
      code: 'invalid_credentials',
      status: 401,
      message: 'Unknown user or wrong password.',
    });
  });

  it('keeps the extra facts some errors carry, and copes with codes it does not know', async () => {
    const answers = [
      {
        status: 429,
        body: { error: { code: 'too_many_attempts', message: 'Wait.', retryAfterSeconds: 30 } },
      },
      { status: 400, body: { error: { code: 'brand_new_code', message: 'New.' } } },
      { status: 503, body: '<html>' },
    ];
    const fetch = async () => {
      const next = answers.shift()!;
      return new Response(JSON.stringify(next.body), { status: next.status });
    };
    const backend = createHttpBackend('http://kiosk.invalid', { fetch });
    expect(await rejection(backend.cardAuth('1'))).toMatchObject({
      code: 'too_many_attempts',
      status: 429,
      details: { retryAfterSeconds: 30 },
    });
    expect(await rejection(backend.cardAuth('1'))).toMatchObject({
      code: 'invalid_request',
      message: 'New.',
    });
    expect(await rejection(backend.cardAuth('1'))).toMatchObject({
      code: 'internal_error',
      status: 503,
    });
  });

  it('passes server_unreachable through when the host cannot reach the server', async () => {
    const { backend, server } = await setup();
    await server.close();
    const error = await rejection(backend.cardAuth('04A1'));
    expect(error).toMatchObject({ code: 'server_unreachable', status: 502 });
  });

  it('rejects an answer of the wrong shape as internal_error', async () => {
    const { backend, server } = await setup();
    server.answerEverythingWith({
      status: 200,
      contentType: 'application/json',
      body: '{"result":"known"}',
    });
    expect(await rejection(backend.cardAuth('04A1'))).toMatchObject({
      code: 'internal_error',
      status: 200,
    });
  });

  it('rejects as network when the kiosk host is gone', async () => {
    const { backend, host } = await setup();
    await host.close();
    expect(await rejection(backend.cardAuth('04A1'))).toMatchObject({
      code: 'network',
      status: 0,
      message: 'The kiosk host cannot be reached.',
    });
  });

  it('gives up as network when the host does not answer in time', async () => {
    const silent = createServer(() => {
      /* never answers */
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => {
      silent.closeAllConnections();
      silent.close();
    });
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const backend = createHttpBackend(url, { requestTimeoutMs: 50 });
    expect(await rejection(backend.cardAuth('04A1'))).toMatchObject({
      code: 'network',
      message: 'The kiosk host did not answer in time.',
    });
  });

  it('stops when the caller aborts, without turning that into a kiosk error', async () => {
    const { backend } = await setup();
    const controller = new AbortController();
    controller.abort();
    const error = await backend.cardAuth('04A1', { signal: controller.signal }).catch((e) => e);
    expect(error).not.toBeInstanceOf(KioskApiError);
    expect((error as Error).name).toBe('AbortError');
  });
});

describe('HTTP backend: reader feed', () => {
  it('delivers reader statuses and card reads until unsubscribed', async () => {
    const { backend, reader } = await setup();
    const events: ReaderFeedEvent[] = [];
    let notify = () => {};
    const unsubscribe = backend.subscribe((event) => {
      events.push(event);
      notify();
    });
    cleanup.push(unsubscribe);
    const until = (check: () => boolean) =>
      new Promise<void>((resolve) => {
        notify = () => check() && resolve();
        notify();
      });

    await until(() => events.some((e) => e.type === 'reader' && e.reader.status === 'connected'));
    reader.swipe('04A1B2C3D4');
    await until(() => events.some((e) => e.type === 'card'));
    expect(events.find((e) => e.type === 'card')).toMatchObject({
      type: 'card',
      card: { cardId: '04A1B2C3D4', readerId: 'sim' },
    });

    unsubscribe();
    // A second page still subscribed shows the read happened; the first must not see it.
    const later: ReaderFeedEvent[] = [];
    let laterNotify = () => {};
    cleanup.push(
      backend.subscribe((event) => {
        later.push(event);
        laterNotify();
      }),
    );
    const laterUntil = (check: () => boolean) =>
      new Promise<void>((resolve) => {
        laterNotify = () => check() && resolve();
        laterNotify();
      });
    await laterUntil(() => later.some((e) => e.type === 'reader'));
    reader.swipe('AFTER');
    await laterUntil(() => later.some((e) => e.type === 'card'));
    expect(events.filter((e) => e.type === 'card')).toHaveLength(1);
  });

  it('reports the link disconnected when the kiosk host goes away', async () => {
    const { backend, host } = await setup();
    const events: ReaderFeedEvent[] = [];
    let onEvent = () => {};
    cleanup.push(
      backend.subscribe((event) => {
        events.push(event);
        onEvent();
      }),
    );
    const linkStatuses = () =>
      events.flatMap((e) =>
        e.type === 'reader' && e.reader.readerId === READER_LINK_ID ? [e.reader.status] : [],
      );
    await new Promise<void>((resolve) => {
      onEvent = () => linkStatuses().includes('connected') && resolve();
    });
    await host.close();
    await new Promise<void>((resolve) => {
      onEvent = () => linkStatuses().at(-1) === 'disconnected' && resolve();
      onEvent();
    });
  });
});

describe('reading feed messages', () => {
  it.each([
    ['card', '{"cardId":"1","readerId":"r","profile":"p","at":"t"}', 'card'],
    ['reader', '{"readerId":"r","status":"connected","at":"t"}', 'reader'],
    ['card', '{"cardId":"","readerId":"r","profile":"p","at":"t"}', undefined],
    ['reader', '{"readerId":"r","status":"gone","at":"t"}', undefined],
    ['other', '{"readerId":"r","status":"connected","at":"t"}', undefined],
    ['card', 'not json', undefined],
  ])('%s %s → %s', (event, data, type) => {
    expect(readFeedMessage(event, data)?.type).toBe(type);
  });
});
