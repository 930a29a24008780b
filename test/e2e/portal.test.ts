import { maskCardId } from '@cardbind/shared';
import type { RunningServer } from '@cardbind/server';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.ts';
import {
  ADMIN,
  PORTAL_VIEWPORTS as VIEWPORTS,
  PortalPages,
  USER_PASSWORD,
  createPortalData,
  openFromMenu,
  startPortalServer,
  type PortalData,
} from '../support/portal.ts';

/**
 * The portal in Chromium against a real server (SQLite in a temp directory): logging in with
 * password, OTP and PIN, one-time secrets, profile edits, sessions, admin pages and the
 * permission-denied page, at phone and desktop widths.
 */
describe('portal', () => {
  let data: PortalData;
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    data = await createPortalData('portal', async (admin) => {
      for (const { name } of VIEWPORTS) {
        await admin.addUser({
          username: `ada-${name}`,
          fullName: 'Ada Lovelace',
          email: `ada-${name}@example.org`,
          password: USER_PASSWORD,
        });
      }
    });
    server = await startPortalServer(data.storage);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    data?.remove();
  });

  it('serves the page with a strict CSP and hashed, immutable assets', async () => {
    const response = await fetch(`${server.url}/portal`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await response.text();
    expect(html).not.toMatch(/<script>|<script [^>]*>[^<]/); // no inline script
    const script = /src="(\/portal\/assets\/portal-[^"]+\.js)"/.exec(html)?.[1];
    const css = /href="(\/portal\/assets\/portal-[^"]+\.css)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    expect(css).toBeDefined();

    const asset = await fetch(`${server.url}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    // Browser code takes only types from @cardbind/shared: no schema library in the bundle.
    expect(await asset.text()).not.toContain('ZodError');
    expect((await fetch(`${server.url}${css}`)).headers.get('content-type')).toMatch(/^text\/css/);

    // Client routes get the page; unknown assets do not.
    expect((await fetch(`${server.url}/portal/admin/users?page=2`)).status).toBe(200);
    expect((await fetch(`${server.url}/portal/assets/portal-NOPE.js`)).status).toBe(404);
  });

  describe.each(VIEWPORTS)('at $name width ($width×$height)', (viewport) => {
    const username = `ada-${viewport.name}`;
    const newUsername = `grace-${viewport.name}`;
    const pages = new PortalPages(() => browser, {
      viewport,
      screenshotPrefix: `${viewport.name}-`,
    });

    afterAll(() => pages.close());

    it('a user logs in, sees an OTP once, edits the profile and ends another session', async () => {
      const page = await pages.newPage();
      await page.goto(`${server.url}/portal`);
      await page.getByRole('heading', { name: 'Log in' }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/portal/login');
      await pages.shot(page, '01-login');

      await pages.logIn(page, { username, password: 'wrong password' });
      await page.getByText('These login details are not valid.').waitFor();
      await pages.logIn(page, { username, password: USER_PASSWORD });
      await page.getByRole('heading', { name: 'Profile', exact: true }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/portal/profile');
      await pages.shot(page, '02-profile');

      // The OTP is shown once, then gone for good.
      await page.getByRole('button', { name: 'Generate one-time password' }).click();
      const secret = page.getByTestId('secret');
      await secret.waitFor();
      const otp = (await secret.locator('code').textContent()) ?? '';
      expect(otp).toMatch(/^[ABCDEFGHJKMNPQRSTVWXYZ2-9]{10}$/);
      await expect
        .poll(() => secret.getByText('It is shown only this once.').isVisible())
        .toBe(true);
      await pages.shot(page, '03-otp-once');
      await secret.getByRole('button', { name: 'Done' }).click();
      await secret.waitFor({ state: 'detached' });
      expect(await page.content()).not.toContain(otp);
      await openFromMenu(page, 'Cards');
      await page.getByRole('heading', { name: 'My cards' }).waitFor();
      await openFromMenu(page, 'Profile');
      await page.getByRole('heading', { name: 'Profile', exact: true }).waitFor();
      expect(await page.content()).not.toContain(otp);

      // Edit the profile; a reload keeps the session (CSRF token in sessionStorage).
      await page.getByLabel('Full name').fill('Ada King');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByText('Your details are saved.').waitFor();
      await page.reload();
      await page.getByRole('heading', { name: 'Ada King' }).waitFor();

      // Another session (a desktop client) shows up and can be ended; this one is marked.
      const other = await fetch(`${server.url}/api/v1/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'Cardbind Desktop/1.0' },
        body: JSON.stringify({
          grant_type: 'password',
          client_id: 'desktop',
          username,
          password: USER_PASSWORD,
        }),
      });
      expect(other.status).toBe(200);
      await openFromMenu(page, 'Sessions');
      await page.getByRole('heading', { name: 'My sessions' }).waitFor();
      const rows = page.locator('tbody tr');
      await expect.poll(() => rows.count()).toBe(2);
      await expect
        .poll(() => page.locator('tr.current').getByText('This session').isVisible())
        .toBe(true);
      await pages.shot(page, '04-sessions');
      const desktopRow = rows.filter({ hasText: 'Cardbind Desktop/1.0' });
      await desktopRow.getByRole('button', { name: 'End session' }).click();
      await desktopRow.getByRole('button', { name: 'Yes, continue' }).click();
      await page.getByText('The session has ended.').waitFor();
      await expect.poll(() => rows.count()).toBe(1);

      // The language switcher changes every word, and remembers the choice.
      await page.getByLabel('Language').selectOption('de');
      await page.getByRole('heading', { name: 'Meine Sitzungen' }).waitFor();
      await pages.shot(page, '05-sessions-de');
      await page.getByLabel('Sprache').selectOption('en');
      await page.getByRole('heading', { name: 'My sessions' }).waitFor();

      // No admin navigation, and an admin URL shows the permission-denied page.
      expect(await page.getByRole('link', { name: 'Users' }).count()).toBe(0);
      await page.goto(`${server.url}/portal/admin/users`);
      await page.getByRole('heading', { name: 'Permission denied' }).waitFor();
      await pages.shot(page, '06-permission-denied');

      // Log out, then log in with the one-time password shown earlier.
      const toggle = page.getByRole('button', { name: 'Menu' });
      if (await toggle.isVisible()) {
        await toggle.click();
        await pages.shot(page, '06-menu-open');
      }
      await page.getByRole('button', { name: 'Log out' }).first().click();
      await page.getByText('You have logged out.').waitFor();
      await page.getByRole('tab', { name: 'One-time password' }).click();
      await page.getByLabel('Username').fill(username);
      await page.getByRole('textbox', { name: 'One-time password' }).fill(otp);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByRole('heading', { name: 'Ada King' }).waitFor();

      // The forgotten-PIN form shows the server's refusal when the site does not allow it.
      await page.context().clearCookies();
      await page.evaluate(() => sessionStorage.clear());
      await page.goto(`${server.url}/portal/login`);
      await page.getByRole('button', { name: 'Forgot your PIN?' }).click();
      await page.getByLabel('Username').fill(username);
      await page.getByRole('button', { name: 'Send a new PIN' }).click();
      await page.getByText('PINs cannot be reset from the login screen on this site.').waitFor();
      await pages.shot(page, '07-pin-reset-refused');

      expect(pages.problems).toEqual([]);
    });

    it('an admin creates a user, generates a PIN, and the user logs in with it', async () => {
      const page = await pages.newPage();
      // Asked for an admin page while logged out: log in, then land there.
      await page.goto(`${server.url}/portal/admin/users`);
      await page.getByRole('heading', { name: 'Log in' }).waitFor();
      await pages.logIn(page, ADMIN);
      await page.getByRole('heading', { name: 'Users' }).waitFor();
      await page.getByRole('link', { name: username }).waitFor();
      await pages.shot(page, '10-admin-users');

      await page.getByRole('link', { name: 'New user' }).click();
      await page.getByRole('heading', { name: 'New local user' }).waitFor();
      await page.getByLabel('Username').fill(newUsername);
      await page.getByLabel('Full name').fill('Grace Brewster');
      await page.getByLabel('E-mail', { exact: true }).fill(`${newUsername}@example.org`);
      await pages.shot(page, '11-admin-new-user');
      await page.getByRole('button', { name: 'Create user' }).click();
      await page.getByRole('heading', { name: newUsername }).waitFor();

      await page.getByRole('button', { name: 'Generate PIN' }).click();
      const secret = page.getByTestId('secret');
      await secret.waitFor();
      const pin = (await secret.locator('code').textContent()) ?? '';
      expect(pin).toMatch(/^\d{4,16}$/);
      await secret.getByText(`For ${newUsername}`).waitFor();
      await pages.shot(page, '12-admin-pin-once');
      await secret.getByRole('button', { name: 'Done' }).click();
      await secret.waitFor({ state: 'detached' });

      // Assign a card, then see it in the card list.
      await page.getByLabel('Card number').fill(`04CAFE${viewport.width}`);
      await page.getByRole('button', { name: 'Assign' }).click();
      await page.getByText('Card assigned.').waitFor();
      await page.getByText(`04CAFE${viewport.width}`).first().waitFor();
      await openFromMenu(page, 'Enrolled cards');
      await page.getByRole('heading', { name: 'Enrolled cards' }).waitFor();
      await page.getByText(`04CAFE${viewport.width}`).waitFor();
      await pages.shot(page, '13-admin-cards');

      await openFromMenu(page, 'Settings');
      await page.getByRole('heading', { name: 'Settings' }).waitFor();
      await page.getByText(/new PINs have at least \d+ digits/).waitFor();
      await page.getByLabel('For members of these groups').check();
      await page.getByLabel('Validity of temporary PINs (hours)').fill('48');
      await pages.shot(page, '14-admin-settings');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByText('Settings saved.').waitFor();
      // Temporary PINs that are not e-mailed: the page warns (MyQ's misconfiguration notes).
      const notMailed = page.getByRole('alert').filter({ hasText: 'when a PIN expires' });
      await notMailed.waitFor();
      await page.getByLabel('For nobody').check();
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByText('Settings saved.').waitFor();
      await notMailed.waitFor({ state: 'detached' });

      await openFromMenu(page, 'Audit log');
      await page.getByRole('heading', { name: 'Audit log' }).waitFor();
      await page.getByLabel('Action').fill('pin.generate');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.getByRole('cell', { name: `user:${newUsername}` }).waitFor();
      await pages.shot(page, '15-admin-audit');

      // The new user logs in with the PIN alone.
      const userPage = await pages.newPage();
      await userPage.goto(`${server.url}/portal/login`);
      await userPage.getByRole('tab', { name: 'PIN' }).click();
      await userPage.getByRole('textbox', { name: 'PIN', exact: true }).fill(pin);
      await userPage.getByRole('button', { name: 'Log in' }).click();
      await userPage.getByRole('heading', { name: 'Grace Brewster' }).waitFor();
      await openFromMenu(userPage, 'Cards');
      await userPage.getByText(maskCardId(`04CAFE${viewport.width}`)).waitFor();
      await pages.shot(userPage, '16-user-cards-masked');

      expect(pages.problems).toEqual([]);
    });
  });
});
