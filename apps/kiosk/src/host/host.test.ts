import { createLogger } from '@cardbind/shared';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KIOSK_API, READER_LINK_ID } from '../kiosk-api.ts';
import {
  startFakeCardbindServer,
  type FakeCardbindServer,
} from '../testing/fake-cardbind-server.ts';
import { startFakeReader, type FakeReader } from '../testing/fake-reader.ts';
import { startKioskHost } from './start.ts';
import { serveKiosk, type KioskHost } from './kiosk-host.ts';
import { reconnectDelay } from './reader-link.ts';
import { createSseParser, type SseMessage } from './sse.ts';

const TOKEN = 'cbt_terminal-secret-token';
const PASSWORD = 'correct horse battery staple';
const ADA = { username: 'ada', password: PASSWORD, fullName: 'Ada Lovelace', pin: '4711' };
const UI = { script: 'console.info("kiosk")', css: 'body{color:#fff}' };

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

async function hostFor(
  server: { url: string },
  reader: { url: string },
  token = TOKEN,
  extra: Partial<Parameters<typeof serveKiosk>[0]> = {},
) {
  const logs: string[] = [];
  const host = await serveKiosk({
    serverUrl: server.url,
    terminalToken: token,
    readerUrl: reader.url,
    ui: UI,
    ...extra,
    logger: createLogger({ level: 'debug', write: (line) => logs.push(line) }),
  });
  cleanup.push(() => host.close());
  return { host, logs };
}

