import { createRequire } from 'node:module';
import { createLogger, type Logger } from '@cardbind/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { pageConfig } from '../host/kiosk-host.ts';
import { startKioskServices, type KioskServices } from '../host/kiosk-services.ts';
import { READER_LINK_ID, type ReaderFeedEvent } from '../kiosk-api.ts';
import { startFakeCardbindServer } from '../testing/fake-cardbind-server.ts';
import { startFakeReader } from '../testing/fake-reader.ts';
import { KIOSK_FEED_CHANNEL, KIOSK_INVOKE_CHANNELS, KIOSK_IPC } from './bridge-contract.ts';
import { registerKioskIpc, type IpcMainLike, type IpcSender } from './ipc.ts';

/** The stand-in `electron` module the bundled main process runs with in tests. */
interface StubContents extends IpcSender {
  url: string;
  sent: Array<{ channel: string; args: unknown[] }>;
  destroy(): void;
}
interface ElectronStub {
  ipcMain: IpcMainLike & {
    channels(): string[];
    invoke(
      channel: string,
      from: { sender: IpcSender; frameUrl: string | null; parent?: unknown },
      ...args: unknown[]
    ): Promise<unknown>;
  };
  WebContents: new () => StubContents;
}
const stub = createRequire(import.meta.url)('../testing/electron-stub.cjs') as ElectronStub;
const { ipcMain } = stub;

const TOKEN = 'cbt_ipc-test-terminal-token';
const READER_TOKEN = 'cbr_ipc-test-reader-token';
const ORIGIN = 'http://127.0.0.1:7392';
const ADA = { username: 'ada', password: 'pw', fullName: 'Ada Lovelace', pin: '4711' };

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

/** The real services of the in-process kiosk host, with the IPC handlers registered on the stub. */
async function setup(options: { services?: KioskServices } = {}) {
  const server = await startFakeCardbindServer({ terminalToken: TOKEN, users: [ADA] });
  const reader = await startFakeReader(0, { token: READER_TOKEN });
  cleanup.push(
    () => server.close(),
    () => reader.close(),
  );
  const logs: string[] = [];
  const logger: Logger = createLogger({ level: 'debug', write: (line) => logs.push(line) });
  const services =
    options.services ??
    startKioskServices({
      serverUrl: server.url,
      terminalToken: TOKEN,
      readerUrl: reader.url,
      readerToken: READER_TOKEN,
      config: pageConfig({ language: 'de' }),
      logger,
    });
  cleanup.push(() => services.close());
  const unregister = registerKioskIpc(ipcMain, { services, origin: ORIGIN, logger });
  cleanup.push(unregister);
  return { server, reader, logs, unregister };
}

/** A window showing `url`; `until` waits for what main sends it. */
function kioskWindow(url = `${ORIGIN}/`) {
  const contents = new stub.WebContents();
  contents.url = url;
  let notify = () => {};
  const send = contents.send.bind(contents);
  contents.send = (channel, ...args) => {
    send(channel, ...args);
    notify();
  };
  const events = () =>
    contents.sent
      .filter((message) => message.channel === KIOSK_FEED_CHANNEL)
      .map((message) => message.args[0] as ReaderFeedEvent);
  return {
    contents,
    events,
    cards: () => events().flatMap((e) => (e.type === 'card' ? [e.card.cardId] : [])),
    until: (check: () => boolean) =>
      new Promise<void>((resolve) => {
        notify = () => check() && resolve();
        notify();
      }),
    invoke: (channel: string, ...args: unknown[]) =>
      ipcMain.invoke(channel, { sender: contents, frameUrl: url }, ...args),
  };
}

const linkConnected = (events: ReaderFeedEvent[]) =>
  events.some(
    (e) =>
      e.type === 'reader' &&
      e.reader.readerId === READER_LINK_ID &&
      e.reader.status === 'connected',
  );

describe('kiosk IPC: channels', () => {
  it('answers exactly the channels of the contract, and stops answering when closed', async () => {
    const { unregister } = await setup();
    expect(ipcMain.channels()).toEqual([...KIOSK_INVOKE_CHANNELS].sort());
    expect(KIOSK_INVOKE_CHANNELS).toHaveLength(7);
    expect(KIOSK_INVOKE_CHANNELS.every((c) => c.startsWith('cardbind-kiosk:'))).toBe(true);
    unregister();
    expect(ipcMain.channels()).toEqual([]);
    await expect(kioskWindow().invoke(KIOSK_IPC.policy)).rejects.toThrow('No handler');
  });
});

