import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.ts';
import {
  createPtyPair,
  freePort,
  runCli,
  startCli,
  startKiosk,
  type LongRunning,
} from '../support/processes.ts';

const SCREENSHOTS = path.resolve('test-results/e2e');

/**
 * The whole slice as a technician sets it up: a server with a user and a terminal made by the
 * admin CLI, a reader daemon on a (pseudo-)serial port, the kiosk in Chromium.
 */
describe('swipe, enroll, log in', () => {
  const running: LongRunning[] = [];
  let dir: string;
  let pty: Awaited<ReturnType<typeof createPtyPair>>;
  let browser: Browser;
  let page: Page;
  let serverUrl: string;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    dir = mkdtempSync(path.join(tmpdir(), 'cardbind-e2e-'));
    const dataDir = path.join(dir, 'data');

    const serverPort = await freePort();
    running.push(
      await startCli(
        ['server', '--port', String(serverPort), '--data', dataDir],
        /listening on (\S+)/,
      ),
    );
    serverUrl = `http://127.0.0.1:${serverPort}`;

    const user = await runCli(
      [
        'admin',
        '--data',
        dataDir,
        'user',
        'add',
        'ada',
        '--full-name',
        'Ada Lovelace',
        '--email',
        'ada@example.org',
        '--password-stdin',
      ],
      'correct horse battery staple\n',
    );
    expect(user.code, user.stderr).toBe(0);
    const terminal = await runCli(['admin', '--data', dataDir, 'terminal', 'add', 'Lobby MFD']);
    expect(terminal.code, terminal.stderr).toBe(0);
    const terminalToken = terminal.stdout.trim();
    expect(terminalToken).toMatch(/^cbt_\S+$/);

    pty = await createPtyPair(dir);
    const readerPort = await freePort();
    running.push(
      await startCli(
        [
          'reader',
          '--serial',
          pty.readerEnd,
          '--profile',
          'generic-serial',
          '--port',
          String(readerPort),
          '--repeat-window',
          '250',
        ],
        /publishing card events/,
      ),
    );

    const kiosk = await startKiosk({
      serverUrl,
      terminalToken,
      readerUrl: `http://127.0.0.1:${readerPort}`,
    });
    running.push(kiosk);

    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 800, height: 480 } });
    await page.goto(kiosk.url);
  });

  afterAll(async () => {
    await browser?.close();
    for (const process of running.reverse()) await process.stop();
    await pty?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const swipe = (bytes: string) => writeFileSync(pty.deviceEnd, bytes);
  const shot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });

  it('enrolls an unknown card through the kiosk, then logs in with it', async () => {
    await expect.poll(() => page.getByText('Swipe your card').isVisible()).toBe(true);
    await shot('01-idle');

    swipe('04A1B2C3D4\r\n');
    await page.getByText('Enroll this card?').waitFor();
    await shot('02-offer-enrollment');
    await page.getByRole('button', { name: 'Enrollment' }).click();
    await page.getByRole('button', { name: 'Password', exact: true }).click();

    await page.getByLabel('Username').fill('ada');
    await page.getByLabel('Password', { exact: true }).fill('correct horse battery staple');
    await shot('03-enroll-form');
    await page.getByRole('button', { name: 'Register card' }).click();
    await page.getByText('Welcome, Ada Lovelace').waitFor();
    await shot('04-enrolled-welcome');

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByText('Swipe your card').waitFor();

    // The reader delivers the same card again, lower-case and LF-only: the profile normalizes it.
    swipe('04a1b2c3d4\n');
    await page.getByText('Welcome, Ada Lovelace').waitFor();
    await shot('05-known-welcome');
  });

  it('shows the enrolled card to an admin through the API', async () => {
    const dataDir = path.join(dir, 'data');
    const token = await runCli(['admin', '--data', dataDir, 'token', 'add', 'e2e']);
    expect(token.code, token.stderr).toBe(0);
    const response = await fetch(`${serverUrl}/api/v1/cards`, {
      headers: { authorization: `Bearer ${token.stdout.trim()}` },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { cards: Array<Record<string, unknown>> };
    expect(body.cards).toEqual([
      expect.objectContaining({ cardId: '04A1B2C3D4', username: 'ada', terminal: 'Lobby MFD' }),
    ]);
  });
});
