import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeCardbindServer } from '../testing/fake-cardbind-server.ts';
import { startFakeReader } from '../testing/fake-reader.ts';
import {
  KIOSK_BRIDGE_FLAG,
  KIOSK_FEED_CHANNEL,
  KIOSK_INVOKE_CHANNELS,
  KIOSK_IPC,
} from './bridge-contract.ts';
import { buildElectronApp } from './build.ts';
import { ELECTRON_FILES } from './layout.ts';

const STUB = fileURLToPath(new URL('../testing/electron-stub.cjs', import.meta.url));
const TOKEN = 'cbt_electron-test-token';
const READER_TOKEN = 'cbr_electron-test-reader-token';

describe('Electron build', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cardbind-electron-'));
  const outDir = path.join(dir, 'app');
  const read = (file: string) => readFileSync(path.join(outDir, file), 'utf8');

  beforeAll(async () => {
    await buildElectronApp(outDir);
    // Outside the repository, so `require("electron")` cannot find the real package.
    mkdirSync(path.join(dir, 'stub/electron'), { recursive: true });
    copyFileSync(STUB, path.join(dir, 'stub/electron/index.js'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs main.cjs under Node.js with the stand-in `electron` module; yields its reports. */
  function runMain(args: string[], env: Record<string, string>) {
    const child = spawn(process.execPath, [path.join(outDir, ELECTRON_FILES.main), ...args], {
      env: { PATH: process.env.PATH ?? '', NODE_PATH: path.join(dir, 'stub'), ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    let invocations = 0;
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    return {
      async report(type: string): Promise<Record<string, unknown>> {
        for (;;) {
          const line = await lines.next();
          if (line.done) throw new Error(`main exited before reporting ${type}: ${stderr}`);
          const event = JSON.parse(line.value) as Record<string, unknown>;
          if (event.type === type) return event;
        }
      },
      /** ipcRenderer.invoke from a top frame at `frameUrl` (stub driven through stdin). */
      async invoke(frameUrl: string, channel: string, ...args: unknown[]) {
        const id = ++invocations;
        child.stdin.write(JSON.stringify({ type: 'invoke', id, channel, frameUrl, args }) + '\n');
        for (;;) {
          const event = await this.report('invoked');
          if (event.id === id) return event;
        }
      },
      exited,
      stderr: () => stderr,
      stdout: () => stdout,
      stop: async () => {
        child.kill('SIGTERM');
        await exited;
      },
    };
  }

  it('bundles main, preload and the UI into files the packaged app can run alone', () => {
    const mainJs = read(ELECTRON_FILES.main);
    // Electron comes from the runtime; everything else is inside, esbuild not needed at all.
    expect(mainJs).toContain('require("electron")');
    const required = [...mainJs.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]!);
    const outside = required.filter(
      (name) => name !== 'electron' && !name.startsWith('node:') && !builtinModules.includes(name),
    );
    expect(outside).toEqual([]);

    // A sandboxed preload can require little besides electron: it must need nothing else.
    const preload = read(ELECTRON_FILES.preload);
    expect([...preload.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1])).toEqual(['electron']);
    expect(preload).toContain(KIOSK_BRIDGE_FLAG);
    expect(read(ELECTRON_FILES.uiScript)).toContain('Swipe your card');
    expect(read(ELECTRON_FILES.uiCss)).toContain('.reader-offline');
    // Every shipped panel profile, for --panel.
    expect(read(`${ELECTRON_FILES.panels}/rpi-touch-display-7.json`)).toContain('"width": 800');
  });

  it('sizes the window from --panel and tells the page its panel and language', async () => {
    const server = await startFakeCardbindServer({ terminalToken: TOKEN, users: [] });
    const reader = await startFakeReader();
    const main = runMain(
      ['--server', server.url, '--reader', reader.url, '--panel', 'rpi-touch-display-2-portrait'],
      { CARDBIND_TERMINAL_TOKEN: TOKEN, CARDBIND_LANGUAGE: 'cs' },
    );
    try {
      const window = await main.report('window');
      expect(window.options).toMatchObject({ kiosk: true, width: 720, height: 1280 });
      const load = await main.report('load');
      const config = await request(`${String(load.url)}/kiosk/v1/config`);
      expect(await config.body.json()).toMatchObject({
        language: 'cs',
        panel: { id: 'rpi-touch-display-2-portrait', orientation: 'portrait', touch: true },
      });
    } finally {
      await main.stop();
      await reader.close();
      await server.close();
    }
  });

  it('refuses an unknown panel, listing the ones there are', async () => {
    const main = runMain(['--kiosk-url=http://127.0.0.1:7392', '--panel', 'no-such-panel'], {});
    expect(await main.exited).toBe(1);
    // The log line is JSON: its error message is what a technician reads.
    const logged = main
      .stderr()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { error?: { message: string } });
    const message = logged.find((line) => line.error)?.error?.message;
    expect(message).toMatch(
      /^Unknown panel profile "no-such-panel"\. Available: .*rpi-touch-display-7/,
    );
  });

  it('starts the kiosk host in-process and shows it in a locked-down window', async () => {
    const server = await startFakeCardbindServer({ terminalToken: TOKEN, users: [] });
    const reader = await startFakeReader();
    const main = runMain(['--server', server.url, '--reader', reader.url], {
      CARDBIND_TERMINAL_TOKEN: TOKEN,
    });
    try {
      await main.report('menu-removed');
      const window = await main.report('window');
      expect(window.options).toMatchObject({
        kiosk: true,
        webPreferences: {
          contextIsolation: true,
          sandbox: true,
          nodeIntegration: false,
          devTools: false,
          preload: path.join(outDir, ELECTRON_FILES.preload),
        },
      });
      const load = await main.report('load');
      expect(load).toMatchObject({
        url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
        sameOriginPrevented: false,
        foreignPrevented: true,
        windowOpen: 'deny',
      });
      expect(load.handlers).toEqual(
        expect.arrayContaining([
          'devtools-opened',
          'did-fail-load',
          'did-finish-load',
          'render-process-gone',
          'unresponsive',
          'will-navigate',
        ]),
      );

      // The page it shows is the prebuilt UI, served by the in-process host.
      const page = await request(String(load.url) + '/');
      expect(page.statusCode).toBe(200);
      expect(await page.body.text()).toMatch(/<script type="module" src="\/assets\/kiosk-/);
      await reader.subscribed();
      expect(main.stderr()).not.toContain(TOKEN);
    } finally {
      await main.stop();
      await reader.close();
      await server.close();
    }
  });

  it('answers the kiosk page over IPC through the in-process host, and nobody else', async () => {
    const server = await startFakeCardbindServer({
      terminalToken: TOKEN,
      users: [{ username: 'ada', password: 'pw', fullName: 'Ada Lovelace' }],
    });
    server.bindCard('04A1B2C3D4', 'ada');
    // A daemon with a token: cards arrive only if the shell passes CARDBIND_READER_TOKEN on.
    const reader = await startFakeReader(0, { token: READER_TOKEN });
    const main = runMain(['--server', server.url, '--reader', reader.url], {
      CARDBIND_TERMINAL_TOKEN: TOKEN,
      CARDBIND_READER_TOKEN: READER_TOKEN,
      CARDBIND_ELECTRON_STUB_STDIN: '1',
    });
    try {
      const window = await main.report('window');
      expect(window.options).toMatchObject({
        webPreferences: { additionalArguments: [KIOSK_BRIDGE_FLAG] },
      });
      const load = await main.report('load');
      expect(load.ipcChannels).toEqual([...KIOSK_INVOKE_CHANNELS].sort());
      const kiosk = `${String(load.url)}/`;

      expect(await main.invoke(kiosk, KIOSK_IPC.cardAuth, { cardId: '04A1B2C3D4' })).toMatchObject({
        answer: { status: 200, body: { result: 'known', user: { fullName: 'Ada Lovelace' } } },
      });
      expect(
        await main.invoke('https://evil.example/', KIOSK_IPC.cardAuth, { cardId: '1' }),
      ).toMatchObject({
        answer: { status: 403, body: { error: { code: 'forbidden' } } },
      });
      expect(await main.invoke(kiosk, KIOSK_IPC.cardAuth, { cardId: 'has space' })).toMatchObject({
        answer: { status: 400, body: { error: { code: 'invalid_request' } } },
      });
      expect(server.requests).toHaveLength(1);

      expect(await main.invoke(kiosk, KIOSK_IPC.subscribe)).toMatchObject({
        answer: { status: 200 },
      });
      await reader.subscribed();
      reader.swipe('04A1B2C3D4');
      for (;;) {
        const sent = await main.report('sent');
        const [event] = sent.args as Array<{ type: string }>;
        expect(sent.channel).toBe(KIOSK_FEED_CHANNEL);
        if (event?.type === 'card') break;
      }
      for (const secret of [TOKEN, READER_TOKEN]) {
        expect(main.stdout()).not.toContain(secret);
        expect(main.stderr()).not.toContain(secret);
      }
    } finally {
      await main.stop();
      await reader.close();
      await server.close();
    }
  });

  it('shows a running host in attach mode', async () => {
    const main = runMain(['--kiosk-url=http://127.0.0.1:7392'], {});
    try {
      const window = await main.report('window');
      // Another process holds the token: no IPC API, the page talks HTTP to that host.
      expect(window.options).not.toMatchObject({
        webPreferences: { additionalArguments: expect.anything() },
      });
      expect(await main.report('load')).toMatchObject({
        url: 'http://127.0.0.1:7392/',
        ipcChannels: [],
      });
    } finally {
      await main.stop();
    }
  });

  it('exits with an explanation when it is not configured', async () => {
    const main = runMain([], {});
    expect(await main.exited).toBe(1);
    expect(main.stderr()).toContain('The kiosk needs the Cardbind server URL');
  });
});