describe('kiosk IPC: terminal calls', () => {
  it('forwards card-auth, enroll and login with the terminal token; answers as the HTTP route', async () => {
    const { server, logs } = await setup();
    const window = kioskWindow();
    expect(await window.invoke(KIOSK_IPC.cardAuth, { cardId: '04A1B2C3D4' })).toEqual({
      status: 200,
      body: { result: 'unknown', enrollmentToken: 'cbe_1', expiresAt: expect.any(String) },
    });
    const enroll = { enrollmentToken: 'cbe_1', username: 'ada', method: 'password' };
    expect(await window.invoke(KIOSK_IPC.enroll, { ...enroll, secret: 'wrong' })).toEqual({
      status: 401,
      body: { error: { code: 'invalid_credentials', message: 'Unknown user or wrong password.' } },
    });
    expect(await window.invoke(KIOSK_IPC.enroll, { ...enroll, secret: 'pw' })).toMatchObject({
      status: 201,
      body: { result: 'enrolled', user: { username: 'ada' } },
    });
    expect(await window.invoke(KIOSK_IPC.login, { method: 'pin', pin: '4711' })).toMatchObject({
      status: 200,
      body: { result: 'authenticated' },
    });
    expect(server.requests.map((r) => [r.path, r.authorization])).toEqual([
      ['/api/v1/terminal/card-auth', `Bearer ${TOKEN}`],
      ['/api/v1/terminal/enroll', `Bearer ${TOKEN}`],
      ['/api/v1/terminal/enroll', `Bearer ${TOKEN}`],
      ['/api/v1/terminal/login', `Bearer ${TOKEN}`],
    ]);
    expect(logs.join('\n')).toContain('terminal call');
  });

  it('answers the policy from the server and the config from the terminal settings', async () => {
    const { server } = await setup();
    server.setPolicy({ enrollmentMethods: ['otp'], loginMethods: [] });
    const window = kioskWindow();
    expect(await window.invoke(KIOSK_IPC.policy)).toEqual({
      status: 200,
      body: { enrollmentMethods: ['otp'], loginMethods: [] },
    });
    expect(await window.invoke(KIOSK_IPC.config)).toMatchObject({
      status: 200,
      body: { language: 'de', panel: null, delays: { sessionTimeout: 30_000 } },
    });
  });

  it('answers server_unreachable when the server is down, as the HTTP route does', async () => {
    const { server } = await setup();
    await server.close();
    expect(await kioskWindow().invoke(KIOSK_IPC.cardAuth, { cardId: '04A1' })).toMatchObject({
      status: 502,
      body: { error: { code: 'server_unreachable', message: expect.stringContaining(server.url) } },
    });
  });

  it('answers internal_error, and logs, when something fails in the main process', async () => {
    const failing: KioskServices = {
      config: pageConfig(),
      terminal: () => Promise.reject(new Error('proxy broke')),
      subscribe: () => () => {},
      close: async () => {},
    };
    const { logs } = await setup({ services: failing });
    expect(await kioskWindow().invoke(KIOSK_IPC.policy)).toMatchObject({
      status: 500,
      body: { error: { code: 'internal_error' } },
    });
    expect(logs.join('\n')).toContain('proxy broke');
  });
});

describe('kiosk IPC: who may call', () => {
  it.each([
    ['another site', 'https://evil.example/', null],
    ['another port on this machine', 'http://127.0.0.1:7393/', null],
    ['localhost instead of 127.0.0.1', 'http://localhost:7392/', null],
    ['a file', 'file:///etc/passwd', null],
    ['a frame inside the kiosk page', `${ORIGIN}/`, { url: `${ORIGIN}/` }],
    ['a frame that is gone', null, null],
  ])('refuses %s without calling the server', async (_what, frameUrl, parent) => {
    const { server, logs } = await setup();
    const sender = kioskWindow().contents;
    for (const [channel, args] of [
      [KIOSK_IPC.cardAuth, [{ cardId: '04A1' }]],
      [KIOSK_IPC.policy, []],
      [KIOSK_IPC.config, []],
      [KIOSK_IPC.subscribe, []],
    ] as const) {
      expect(await ipcMain.invoke(channel, { sender, frameUrl, parent }, ...args)).toEqual({
        status: 403,
        body: { error: { code: 'forbidden', message: expect.any(String) } },
      });
    }
    expect(server.requests).toEqual([]);
    expect(sender.sent).toEqual([]);
    expect(logs.join('\n')).toContain('kiosk IPC call refused');
  });
});

