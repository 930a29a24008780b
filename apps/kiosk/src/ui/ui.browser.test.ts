import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../../test/support/browser.ts';
import { startKioskHost } from '../host/start.ts';
import type { KioskHost } from '../host/kiosk-host.ts';
import {
  startFakeCardbindServer,
  type FakeCardbindServer,
} from '../testing/fake-cardbind-server.ts';
import { startFakeReader, type FakeReader } from '../testing/fake-reader.ts';

const SCREENSHOTS = fileURLToPath(new URL('../../../../test-results/kiosk', import.meta.url));
const TOKEN = 'cbt_browser-test';
const PASSWORD = 'correct horse battery staple';
const ADA = { username: 'ada', password: PASSWORD, fullName: 'Ada Lovelace', pin: '4711' };
const TIMEOUT = 60_000;

/**
 * The real page, bundled and served by the real kiosk host, in Debian's Chromium at the panel
 * size (800×480), against a fake Cardbind server and a fake reader daemon.
 */
describe('kiosk UI in Chromium', { timeout: TIMEOUT }, () => {
  let server: FakeCardbindServer;
  let reader: FakeReader;
  let host: KioskHost;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    server = await startFakeCardbindServer({ terminalToken: TOKEN, users: [ADA] });
    reader = await startFakeReader();
    host = await startKioskHost({
      serverUrl: server.url,
      terminalToken: TOKEN,
      readerUrl: reader.url,
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 800, height: 480 } });
    // CSP violations and script errors both surface here.
    // (API errors are part of the tests and show up as failed loads; missing files must not.)
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
        pageErrors.push(message.text());
      }
    });
    page.on('response', (response) => {
      if (response.status() === 404) pageErrors.push(`404 ${response.url()}`);
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(host.url);
  }, TIMEOUT);

  // Each test starts from a fresh page at idle, so one failure does not cascade into the next.
  beforeEach(async () => {
    if (!reader) return;
    await page.goto(host.url);
    await page.getByRole('heading', { name: 'Swipe your card' }).waitFor();
    // The page's own feed is open: a swipe now reaches it.
    await page.locator('[data-reader-link="connected"]').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await reader?.close();
    await server?.close();
  });

  /** Screenshot for people to look at, and a check that the screen fits the panel. */
  async function screen(name: string) {
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
    const layout = await page.evaluate(() => {
      const main = document.querySelector('main');
      const buttons = [...document.querySelectorAll('button')].map((b) =>
        b.getBoundingClientRect(),
      );
      return {
        overflow: main
          ? main.scrollHeight > main.clientHeight || main.scrollWidth > main.clientWidth
          : true,
        outside: buttons.some((r) => r.bottom > innerHeight || r.right > innerWidth || r.top < 0),
        smallestButton: Math.min(...buttons.map((r) => r.height)),
      };
    });
    expect(layout.overflow, `${name}: content overflows`).toBe(false);
    expect(layout.outside, `${name}: a button is off screen`).toBe(false);
    if (Number.isFinite(layout.smallestButton)) {
      expect(layout.smallestButton, `${name}: touch target too small`).toBeGreaterThanOrEqual(48);
    }
  }

  const heading = (name: string | RegExp) => page.getByRole('heading', { name });
  const button = (name: string) => page.getByRole('button', { name, exact: true });

  /** From the enrollment offer: the password form, filled in. */
  async function fillPasswordEnrollment(username: string, password?: string) {
    await button('Enrollment').click();
    await page.getByRole('button', { name: /^Password/ }).click();
    await page.getByLabel('Username').fill(username);
    if (password !== undefined) await page.getByLabel('Password', { exact: true }).fill(password);
  }

  it('enrolls an unknown card after a wrong password, then logs the card in', async () => {
    await heading('Swipe your card').waitFor();
    await screen('ui-01-idle');

    reader.swipe('04A1B2C3D4');
    await heading('Enroll this card?').waitFor();
    await screen('ui-02-offer-enrollment');
    await button('Enrollment').click();
    await heading('How do you want to sign in?').waitFor();
    await screen('ui-03-choose-method');
    await page.getByRole('button', { name: /^Password/ }).click();

    await page.getByLabel('Username').waitFor();
    await expect
      .poll(() => page.getByLabel('Username').evaluate((e) => e === document.activeElement))
      .toBe(true);
    await screen('ui-04-enroll-form');
    await page.getByLabel('Username').fill('ada');
    await page.getByLabel('Password', { exact: true }).fill('not the password');
    await button('Register card').click();

    await page.getByRole('alert').filter({ hasText: 'Wrong username or secret' }).waitFor();
    expect(await page.getByLabel('Username').inputValue()).toBe('ada');
    expect(await page.getByLabel('Password', { exact: true }).inputValue()).toBe('');
    await screen('ui-05-wrong-password');

    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await button('Register card').click();
    await heading('Welcome, Ada Lovelace').waitFor();
    await page.getByText('Your card is registered').waitFor();
    await screen('ui-06-welcome');
    expect(server.requests.filter((r) => r.path.endsWith('/enroll'))).toHaveLength(2);

    await button('Log out').click();
    await heading('Swipe your card').waitFor();

    reader.swipe('04A1B2C3D4');
    await heading('Welcome, Ada Lovelace').waitFor();
    await button('Log out').click();
    await heading('Swipe your card').waitFor();
  });

  it('cancels an enrollment', async () => {
    reader.swipe('CARD-NEW-1');
    await heading('Enroll this card?').waitFor();
    await fillPasswordEnrollment('someone');
    await button('Cancel').click();
    await heading('Swipe your card').waitFor();
  });

  it('explains a card that belongs to someone else', async () => {
    reader.swipe('CARD-NEW-2');
    await heading('Enroll this card?').waitFor();
    // Another kiosk binds the card meanwhile.
    server.bindCard('CARD-NEW-2', 'someone-else-entirely');
    await fillPasswordEnrollment('ada', PASSWORD);
    await button('Register card').click();
    await heading('This card belongs to someone else').waitFor();
    await screen('ui-07-card-already-bound');
    await button('OK').click();
    await heading('Swipe your card').waitFor();
  });

  it('logs in without a card by PIN, in German', async () => {
    await button('Deutsch').click();
    await heading('Karte auflegen').waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('de');
    await screen('ui-08-idle-de');
    await button('Ohne Karte anmelden').click();
    await page.getByRole('button', { name: /^Kurz-ID/ }).click();
    expect(await page.getByLabel('Benutzername').count()).toBe(0);
    await page.getByLabel('Kurz-ID (PIN)').fill('4711');
    await screen('ui-09-pin-login-de');
    await button('Anmelden').click();
    await heading('Willkommen, Ada Lovelace').waitFor();
    await button('Abmelden').click();
    // Back at idle, the terminal's language again.
    await heading('Swipe your card').waitFor();
  });

  it('retries by itself when the server cannot be reached, and offers Try now', async () => {
    const port = server.port;
    await server.close();
    reader.swipe('04A1B2C3D4');
    await heading('Cannot reach the server').waitFor();
    await page.getByText('cannot be reached').waitFor();
    await screen('ui-10-server-unreachable');

    server = await startFakeCardbindServer({ terminalToken: TOKEN, users: [ADA], port });
    await button('Try now').click();
    // The restarted fake forgot the enrollment: the card is unknown again.
    await heading('Enroll this card?').waitFor();
    await button('Cancel').click();
    await heading('Swipe your card').waitFor();
  });

  it('reopens a form whose method was turned off during an outage with the one still offered', async () => {
    reader.swipe('CARD-NEW-3');
    await heading('Enroll this card?').waitFor();
    await fillPasswordEnrollment('ada', PASSWORD);
    const port = server.port;
    await server.close();
    await button('Register card').click();
    await heading('Cannot reach the server').waitFor();

    // An administrator allows PINs only meanwhile.
    server = await startFakeCardbindServer({ terminalToken: TOKEN, users: [ADA], port });
    server.setPolicy({ enrollmentMethods: ['pin'], loginMethods: ['password', 'pin'] });
    await button('Try now').click();
    await page.getByLabel('Short ID (PIN)').waitFor();
    await page.getByText('your method is no longer offered').waitFor();
    expect(await page.getByLabel('Password', { exact: true }).count()).toBe(0);
    expect(await page.getByLabel('Username').inputValue()).toBe('ada');
    await screen('ui-12-method-withdrawn');
    await button('Cancel').click();
    await heading('Swipe your card').waitFor();
  });

  it('shows when the card reader is offline, and when it is back', async () => {
    const offline = page.getByRole('status').filter({ hasText: 'Card reader offline' });
    expect(await offline.count()).toBe(0);
    const port = reader.port;
    await reader.close();
    await offline.waitFor();
    await screen('ui-11-reader-offline');

    reader = await startFakeReader(port);
    await offline.waitFor({ state: 'detached' });
    await reader.subscribed();
    reader.swipe('04A1B2C3D4');
    await heading('Enroll this card?').waitFor();
    await button('Cancel').click();
  });

  it('turns a keyboard-wedge burst ending in Enter into a card read', async () => {
    await heading('Swipe your card').waitFor();
    // A reader types within milliseconds; Playwright's own typing is slower than the threshold
    // on a busy machine, so the burst is dispatched inside the page, as the reader's would be.
    await page.evaluate(() => {
      const target = document.activeElement ?? document.body;
      for (const key of [...'04A1B2C3D4', 'Enter']) {
        target.dispatchEvent(
          new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }),
        );
      }
    });
    await heading('Enroll this card?').waitFor();
    expect(server.requests.at(-1)?.body).toEqual({ cardId: '04A1B2C3D4' });
    await button('Cancel').click();
    await heading('Swipe your card').waitFor();
  });

  it('ran without script errors, CSP violations or missing files', () => {
    expect(pageErrors).toEqual([]);
  });
});