function post(host: KioskHost, path: string, body: unknown, headers: Record<string, string> = {}) {
  return request(host.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function postJson(host: KioskHost, path: string, body: unknown) {
  const response = await post(host, path, body);
  return { status: response.statusCode, body: (await response.body.json()) as unknown };
}

/** A URL where nothing listens: a fake started and closed again. */
async function deadUrl(): Promise<string> {
  const reader = await startFakeReader();
  await reader.close();
  return reader.url;
}

/** The page's event stream, read message by message. */
async function openFeed(host: KioskHost) {
  const controller = new AbortController();
  const response = await request(host.url + KIOSK_API.events, { signal: controller.signal });
  const parser = createSseParser();
  const decoder = new TextDecoder();
  const iterator = (response.body as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  const pending: SseMessage[] = [];
  cleanup.push(async () => controller.abort());
  return {
    headers: response.headers,
    /** The next message that matches, skipping others. */
    async next(match: (message: SseMessage) => boolean = () => true): Promise<SseMessage> {
      for (;;) {
        const message = pending.shift();
        if (message) {
          if (match(message)) return message;
          continue;
        }
        const chunk = await iterator.next();
        if (chunk.done) throw new Error('the feed ended');
        pending.push(...parser.push(decoder.decode(chunk.value, { stream: true })));
      }
    },
  };
}

const linkIs = (status: string) => (m: SseMessage) =>
  m.event === 'reader' &&
  m.data.includes(`"readerId":"${READER_LINK_ID}"`) &&
  m.data.includes(`"status":"${status}"`);

describe('kiosk host: page and assets', () => {
  let server: FakeCardbindServer;
  let reader: FakeReader;
  let host: KioskHost;

  beforeAll(async () => {
    server = await startFakeCardbindServer({ terminalToken: TOKEN, users: [ADA] });
    reader = await startFakeReader();
    // The real thing: the UI bundled by esbuild at start.
    host = await startKioskHost({
      serverUrl: server.url,
      terminalToken: TOKEN,
      readerUrl: reader.url,
    });
  });
  afterAll(async () => {
    await host.close();
    await reader.close();
    await server.close();
  });

  it('listens on loopback and reports its URL', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}`);
    expect(host.port).toBeGreaterThan(0);
  });

  it('serves the page with a strict CSP, no caching and no inline script', async () => {
    const response = await request(host.url + '/');
    const html = await response.body.text();
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|\sstyle=|\son\w+=/);
    expect(html).not.toContain(TOKEN);
  });

  it('serves the bundled script and style sheet under content-hashed names', async () => {
    const html = await (await request(host.url + '/')).body.text();
    const script = /src="(\/assets\/kiosk-[0-9a-f]{12}\.js)"/.exec(html)?.[1];
    const css = /href="(\/assets\/kiosk-[0-9a-f]{12}\.css)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    expect(css).toBeDefined();

    const js = await request(host.url + script!);
    const jsText = await js.body.text();
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toContain('immutable');
    // Minified, with the UI's own words in it, without zod (a panel parses every byte).
    expect(jsText).toContain('Swipe your card');
    expect(jsText.length).toBeLessThan(150_000);
    expect(jsText).not.toContain(TOKEN);

    const style = await request(host.url + css!);
    expect(style.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(await style.body.text()).toContain('.reader-offline');
  });

  it('answers unknown paths and wrong methods with JSON errors', async () => {
    const missing = await request(host.url + '/nope');
    expect(missing.statusCode).toBe(404);
    expect(await missing.body.json()).toMatchObject({ error: { code: 'not_found' } });
    const get = await request(host.url + KIOSK_API.cardAuth);
    expect(get.statusCode).toBe(405);
    expect(get.headers.allow).toBe('POST');
    await get.body.dump();
  });

  it('refuses requests for another host name (DNS rebinding)', async () => {
    const response = await request(host.url + '/', { headers: { host: 'evil.example:80' } });
    expect(response.statusCode).toBe(403);
    expect(await response.body.json()).toMatchObject({ error: { code: 'forbidden' } });
  });
});

describe('kiosk host: terminal API', () => {
  it('forwards card-auth with the terminal token and passes the answer through', async () => {
    const server = await startFakeCardbindServer({ terminalToken: TOKEN, users: [ADA] });
    cleanup.push(() => server.close());
    const { host } = await hostFor(server, { url: await deadUrl() });

    const unknown = await postJson(host, KIOSK_API.cardAuth, { cardId: '04A1B2C3D4' });
    expect(unknown).toEqual({
      status: 200,
      body: { result: 'unknown', enrollmentToken: 'cbe_1', expiresAt: expect.any(String) },
    });
    expect(server.requests).toEqual([
      {
        path: '/api/v1/terminal/card-auth',
        authorization: `Bearer ${TOKEN}`,
        body: { cardId: '04A1B2C3D4' },
      },
    ]);

    server.bindCard('04A1B2C3D4', 'ada');
    expect(await postJson(host, KIOSK_API.cardAuth, { cardId: '04A1B2C3D4' })).toEqual({
      status: 200,
      body: { result: 'known', user: { username: 'ada', fullName: 'Ada Lovelace' } },
    });
  });

  it('forwards enrollment and passes errors through with their status', async () => {
    const server = await startFakeCardbindServer({ terminalToken: TOKEN, users: [ADA] });
    cleanup.push(() => server.close());
    const { host, logs } = await hostFor(server, { url: await deadUrl() });
    await postJson(host, KIOSK_API.cardAuth, { cardId: '04A1B2C3D4' });
    const enroll = (secret: string) =>
      postJson(host, KIOSK_API.enroll, {
        enrollmentToken: 'cbe_1',
        username: 'ada',
        secret,
        method: 'password',
      });

    expect(await enroll('wrong')).toEqual({
      status: 401,
      body: {
        error: { code: 'invalid_credentials', message: 'Unknown user or wrong password.' },
      },
    });
    expect(await enroll(PASSWORD)).toEqual({
      status: 201,
      body: { result: 'enrolled', user: { username: 'ada', fullName: 'Ada Lovelace' } },
    });
    expect(await enroll(PASSWORD)).toMatchObject({
      status: 410,
      body: { error: { code: 'enrollment_expired' } },
    });
    expect(server.requests.at(-1)).toMatchObject({
      path: '/api/v1/terminal/enroll',
      authorization: `Bearer ${TOKEN}`,
    });

    const log = logs.join('\n');
    expect(log).toContain('terminal call');
    expect(log).not.toContain(TOKEN);
    expect(log).not.toContain(PASSWORD);
    expect(log).not.toContain('04A1B2C3D4');
  });

  it('passes the server refusing a wrong terminal token through', async () => {
    const server = await startFakeCardbindServer({ terminalToken: TOKEN, users: [ADA] });
    cleanup.push(() => server.close());
    const { host } = await hostFor(server, { url: await deadUrl() }, 'cbt_wrong');
    expect(await postJson(host, KIOSK_API.cardAuth, { cardId: '04A1' })).toMatchObject({
      status: 401,
      body: { error: { code: 'unauthorized' } },
    });
  });

  it('answers 502 server_unreachable, naming the server, when the server is down', async () => {
    const serverUrl = await deadUrl();
    const { host, logs } = await hostFor({ url: serverUrl }, { url: await deadUrl() });
    const answer = await postJson(host, KIOSK_API.cardAuth, { cardId: '04A1' });
    expect(answer.status).toBe(502);
    expect(answer.body).toEqual({
      error: { code: 'server_unreachable', message: expect.stringContaining(serverUrl) },
    });
    expect(JSON.stringify(answer.body)).toContain('connection refused');
    expect(logs.join('\n')).toContain('Cardbind server call failed');
  });

  it('answers 502 when something that is not the Cardbind API answers', async () => {
    const server = await startFakeCardbindServer({ terminalToken: TOKEN, users: [ADA] });
    cleanup.push(() => server.close());
    server.answerEverythingWith({ status: 404, contentType: 'text/html', body: '<h1>nginx</h1>' });
    const { host } = await hostFor(server, { url: await deadUrl() });
    const answer = await postJson(host, KIOSK_API.cardAuth, { cardId: '04A1' });
    expect(answer).toMatchObject({
      status: 502,
      body: { error: { code: 'server_unreachable', message: expect.stringContaining('HTTP 404') } },
    });
  });

  it('refuses oversized, non-JSON and cross-origin requests without forwarding them', async () => {
    const server = await startFakeCardbindServer({ terminalToken: TOKEN, users: [ADA] });
    cleanup.push(() => server.close());
    const { host } = await hostFor(server, { url: await deadUrl() });

    const huge = await post(host, KIOSK_API.cardAuth, { cardId: 'x'.repeat(20_000) });
    expect(huge.statusCode).toBe(413);
    expect(await huge.body.json()).toMatchObject({ error: { code: 'payload_too_large' } });

    const broken = await post(host, KIOSK_API.cardAuth, '{"cardId":');
    expect(broken.statusCode).toBe(400);
    expect(await broken.body.json()).toMatchObject({ error: { code: 'invalid_request' } });

    const form = await post(host, KIOSK_API.cardAuth, 'cardId=1', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(form.statusCode).toBe(415);
    await form.body.dump();

    const foreign = await post(
      host,
      KIOSK_API.cardAuth,
      { cardId: '04A1' },
      {
        origin: 'http://evil.example',
      },
    );
    expect(foreign.statusCode).toBe(403);
    await foreign.body.dump();

    const sameOrigin = await post(
      host,
      KIOSK_API.cardAuth,
      { cardId: '04A1' },
      {
        origin: host.url,
      },
    );
    expect(sameOrigin.statusCode).toBe(200);
    await sameOrigin.body.dump();

    expect(server.requests).toHaveLength(1);
  });

  it.each([
    ['a card id with a space', KIOSK_API.cardAuth, { cardId: '04 A1' }, 'cardId'],
    ['an extra field', KIOSK_API.cardAuth, { cardId: '04A1', admin: true }, 'admin'],
    ['a bare string', KIOSK_API.cardAuth, '"04A1"', 'Invalid request'],
    [
      'enroll without a secret',
      KIOSK_API.enroll,
      { enrollmentToken: 'cbe_1', username: 'ada', method: 'password' },
      'secret',
    ],
    ['a PIN of letters', KIOSK_API.login, { method: 'pin', pin: 'abcd' }, 'pin'],
  ])('refuses %s with a 400 before calling the server', async (_what, path, body, names) => {
    const server = await startFakeCardbindServer({ terminalToken: TOKEN, users: [ADA] });
    cleanup.push(() => server.close());
    const { host, logs } = await hostFor(server, { url: await deadUrl() });
    expect(await postJson(host, path, body)).toEqual({
      status: 400,
      body: { error: { code: 'invalid_request', message: expect.stringContaining(names) } },
    });
    expect(server.requests).toEqual([]);
    expect(logs.join('\n')).toContain('terminal call refused');
  });

  it('never echoes or logs a refused secret', async () => {
    const server = await startFakeCardbindServer({ terminalToken: TOKEN, users: [ADA] });
    cleanup.push(() => server.close());
    const { host, logs } = await hostFor(server, { url: await deadUrl() });
    const answer = await postJson(host, KIOSK_API.login, {
      method: 'password',
      username: 'ada',
      secret: PASSWORD,
      extra: 1,
    });
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer)).not.toContain(PASSWORD);
    expect(logs.join('\n')).not.toContain(PASSWORD);
    expect(server.requests).toEqual([]);
  });
});

describe('kiosk host: login, policy and page config', () => {
  it('forwards login without a card, by password and by PIN alone', async () => {
    const server = await startFakeCardbindServer({ terminalToken: TOKEN, users: [ADA] });
    cleanup.push(() => server.close());
    const { host, logs } = await hostFor(server, { url: await deadUrl() });
    const user = { username: 'ada', fullName: 'Ada Lovelace' };
    expect(
      await postJson(host, KIOSK_API.login, {
        method: 'password',
        username: 'ada',
        secret: PASSWORD,
      }),
    ).toEqual({ status: 200, body: { result: 'authenticated', user } });
    expect(await postJson(host, KIOSK_API.login, { method: 'pin', pin: '4711' })).toEqual({
      status: 200,
      body: { result: 'authenticated', user },
    });
    expect(await postJson(host, KIOSK_API.login, { method: 'pin', pin: '0000' })).toMatchObject({
      status: 401,
      body: { error: { code: 'invalid_credentials' } },
    });
    expect(server.requests.at(-1)).toMatchObject({
      path: '/api/v1/terminal/login',
      authorization: `Bearer ${TOKEN}`,
    });
    expect(logs.join('\n')).not.toMatch(/4711|correct horse/);
  });

  it('forwards the policy as a GET with the terminal token', async () => {
    const server = await startFakeCardbindServer({ terminalToken: TOKEN, users: [ADA] });
    cleanup.push(() => server.close());
    server.setPolicy({ enrollmentMethods: ['otp'], loginMethods: [] });
    const { host } = await hostFor(server, { url: await deadUrl() });
    const response = await request(host.url + KIOSK_API.policy);
    expect(response.statusCode).toBe(200);
    expect(await response.body.json()).toEqual({ enrollmentMethods: ['otp'], loginMethods: [] });
    expect(server.requests).toEqual([
      { path: '/api/v1/terminal/policy', authorization: `Bearer ${TOKEN}`, body: undefined },
    ]);
    const post = await postJson(host, KIOSK_API.policy, {});
    expect(post.status).toBe(405);
  });

  it('answers server_unreachable for the policy when the server is down', async () => {
    const { host } = await hostFor({ url: await deadUrl() }, { url: await deadUrl() });
    const response = await request(host.url + KIOSK_API.policy);
    expect(response.statusCode).toBe(502);
    expect(await response.body.json()).toMatchObject({ error: { code: 'server_unreachable' } });
  });

  it('gives the page its terminal config: defaults, with the settings over them', async () => {
    const panel = {
      id: 'test-7in',
      name: 'Test 7"',
      width: 800,
      height: 480,
      orientation: 'landscape' as const,
      touch: true,
      physicalKeyboard: false,
    };
    const { host } = await hostFor({ url: await deadUrl() }, { url: await deadUrl() }, TOKEN, {
      page: { language: 'de', panel, delays: { formTimeout: 5_000 }, wedge: { minLength: 6 } },
    });
    const response = await request(host.url + KIOSK_API.config);
    expect(response.headers['cache-control']).toBe('no-store');
    const config = (await response.body.json()) as Record<string, unknown>;
    expect(config).toMatchObject({
      language: 'de',
      panel,
      enrollWithoutPrompt: false,
      delays: { formTimeout: 5_000, sessionTimeout: 30_000 },
      wedge: { minLength: 6, enabled: true },
      retry: { attempts: expect.any(Number) },
    });
    expect(JSON.stringify(config)).not.toContain(TOKEN);
    const html = await (await request(host.url + '/')).body.text();
    expect(html).toContain('<html lang="de">');
  });
});

describe('kiosk host: reader feed', () => {
  it('sends the reader token to a daemon that needs one', async () => {
    const reader = await startFakeReader(0, { token: 'reader-secret' });
    cleanup.push(() => reader.close());
    const { host } = await hostFor({ url: await deadUrl() }, reader, TOKEN, {
      readerToken: 'reader-secret',
    });
    const feed = await openFeed(host);
    await feed.next(linkIs('connected'));
    reader.swipe('TOKEN1');
    expect(JSON.parse((await feed.next((m) => m.event === 'card')).data)).toMatchObject({
      cardId: 'TOKEN1',
    });
  });

  it('reports the link disconnected, saying why, when the reader token is wrong', async () => {
    const reader = await startFakeReader(0, { token: 'reader-secret' });
    cleanup.push(() => reader.close());
    const { host, logs } = await hostFor({ url: await deadUrl() }, reader, TOKEN, {
      readerToken: 'cbr_bad-token-value',
    });
    const feed = await openFeed(host);
    await feed.next(linkIs('disconnected'));
    expect(logs.join('\n')).toContain('refused the reader token');
    expect(logs.join('\n')).not.toContain('cbr_bad-token-value');
  });

  it('fans card reads out to every open page', async () => {
    const reader = await startFakeReader();
    cleanup.push(() => reader.close());
    const { host, logs } = await hostFor({ url: await deadUrl() }, reader);
    const first = await openFeed(host);
    const second = await openFeed(host);
    expect(first.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    await first.next(linkIs('connected'));
    await second.next(linkIs('connected'));
    expect(reader.subscribers).toBe(1);

    reader.swipe('04A1B2C3D4', 'usb-1');
    for (const feed of [first, second]) {
      const message = await feed.next((m) => m.event === 'card');
      expect(JSON.parse(message.data)).toEqual({
        cardId: '04A1B2C3D4',
        readerId: 'usb-1',
        profile: 'simulated',
        at: expect.any(String),
      });
    }
    // Still one upstream subscription, however many pages.
    expect(reader.subscribers).toBe(1);
    const log = logs.join('\n');
    expect(log).toContain('******C3D4');
    expect(log).not.toContain('04A1B2C3D4');
  });

  it('drops malformed reader events instead of passing them to the page', async () => {
    const reader = await startFakeReader();
    cleanup.push(() => reader.close());
    const { host } = await hostFor({ url: await deadUrl() }, reader);
    const feed = await openFeed(host);
    await feed.next(linkIs('connected'));
    reader.raw('event: card\ndata: {"cardId":"has space","readerId":"x"}\n\n');
    reader.raw('event: card\ndata: not json\n\n');
    reader.swipe('GOOD1');
    const message = await feed.next((m) => m.event === 'card');
    expect(JSON.parse(message.data)).toMatchObject({ cardId: 'GOOD1' });
  });

  it('reports the reader daemon disconnected while it is down, and reconnects', async () => {
    let reader = await startFakeReader();
    const { host, logs } = await hostFor({ url: await deadUrl() }, reader);
    const feed = await openFeed(host);
    await feed.next(linkIs('connected'));
    reader.readerStatus('usb-1', 'connected');
    await feed.next((m) => m.data.includes('"readerId":"usb-1"'));

    await reader.close();
    await feed.next(linkIs('disconnected'));
    // A page opened now learns it at once, from the replay.
    const late = await openFeed(host);
    await late.next(linkIs('disconnected'));

    reader = await startFakeReader(reader.port);
    cleanup.push(() => reader.close());
    await feed.next(linkIs('connected'));
    reader.swipe('AFTER1');
    expect(JSON.parse((await feed.next((m) => m.event === 'card')).data)).toMatchObject({
      cardId: 'AFTER1',
    });
    expect(logs.join('\n')).toContain('reader daemon not reachable');
  });

  it('replays reader statuses to pages that connect later', async () => {
    const reader = await startFakeReader();
    cleanup.push(() => reader.close());
    const { host } = await hostFor({ url: await deadUrl() }, reader);
    const first = await openFeed(host);
    await first.next(linkIs('connected'));
    reader.readerStatus('usb-1', 'disconnected');
    await first.next((m) => m.data.includes('"readerId":"usb-1"'));

    const later = await openFeed(host);
    expect(await later.next()).toMatchObject({ event: 'reader' });
    const replayed = await later.next();
    expect(JSON.parse(replayed.data)).toMatchObject({ readerId: 'usb-1', status: 'disconnected' });
  });

  it('reports disconnected from the start when the daemon is not running', async () => {
    const { host } = await hostFor({ url: await deadUrl() }, { url: await deadUrl() });
    const feed = await openFeed(host);
    await feed.next(linkIs('disconnected'));
  });

  it('backs off quickly, never waiting more than 2 s between attempts', () => {
    const delays = Array.from({ length: 12 }, (_, attempt) => reconnectDelay(attempt));
    expect(delays.slice(0, 5)).toEqual([100, 200, 400, 800, 1600]);
    expect(Math.max(...delays)).toBe(2000);
    expect(delays).toEqual([...delays].sort((a, b) => a - b));
  });

  it('ends the page streams and stops on close', async () => {
    const reader = await startFakeReader();
    cleanup.push(() => reader.close());
    const { host } = await hostFor({ url: await deadUrl() }, reader);
    const feed = await openFeed(host);
    await feed.next(linkIs('connected'));
    await host.close();
    await expect(feed.next(() => false)).rejects.toThrow();
    await expect(request(host.url + '/')).rejects.toThrow();
  });
});

describe('kiosk host: configuration', () => {
  it.each([
    ['not a URL', 'server'],
    ['ftp://127.0.0.1/', 'http:// or https://'],
    ['http://user:pw@127.0.0.1:1/', 'credentials'],
  ])('refuses the server URL %s', async (serverUrl, message) => {
    await expect(
      serveKiosk({ serverUrl, terminalToken: TOKEN, readerUrl: 'http://127.0.0.1:1', ui: UI }),
    ).rejects.toThrow(message);
  });

  it('refuses a reader URL that is not http', async () => {
    await expect(
      serveKiosk({
        serverUrl: 'http://127.0.0.1:1',
        terminalToken: TOKEN,
        readerUrl: 'https://127.0.0.1:1',
        ui: UI,
      }),
    ).rejects.toThrow('http://');
  });
});