describe('kiosk IPC: payloads', () => {
  const cyclic: Record<string, unknown> = { cardId: '04A1' };
  cyclic.self = cyclic;

  it.each([
    ['no argument', KIOSK_IPC.cardAuth, [], 400, 'one argument'],
    ['two arguments', KIOSK_IPC.cardAuth, [{ cardId: '1' }, { cardId: '2' }], 400, 'one argument'],
    ['a string', KIOSK_IPC.cardAuth, ['04A1'], 400, 'Invalid request'],
    ['an extra field', KIOSK_IPC.cardAuth, [{ cardId: '04A1', admin: true }], 400, 'admin'],
    ['a card id with a space', KIOSK_IPC.cardAuth, [{ cardId: '04 A1' }], 400, 'cardId'],
    ['a cycle', KIOSK_IPC.cardAuth, [cyclic], 400, 'not JSON'],
    ['20 kB', KIOSK_IPC.cardAuth, [{ cardId: 'x'.repeat(20_000) }], 413, '16384 bytes'],
    [
      'enroll without a secret',
      KIOSK_IPC.enroll,
      [{ enrollmentToken: 't', username: 'ada', method: 'password' }],
      400,
      'secret',
    ],
    [
      'enroll by an unknown method',
      KIOSK_IPC.enroll,
      [{ enrollmentToken: 't', username: 'ada', secret: 's', method: 'sms' }],
      400,
      'method',
    ],
    ['a PIN of letters', KIOSK_IPC.login, [{ method: 'pin', pin: 'abcd' }], 400, 'pin'],
    ['policy with an argument', KIOSK_IPC.policy, [{}], 400, 'no arguments'],
    ['config with an argument', KIOSK_IPC.config, ['x'], 400, 'no arguments'],
    ['subscribe with an argument', KIOSK_IPC.subscribe, ['x'], 400, 'no arguments'],
  ])('refuses %s without calling the server', async (_what, channel, args, status, message) => {
    const { server } = await setup();
    const answer = await kioskWindow().invoke(channel, ...args);
    expect(answer).toEqual({
      status,
      body: {
        error: {
          code: status === 413 ? 'payload_too_large' : 'invalid_request',
          message: expect.stringContaining(message),
        },
      },
    });
    expect(server.requests).toEqual([]);
  });

  it('never echoes a refused secret', async () => {
    await setup();
    const answer = await kioskWindow().invoke(KIOSK_IPC.login, {
      method: 'password',
      username: 'ada',
      secret: 'hunter2-secret',
      extra: 1,
    });
    expect(answer).toMatchObject({ status: 400 });
    expect(JSON.stringify(answer)).not.toContain('hunter2-secret');
  });
});

describe('kiosk IPC: reader feed', () => {
  it('sends the window the current statuses, then card reads, until it unsubscribes', async () => {
    const { reader } = await setup();
    const window = kioskWindow();
    const other = kioskWindow();
    expect(await window.invoke(KIOSK_IPC.subscribe)).toEqual({ status: 200, body: null });
    await reader.subscribed();
    await window.until(() => linkConnected(window.events()));
    await other.invoke(KIOSK_IPC.subscribe);
    // Replayed at once to a window that subscribes later.
    expect(linkConnected(other.events())).toBe(true);

    reader.swipe('04A1B2C3D4', 'usb-1');
    await window.until(() => window.cards().length === 1);
    expect(window.events().at(-1)).toEqual({
      type: 'card',
      card: {
        cardId: '04A1B2C3D4',
        readerId: 'usb-1',
        profile: 'simulated',
        at: expect.any(String),
      },
    });

    expect(await window.invoke(KIOSK_IPC.unsubscribe)).toEqual({ status: 200, body: null });
    reader.swipe('SECOND');
    await other.until(() => other.cards().includes('SECOND'));
    expect(window.cards()).toEqual(['04A1B2C3D4']);
  });

  it('keeps one feed per window when a reloaded page subscribes again', async () => {
    const { reader } = await setup();
    const window = kioskWindow();
    await window.invoke(KIOSK_IPC.subscribe);
    await window.invoke(KIOSK_IPC.subscribe);
    await reader.subscribed();
    await window.until(() => linkConnected(window.events()));
    reader.swipe('ONCE');
    reader.swipe('TWICE');
    await window.until(() => window.cards().includes('TWICE'));
    expect(window.cards()).toEqual(['ONCE', 'TWICE']);
  });

  it('stops the feed of a destroyed window, and sends cards to kiosk pages only', async () => {
    const { reader } = await setup();
    const gone = kioskWindow();
    const elsewhere = kioskWindow();
    const witness = kioskWindow();
    for (const window of [gone, elsewhere, witness]) await window.invoke(KIOSK_IPC.subscribe);
    await reader.subscribed();
    await witness.until(() => linkConnected(witness.events()));
    gone.contents.destroy();
    // The window now shows something else (an error page after a failed load).
    elsewhere.contents.url = 'chrome-error://chromewebdata/';
    const before = { gone: gone.contents.sent.length, elsewhere: elsewhere.contents.sent.length };
    reader.swipe('04A1B2C3D4');
    await witness.until(() => witness.cards().length === 1);
    expect(gone.contents.sent).toHaveLength(before.gone);
    expect(elsewhere.contents.sent).toHaveLength(before.elsewhere);
  });

  it('never sends the terminal or reader token to the renderer', async () => {
    const { reader, logs } = await setup();
    const window = kioskWindow();
    const answers = [
      await window.invoke(KIOSK_IPC.config),
      await window.invoke(KIOSK_IPC.policy),
      await window.invoke(KIOSK_IPC.cardAuth, { cardId: '04A1' }),
      await window.invoke(KIOSK_IPC.login, { method: 'pin', pin: '0000' }),
      await window.invoke(KIOSK_IPC.subscribe),
    ];
    await reader.subscribed();
    reader.swipe('04A1B2C3D4');
    await window.until(() => window.cards().length === 1);
    const renderer = JSON.stringify([answers, window.contents.sent]);
    for (const secret of [TOKEN, READER_TOKEN]) {
      expect(renderer).not.toContain(secret);
      expect(logs.join('\n')).not.toContain(secret);
    }
  });
});
