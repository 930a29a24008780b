import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.ts';
import {
  connectorFor,
  startOAuthProvider,
  type TestOAuthProvider,
} from '../support/oauth-provider.ts';
import {
  ADMIN,
  PORTAL_VIEWPORTS as VIEWPORTS,
  PortalPages,
  USER_PASSWORD,
  createPortalData,
  openFromMenu,
  type PortalData,
} from '../support/portal.ts';
import { freePort, startCli, type LongRunning } from '../support/processes.ts';

/**
 * My profile → Printers and Authorizations, and the admin's print queues, in Chromium against
 * a `cardbind server` process, with a local OAuth 2.0 provider standing in for a cloud service.
 */
describe('portal: printers and authorizations', () => {
  let data: PortalData;
  let server: LongRunning;
  let url: string;
  let provider: TestOAuthProvider;
  let browser: Browser;
  /** Pages at each width; the admin's test runs at desktop width. */
  const pagesAt = Object.fromEntries(
    VIEWPORTS.map((viewport) => [
      viewport.name,
      new PortalPages(() => browser, { viewport, screenshotPrefix: `${viewport.name}-` }),
    ]),
  ) as Record<(typeof VIEWPORTS)[number]['name'], PortalPages>;

  beforeAll(async () => {
    data = await createPortalData('printers', async (admin) => {
      for (const { name } of VIEWPORTS) {
        await admin.addUser({
          username: `ada-${name}`,
          fullName: 'Ada Lovelace',
          email: null,
          password: USER_PASSWORD,
        });
      }
    });
    provider = await startOAuthProvider();
    const providers = path.join(data.dir, 'oauth-providers.json');
    writeFileSync(
      providers,
      JSON.stringify({
        providers: [
          connectorFor(provider, 'cloud-drive', 'Cloud Drive', { scopes: ['files.write'] }),
        ],
      }),
      { mode: 0o600 },
    );
    const port = await freePort();
    server = await startCli(
      [
        'server',
        '--data',
        data.storage.dataDir,
        '--port',
        String(port),
        '--oauth-providers',
        providers,
      ],
      /listening on (http:\/\/\S+)/,
    );
    url = (server as LongRunning & { match: RegExpMatchArray }).match[1]!;
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const pages of Object.values(pagesAt)) await pages.close();
    await browser?.close();
    await server?.stop();
    await provider?.close();
    data?.remove();
  });

  /** Logs in on the login page and waits for the profile the portal opens with. */
  async function logIn(
    pages: PortalPages,
    page: Page,
    user: { username: string; password: string },
  ) {
    await page.goto(`${url}/portal/login`);
    await pages.logIn(page, user);
    await page.getByRole('heading', { name: 'Profile', exact: true }).waitFor();
  }

  it('an admin builds containers and print queues', async () => {
    const pages = pagesAt.desktop;
    const page = await pages.newPage();
    await logIn(pages, page, ADMIN);
    await openFromMenu(page, 'Print queues');
    await page.getByRole('heading', { name: 'Print queues', level: 1 }).waitFor();
    await page.getByText('No containers or print queues yet.').waitFor();

    const container = page.getByRole('region', { name: 'New container' });
    const queue = page.getByRole('region', { name: 'New print queue' });
    const addContainer = async (name: string, inside: string) => {
      await container.getByLabel('Container name').fill(name);
      await container.getByLabel('Inside').selectOption({ label: inside });
      await container.getByRole('button', { name: 'Create container' }).click();
      await page.getByRole('button', { name, exact: true }).waitFor();
    };
    const addQueue = async (name: string, inside: string, byDefault: boolean) => {
      await queue.getByLabel('Queue name').fill(name);
      await queue.getByLabel('Inside').selectOption({ label: inside });
      await queue.getByLabel('Available by default').setChecked(byDefault);
      await queue.getByRole('button', { name: 'Create print queue' }).click();
      await page.locator(`[data-queue="${name}"]`).waitFor();
    };
    await addContainer('Building A', '(top level)');
    await addContainer('Floor 1', 'Building A');
    await addContainer('Floor 2', 'Building A');
    await addQueue('Color A4', 'Building A / Floor 1', false);
    await addQueue('Mono A3', 'Building A / Floor 1', true);
    await addQueue('Plotter', 'Building A / Floor 2', false);
    await addQueue('Lobby', '(top level)', false);

    // Toggle "available by default" on an existing queue, and back.
    const plotter = page.locator('[data-queue="Plotter"]');
    // The box follows the server: it changes once the change is saved.
    await plotter.getByLabel('Available by default').click();
    await expect.poll(() => plotter.getByLabel('Available by default').isChecked()).toBe(true);
    await plotter.getByLabel('Available by default').click();
    await expect.poll(() => plotter.getByLabel('Available by default').isChecked()).toBe(false);

    // Edit a queue after creating it: rename it, move it into another container, and show it
    // to one group only (the users below must not see it).
    await addQueue('Board room', '(top level)', false);
    await page.locator('[data-queue="Board room"]').getByRole('button', { name: 'Edit' }).click();
    const editor = page.getByRole('form', { name: 'Edit “Board room”' });
    expect(await editor.getByLabel('Queue name').inputValue()).toBe('Board room');
    // The "Saved." of creating it is not this editor's news.
    expect(await page.getByText('Saved.').count()).toBe(0);
    expect(await editor.getByLabel('All users', { exact: true }).isChecked()).toBe(true);
    await editor.getByLabel('Queue name').fill('Board room A3');
    await editor.getByLabel('Inside').selectOption({ label: 'Building A / Floor 2' });
    await editor.getByLabel('All users', { exact: true }).uncheck();
    await editor.getByText('No group chosen: nobody will see this queue.').waitFor();
    await editor.getByLabel('ADMINISTRATORS').check();
    await pages.shot(page, 'printers-edit-queue');
    await editor.getByRole('button', { name: 'Save' }).click();
    const moved = page.locator('[data-container="Floor 2"] [data-queue="Board room A3"]');
    await moved.getByText('Visible to: ADMINISTRATORS').waitFor();
    expect(await editor.count()).toBe(0);
    expect(await page.locator('[data-queue="Board room"]').count()).toBe(0);
    // Reopened, the editor shows what was saved; Cancel closes it.
    await moved.getByRole('button', { name: 'Edit' }).click();
    const again = page.getByRole('form', { name: 'Edit “Board room A3”' });
    expect(await again.getByLabel('All users', { exact: true }).isChecked()).toBe(false);
    expect(await again.getByLabel('ADMINISTRATORS').isChecked()).toBe(true);
    expect(await again.getByLabel('Inside').inputValue()).toBe(
      await again.getByRole('option', { name: 'Building A / Floor 2' }).getAttribute('value'),
    );
    await again.getByRole('button', { name: 'Cancel' }).click();
    expect(await again.count()).toBe(0);

    // Deleting a queue says what it does; Cancel keeps it, the named button deletes it.
    await addQueue('Temporary', '(top level)', false);
    const temporary = page.locator('[data-queue="Temporary"]');
    await temporary.getByRole('button', { name: 'Delete queue' }).click();
    const question = temporary.getByRole('group', {
      name: /^Delete the print queue “Temporary”\?/,
    });
    await question.getByText('disappears from the favourites of everyone who chose it').waitFor();
    await question.getByRole('button', { name: 'Cancel' }).click();
    await temporary.getByRole('button', { name: 'Delete queue' }).click();
    await question.getByRole('button', { name: 'Delete queue' }).click();
    await temporary.waitFor({ state: 'detached' });

    // An empty container goes after its own question; one that holds something is refused
    // at once, saying why, without a question that could only fail.
    await addContainer('Annex', '(top level)');
    const annex = page.locator('[data-container="Annex"]');
    await annex.getByRole('button', { name: 'Delete container' }).click();
    await annex
      .getByRole('group', { name: 'Delete the empty container “Annex”? This cannot be undone.' })
      .getByRole('button', { name: 'Delete container' })
      .click();
    await annex.waitFor({ state: 'detached' });
    const building = page.locator('[data-container="Building A"]').first();
    await building.getByRole('button', { name: 'Delete container' }).first().click();
    await page.getByText('Only empty containers can be deleted.').waitFor();
    expect(await page.getByRole('button', { name: 'Building A', exact: true }).count()).toBe(1);
    await pages.shot(page, 'printers-admin');
  });

  describe.each(VIEWPORTS)('at $name width', (viewport) => {
    const user = { username: `ada-${viewport.name}`, password: USER_PASSWORD };
    const pages = pagesAt[viewport.name];

    it('a user picks favourite queues in the tree, saves, and sees them after a reload', async () => {
      const page = await pages.newPage();
      await logIn(pages, page, user);
      await openFromMenu(page, 'Printers');
      await page.getByRole('heading', { name: 'My printers' }).waitFor();
      const save = page.getByRole('button', { name: 'Save changes' });
      expect(await save.isDisabled()).toBe(true);

      // First level open, deeper levels closed.
      const building = page.getByRole('button', { name: 'Building A' });
      expect(await building.getAttribute('aria-expanded')).toBe('true');
      const floor1 = page.getByRole('button', { name: 'Floor 1' });
      expect(await floor1.getAttribute('aria-expanded')).toBe('false');
      expect(await page.getByLabel('Color A4').isVisible()).toBe(false);

      await page.getByRole('button', { name: 'Expand all' }).click();
      expect(await floor1.getAttribute('aria-expanded')).toBe('true');
      const mono = page.getByLabel('Mono A3');
      expect(await mono.isChecked()).toBe(true);
      expect(await mono.isDisabled()).toBe(true);
      await page.getByRole('button', { name: 'Collapse all' }).click();
      expect(await building.getAttribute('aria-expanded')).toBe('false');
      expect(await page.getByLabel('Mono A3').isVisible()).toBe(false);

      // Keyboard: the disclosure buttons work with Enter.
      await building.focus();
      await page.keyboard.press('Enter');
      await floor1.click();
      await page.getByLabel('Color A4').check();
      await page.getByLabel('Lobby').check();
      expect(await save.isDisabled()).toBe(false);
      await page.getByLabel('Lobby').uncheck();
      await page.getByText('You have unsaved changes.').waitFor();
      await save.click();
      await page.getByText('Your favourite print queues have been saved.').waitFor();
      expect(await save.isDisabled()).toBe(true);
      await pages.shot(page, 'printers-saved');

      await page.reload();
      await page.getByRole('heading', { name: 'My printers' }).waitFor();
      await page.getByRole('button', { name: 'Expand all' }).click();
      expect(await page.getByLabel('Color A4').isChecked()).toBe(true);
      expect(await page.getByLabel('Plotter').isChecked()).toBe(false);
      expect(await page.getByLabel('Lobby').isChecked()).toBe(false);
      expect(await page.getByLabel('Mono A3').isDisabled()).toBe(true);
      // Shown to ADMINISTRATORS only, and moved there after it was created.
      expect(await page.getByLabel('Board room A3').count()).toBe(0);
      expect(await page.getByText('Board room').count()).toBe(0);
    });

    it('a user authorizes a connector type at the local provider and sees "Authorized"', async () => {
      const page = await pages.newPage();
      await logIn(pages, page, user);
      await openFromMenu(page, 'Authorizations');
      await page.getByRole('heading', { name: 'Authorizations' }).waitFor();
      const row = page.locator('[data-connector="cloud-drive"]');
      await row.getByText('Not authorized').waitFor();
      await pages.shot(page, 'authorizations-before');

      const tokensBefore = provider.issued.length;
      await row.getByRole('button', { name: 'Authorize' }).click();
      await page.getByText('Cloud Drive is now authorized.').waitFor();
      expect(new URL(page.url()).pathname).toBe('/portal/profile/authorizations');
      expect(new URL(page.url()).search).toBe('');
      await row.getByText('Authorized', { exact: true }).waitFor();
      expect(provider.issued.length).toBe(tokensBefore + 1);
      // The token stays on the server.
      expect(await page.content()).not.toContain(provider.issued.at(-1)!);
      await pages.shot(page, 'authorizations-after');

      // Declined at the provider: said plainly, nothing changes.
      provider.mode = 'deny';
      try {
        await row.getByRole('button', { name: 'Authorize again' }).click();
        await page.getByText('The authorization was declined at Cloud Drive.').waitFor();
      } finally {
        provider.mode = 'approve';
      }
      await row.getByText('Authorized', { exact: true }).waitFor();

      await row.getByRole('button', { name: 'Revoke' }).click();
      await page.getByRole('button', { name: 'Yes, continue' }).click();
      await page.getByText('The authorization has been revoked.').waitFor();
      await row.getByText('Not authorized').waitFor();
      // Revoked at the provider too (RFC 7009).
      expect(provider.isLive(provider.issued.at(-1)!)).toBe(false);

      // A made-up result in the link (an inherited name) gets the general message, no crash.
      await page.goto(`${url}/portal/profile/authorizations?result=constructor`);
      await page.getByText('reported an error. Try again').waitFor();
      await row.getByText('Not authorized').waitFor();
    });
  });

  it('had no script errors or CSP violations', () => {
    expect(Object.values(pagesAt).flatMap((pages) => pages.problems)).toEqual([]);
  });
});
