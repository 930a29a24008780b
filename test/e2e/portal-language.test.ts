import type { RunningServer } from '@cardbind/server';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.ts';
import {
  USER_PASSWORD,
  createPortalData,
  startPortalServer,
  type PortalData,
} from '../support/portal.ts';

const ERIK = { username: 'erik', password: USER_PASSWORD };

/**
 * The account language in Chromium against a real server: an account that never chose follows
 * the browser (German here), and English chosen on purpose sticks, in this browser and on the
 * next one, although the browser asks for German, until the user takes the choice back.
 */
describe('portal language of an account', () => {
  let data: PortalData;
  let server: RunningServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    data = await createPortalData('portal-language', async (admin) => {
      await admin.addUser({ ...ERIK, fullName: 'Erik Englisch', email: null });
    });
    server = await startPortalServer(data.storage);
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.close();
    data?.remove();
  });

  /** A new browser profile (nothing stored) whose user prefers German. */
  const germanBrowser = async (): Promise<Page> => {
    const context = await browser.newContext({ locale: 'de-DE' });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    return page;
  };

  /** Logs in with the German login form: before login the portal follows the browser. */
  const logInInGerman = async (page: Page) => {
    await page.goto(`${server.url}/portal/login`);
    await page.getByLabel('Benutzername').fill(ERIK.username);
    await page.getByRole('textbox', { name: 'Passwort', exact: true }).fill(ERIK.password);
    await page.getByRole('button', { name: 'Anmelden', exact: true }).click();
  };

  it('keeps English once the user chose it, on a browser that asks for German', async () => {
    const page = await germanBrowser();
    await logInInGerman(page);
    // Never chosen: the browser's German.
    await page.getByRole('heading', { name: 'Profil', exact: true }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('de');

    await page.getByRole('combobox', { name: 'Sprache' }).last().selectOption('en');
    await page.getByRole('button', { name: 'Sprache speichern' }).click();
    await page.getByText('Language saved.').waitFor();
    await page.getByRole('heading', { name: 'Profile', exact: true }).waitFor();

    await page.reload();
    await page.getByRole('heading', { name: 'Profile', exact: true }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');

    // Another browser, nothing stored, still German: after login the account's English wins.
    const other = await germanBrowser();
    await logInInGerman(other);
    await other.getByRole('heading', { name: 'Profile', exact: true }).waitFor();
    expect(await other.getByRole('combobox', { name: 'Language' }).last().inputValue()).toBe('en');

    // Taking the choice back: the portal follows the browser's German again, after a reload too.
    await other.getByRole('combobox', { name: 'Language' }).last().selectOption('');
    await other.getByRole('button', { name: 'Save language' }).click();
    await other.getByRole('heading', { name: 'Profil', exact: true }).waitFor();
    await other.reload();
    await other.getByRole('heading', { name: 'Profil', exact: true }).waitFor();
    expect(await other.evaluate(() => document.documentElement.lang)).toBe('de');
    expect(await other.getByRole('combobox', { name: 'Sprache' }).last().inputValue()).toBe('');
    expect(problems).toEqual([]);
  });
});
