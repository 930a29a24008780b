import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger } from '@cardbind/shared';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../../test/support/browser.ts';
import type { KioskHost } from '../host/kiosk-host.ts';
import { startKioskHost } from '../host/start.ts';
import {
  startFakeCardbindServer,
  type FakeCardbindServer,
} from '../testing/fake-cardbind-server.ts';
import { startFakeReader, type FakeReader } from '../testing/fake-reader.ts';
import { registerKioskIpc, type IpcMainLike, type IpcSender } from './ipc.ts';

const SCREENSHOTS = fileURLToPath(new URL('../../../../test-results/kiosk', import.meta.url));
const TOKEN = 'cbt_bridge-browser-test-token';
const READER_TOKEN = 'cbr_bridge-browser-reader-token';
const ADA = { username: 'ada', password: 'pw', fullName: 'Ada Lovelace', pin: '4711' };
const TIMEOUT = 60_000;

const { ipcMain } = createRequire(import.meta.url)('../testing/electron-stub.cjs') as {
  ipcMain: IpcMainLike & {
    invoke(
      channel: string,
      from: { sender: IpcSender; frameUrl: string | null; parent?: unknown },
      ...args: unknown[]
    ): Promise<unknown>;
  };
};

/**
 * The Electron path without Electron: the real page in Chromium, with `window.cardbindKiosk`
 * made by the real preload bridge (bridge.ts, bundled as the preload is) over an `ipcRenderer`
 * whose messages cross into Node through a Playwright binding, where the real IPC handlers
 * (registered as main.ts registers them) answer with the in-process host's services, against a
 * fake Cardbind server and a fake reader daemon.
 */
describe('kiosk page over the Electron bridge, in Chromium', { timeout: TIMEOUT }, () => {
  let server: FakeCardbindServer;
  let reader: FakeReader;
  let host: KioskHost;
  let browser: Browser;
  let page: Page;
  let unregister: () => void;
  const pageErrors: string[] = [];
  const apiRequests: string[] = [];
  /** Everything the renderer received from the main process. */
  const toRenderer: unknown[] = [];
  const logs: string[] = [];

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    server = await startFakeCardbindServer({ terminalToken: TOKEN, users: [ADA] });
    server.bindCard('04A1B2C3D4', 'ada');
    reader = await startFakeReader(0, { token: READER_TOKEN });
    host = await startKioskHost({
      serverUrl: server.url,
      terminalToken: TOKEN,
      readerUrl: reader.url,
      readerToken: READER_TOKEN,
      logger: createLogger({ level: 'debug', write: (line) => logs.push(line) }),
    });
    unregister = registerKioskIpc(ipcMain, {
      services: host.services,
      origin: host.url,
      logger: createLogger({ level: 'debug', write: (line) => logs.push(line) }),
    });

    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 800, height: 480 } });
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/kiosk/')) apiRequests.push(request.url());
    });

    // The window's webContents, as the handlers see it: main → renderer messages go into the page.
    const sender: IpcSender = {
      id: 1,
      send(channel, ...args) {
        toRenderer.push(...args);
        void page
          .evaluate(
            ([name, payload]) =>
              (window as unknown as PreloadedWindow).__cardbindIpcEmit(name, payload),
            [channel, args[0]] as const,
          )
          .catch(() => {});
      },
      getURL: () => page.url(),
      isDestroyed: () => page.isClosed(),
      once: () => {},
    };
    await page.exposeBinding(
      '__cardbindIpcInvoke',
      async (source, channel: string, args: unknown[]) => {
        const answer = await ipcMain.invoke(
          channel,
          { sender, frameUrl: source.frame.url(), parent: source.frame.parentFrame() },
          ...args,
        );
        toRenderer.push(answer);
        return answer;
      },
    );
    await page.addInitScript({ content: await preloadScript() });
  }, TIMEOUT);

  afterAll(async () => {
    unregister?.();
    await browser?.close();
    await host?.close();
    await reader?.close();
    await server?.close();
  });

  it('shows the welcome screen for a known card, through the bridge only', async () => {
    await page.goto(host.url);
    await page.getByRole('heading', { name: 'Swipe your card' }).waitFor();
    // The reader link status arrived over IPC: the page's feed is open.
    await page.locator('[data-reader-link="connected"]').waitFor();
    const exposed = await page.evaluate(() =>
      Object.keys((window as unknown as PreloadedWindow).cardbindKiosk ?? {}),
    );
    expect(exposed.sort()).toEqual(
      ['cardAuth', 'config', 'enroll', 'login', 'policy', 'shell', 'subscribe'].sort(),
    );

    reader.swipe('04A1B2C3D4');
    await page.getByRole('heading', { name: 'Welcome, Ada Lovelace' }).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'bridge-welcome.png') });

    // No call went to the host's HTTP API; the server saw the terminal token, the page never did.
    expect(apiRequests).toEqual([]);
    expect(server.requests.map((r) => [r.path, r.authorization])).toContainEqual([
      '/api/v1/terminal/card-auth',
      `Bearer ${TOKEN}`,
    ]);
    expect(toRenderer.length).toBeGreaterThan(0);
    const received = JSON.stringify(toRenderer);
    expect(received).toContain('Ada Lovelace');
    for (const secret of [TOKEN, READER_TOKEN]) {
      expect(received).not.toContain(secret);
      expect(await page.content()).not.toContain(secret);
      expect(logs.join('\n')).not.toContain(secret);
    }
    expect(pageErrors).toEqual([]);
  });
});

/**
 * The preload's bridge module bundled for the browser, then the preload's job: hand it an
 * `ipcRenderer` (here over the Playwright binding) and put the result on `window.cardbindKiosk`.
 */
async function preloadScript(): Promise<string> {
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL('./bridge.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: '__cardbindPreload',
    platform: 'browser',
    logLevel: 'silent',
  });
  const bridgeModule = bundle.outputFiles[0]?.text ?? '';
  return `${bridgeModule}
(() => {
  const listeners = new Map();
  const ipcRenderer = {
    invoke: (channel, ...args) => window.__cardbindIpcInvoke(channel, args),
    on: (channel, listener) => listeners.set(channel, [...(listeners.get(channel) ?? []), listener]),
  };
  window.__cardbindIpcEmit = (channel, payload) => {
    for (const listener of listeners.get(channel) ?? []) listener({}, payload);
  };
  window.cardbindKiosk = Object.freeze(__cardbindPreload.createKioskBridge(ipcRenderer));
})();`;
}

/** What the init script adds to the page's window. */
type PreloadedWindow = Window & {
  __cardbindIpcEmit(channel: string, payload: unknown): void;
  cardbindKiosk?: object;
};
