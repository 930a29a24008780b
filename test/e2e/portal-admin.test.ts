import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { silentLogger } from '@cardbind/shared';
import { startServer, withAdmin, type RunningServer } from '@cardbind/server';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.ts';

const SCREENSHOTS = path.resolve('test-results/portal');
/** Cheap argon2 parameters: the portal is under test here, not password hashing. */
const HASHING = { memoryCost: 4096, timeCost: 1, parallelism: 1 };
const ADMIN = { username: 'root', password: 'root password 123', fullName: 'Grace Hopper' };
const CARD_DESK = { username: 'desk', password: 'card desk password', fullName: 'Card Desk' };
const USER_PASSWORD = 'correct horse battery staple';

const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;

/**
 * The portal's admin views in Chromium against a real server: terminals (add with the token
 * shown once, rename, revoke), CSV export and import with a bad line, group roles, the audit
 * log, the profile language, and what a card manager may not open, at desktop and phone widths.
 */
describe('portal administration', () => {
  let dir: string;
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    dir = mkdtempSync(path.join(tmpdir(), 'cardbind-portal-admin-'));
    const storage = { dataDir: path.join(dir, 'data') };
    await withAdmin(
      storage,
      async (admin, context) => {
        const root = await admin.addUser({ ...ADMIN, email: 'root@example.org' });
        await context.store.setUserGroups(root.id, ['ADMINISTRATORS']);
        const desk = await admin.addUser({ ...CARD_DESK, email: null });
        await context.store.grantRole('Card desk', 'card-manager');
        await context.store.setUserGroups(desk.id, ['Card desk']);
        for (const { name } of VIEWPORTS) {
          for (const person of ['ada', 'bob']) {
            await admin.addUser({
              username: `${person}-${name}`,
              fullName: person === 'ada' ? 'Ada Lovelace' : 'Bob Builder',
              email: null,
              password: USER_PASSWORD,
            });
          }
          await context.store.grantRole(`Helpdesk ${name}`, 'card-manager');
        }
      },
      { passwordHashing: HASHING },
    );
    server = await startServer({ storage, logger: silentLogger, passwordHashing: HASHING });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** The terminal API as a kiosk calls it. */
  const terminalPolicy = (token: string) =>
    fetch(`${server.url}/api/v1/terminal/policy`, {
      headers: { authorization: `Bearer ${token}` },
    });

  describe.each(VIEWPORTS)('at $name width ($width×$height)', (viewport) => {
    const contexts: BrowserContext[] = [];
    const problems: string[] = [];
    const v = viewport.name;

    afterAll(async () => {
      for (const context of contexts) await context.close();
    });

    async function newPage(): Promise<Page> {
      const context = await browser.newContext({
        viewport: { width: viewport.width, height: viewport.height },
        locale: 'en-US',
        acceptDownloads: true,
      });
      contexts.push(context);
      const page = await context.newPage();
      page.on('console', (message) => {
        // Refusals the page shows on purpose (401/403/404) are logged by Chromium as errors.
        if (message.type() === 'error' && !/status of 40[1349]/.test(message.text())) {
          problems.push(message.text());
        }
      });
      page.on('pageerror', (error) => problems.push(error.message));
      return page;
    }

    const shot = (page: Page, name: string) =>
      page.screenshot({ path: path.join(SCREENSHOTS, `admin-${v}-${name}.png`), fullPage: true });

    /** Opens a page from the navigation (behind the menu button on phones). */
    async function go(page: Page, link: string) {
      const toggle = page.getByRole('button', { name: 'Menu' });
      if (await toggle.isVisible()) await toggle.click();
      await page
        .getByRole('navigation', { name: 'Main navigation' })
        .getByRole('link', { name: link, exact: true })
        .click();
    }

    async function logIn(page: Page, user: { username: string; password: string }) {
      const field = page.getByLabel('Username');
      // A page that never shows the form (a script error, an asset that failed to load, another
      // language) must say so: a bare locator timeout once left a flaky run unexplained.
      await field.waitFor().catch(async (error: unknown) => {
        await shot(page, 'login-form-missing');
        const text = (await page.locator('body').innerText()).replace(/\s+/g, ' ');
        throw new Error(
          `No login form at ${page.url()} (${(error as Error).message.split('\n')[0]}). ` +
            `Page problems: ${JSON.stringify(problems)}. Page text: ${text.slice(0, 300)}`,
        );
      });
      await field.fill(user.username);
      await page.getByRole('textbox', { name: 'Password', exact: true }).fill(user.password);
      await page.getByRole('button', { name: 'Log in' }).click();
    }

    it('an admin adds a terminal (token shown once), renames and revokes it', async () => {
      const page = await newPage();
      await page.goto(`${server.url}/portal/admin/terminals`);
      await page.getByRole('heading', { name: 'Log in' }).waitFor();
      await logIn(page, ADMIN);
      await page.getByRole('heading', { name: 'Terminals' }).waitFor();

      const name = `Kiosk ${v}`;
      await page.getByLabel('Name', { exact: true }).fill(name);
      await page.getByRole('button', { name: 'Add terminal' }).click();
      const secret = page.getByTestId('secret');
      await secret.waitFor();
      const token = (await secret.locator('code').textContent()) ?? '';
      expect(token).toMatch(/^cbt_/);
      await secret.getByText(`Token for terminal “${name}”`).waitFor();
      await secret.getByRole('button', { name: 'Copy' }).waitFor();
      await shot(page, '01-terminal-token-once');
      await secret.getByRole('button', { name: 'Done' }).click();
      await secret.waitFor({ state: 'detached' });
      expect(await page.content()).not.toContain(token);

      // The kiosk uses the token; the list shows it was seen.
      expect((await terminalPolicy(token)).status).toBe(200);
      await page.reload();
      const row = page.locator('tbody tr').filter({ hasText: name });
      await row.getByText('Active').waitFor();
      expect(await row.getByText('Never').count()).toBe(0);
      expect(await page.content()).not.toContain(token);

      await row.getByRole('button', { name: `Rename: ${name}` }).click();
      const renamed = `Entrance ${v}`;
      await page.getByLabel(`New name for “${name}”`).fill(renamed);
      await shot(page, '02-terminal-rename');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByText('Terminal renamed. Its token still works.').waitFor();
      const renamedRow = page.locator('tbody tr').filter({ hasText: renamed });
      await renamedRow.waitFor();
      expect((await terminalPolicy(token)).status).toBe(200);

      await renamedRow.getByRole('button', { name: 'Revoke' }).click();
      await renamedRow
        .getByText('Revoke this terminal? Its token stops working at once.')
        .waitFor();
      await shot(page, '03-terminal-revoke-confirm');
      await renamedRow.getByRole('button', { name: 'Yes, continue' }).click();
      await page.getByText('Terminal revoked. Its token no longer works.').waitFor();
      await renamedRow.getByText(/^Revoked /).waitFor();
      expect(await renamedRow.getByRole('button', { name: 'Revoke' }).count()).toBe(0);
      await shot(page, '04-terminal-revoked');

      const refused = await terminalPolicy(token);
      expect(refused.status).toBe(401);
      const body = (await refused.json()) as { error: { message: string } };
      expect(body.error.message).toMatch(`This terminal ("${renamed}") was revoked`);

      // Every step is in the audit log.
      await go(page, 'Audit log');
      await page.getByLabel('Subject').fill(`terminal:${renamed}`);
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.getByRole('cell', { name: 'terminal.revoke' }).waitFor();
      await page.getByRole('cell', { name: 'terminal.rename' }).waitFor();
      expect(problems).toEqual([]);
    });

    it('an admin exports cards and imports a CSV with a bad line after a dry run', async () => {
      const page = await newPage();
      await page.goto(`${server.url}/portal/admin/cards`);
      await logIn(page, ADMIN);
      await page.getByRole('heading', { name: 'Enrolled cards' }).waitFor();
      await page.getByRole('link', { name: 'Import CSV' }).click();
      await page.getByRole('heading', { name: 'Import cards' }).waitFor();

      const csv = [
        'username,cardId,expiresAt',
        `ada-${v},IMP-${v}-1,`,
        `nobody-${v},IMP-${v}-2,`,
        `bob-${v},IMP-${v}-3,2030-01-31T12:00:00Z`,
        `bob-${v},bad card id,`,
      ].join('\n');
      await page
        .getByLabel('CSV file')
        .setInputFiles({ name: 'cards.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await page.getByRole('button', { name: 'Check file (dry run)' }).click();
      const plan = page.getByTestId('import-plan');
      await plan
        .getByText('4 lines read: 2 to add, 0 to change, 0 unchanged, 2 with errors.')
        .waitFor();
      const errorRows = plan.locator('.import-errors tbody tr');
      expect(await errorRows.allInnerTexts()).toEqual([
        expect.stringMatching(new RegExp(`^3\\s+there is no user "nobody-${v}"\\.$`)),
        expect.stringMatching(/^5\s+card id "bad card id" is not valid/),
      ]);
      await plan.getByRole('cell', { name: `IMP-${v}-3` }).waitFor();
      await shot(page, '05-import-dry-run');

      // Nothing was written by the dry run.
      await page
        .getByRole('button', { name: 'Import 2 cards, leave out 2 lines with errors' })
        .click();
      await page.getByText('Imported 2 cards.').waitFor();
      await shot(page, '06-import-applied');
      await page.getByRole('link', { name: 'Enrolled cards' }).last().click();
      await page.getByRole('heading', { name: 'Enrolled cards' }).waitFor();
      await page.getByText(`IMP-${v}-1`).waitFor();
      await page.getByText(`IMP-${v}-3`).waitFor();
      expect(await page.getByText(`IMP-${v}-2`).count()).toBe(0);

      // The export is a download the session cookie authorizes.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Export CSV' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe('cardbind-cards.csv');
      const exported = readFileSync((await download.path()) ?? '', 'utf8');
      expect(exported.split(/\r?\n/)[0]).toBe(
        'cardId,username,fullName,createdAt,terminal,expiresAt,source',
      );
      expect(exported).toContain(`IMP-${v}-3,bob-${v},Bob Builder,`);

      // A new expiry is a change; a card of another user is an error until moving is allowed.
      await page.getByRole('link', { name: 'Import CSV' }).click();
      const changes = [
        'username,cardId,expiresAt',
        `bob-${v},IMP-${v}-3,2031-06-30T12:00:00Z`,
        `bob-${v},IMP-${v}-1,`,
      ].join('\n');
      await page
        .getByLabel('CSV file')
        .setInputFiles({ name: 'changes.csv', mimeType: 'text/csv', buffer: Buffer.from(changes) });
      await page.getByRole('button', { name: 'Check file (dry run)' }).click();
      await plan
        .getByText('2 lines read: 0 to add, 1 to change, 0 unchanged, 1 with errors.')
        .waitFor();
      expect(await errorRows.allInnerTexts()).toEqual([
        expect.stringMatching(
          new RegExp(`^3\\s+card IMP-${v}-1 belongs to ada-${v}, not bob-${v}\\.`),
        ),
      ]);
      await page
        .getByLabel('Move cards that belong to another user to the user in the file')
        .check();
      expect(await plan.count()).toBe(0);
      await page.getByRole('button', { name: 'Check file (dry run)' }).click();
      await plan
        .getByText('2 lines read: 0 to add, 2 to change, 0 unchanged, 0 with errors.')
        .waitFor();
      const changeRows = plan.locator('.import-changes tbody tr');
      await changeRows
        .filter({ hasText: `IMP-${v}-1` })
        .getByText(`was ada-${v}`)
        .waitFor();
      await changeRows
        .filter({ hasText: `IMP-${v}-3` })
        .getByText(/^was /)
        .waitFor();
      await shot(page, '06b-import-changes');
      await page.getByRole('button', { name: 'Import 2 cards' }).click();
      await page.getByText('Imported 0 cards. Changed 2 cards.').waitFor();
      await go(page, 'Audit log');
      await page.getByLabel('Subject').fill(`user:bob-${v}`);
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.getByRole('cell', { name: 'card.reassign' }).waitFor();
      expect(problems).toEqual([]);
    });

    it('an admin changes the roles of a group and the language of the portal', async () => {
      const page = await newPage();
      await page.goto(`${server.url}/portal/admin/groups`);
      await logIn(page, ADMIN);
      await page.getByRole('heading', { name: 'Groups and roles' }).waitFor();
      const group = `Helpdesk ${v}`;
      const row = page.locator('tbody tr').filter({ hasText: group });
      await row.getByText('card-manager').waitFor();
      await page
        .locator('tbody tr')
        .filter({ hasText: 'ADMINISTRATORS' })
        .getByText('built-in')
        .waitFor();
      await row.getByRole('button', { name: `Change roles: ${group}` }).click();
      await page.getByRole('group', { name: `Roles of ${group}` }).waitFor();
      await page.getByLabel('auditor').check();
      await shot(page, '07-group-roles');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByText('Roles saved.').waitFor();
      await row.getByText(/^(auditor, card-manager|card-manager, auditor)$/).waitFor();
      await shot(page, '08-groups');

      // The language chosen in the profile is kept on the server and applies at once.
      await go(page, 'Profile');
      await page.getByRole('heading', { name: 'Profile', exact: true }).waitFor();
      await page.getByRole('combobox', { name: 'Language' }).last().selectOption('de');
      await page.getByRole('button', { name: 'Save language' }).click();
      await page.getByText('Sprache gespeichert.').waitFor();
      await page.getByRole('heading', { name: 'Profil', exact: true }).waitFor();
      await shot(page, '09-profile-language-de');
      // A new browser (nothing stored) follows the account's language.
      const fresh = await newPage();
      await fresh.goto(`${server.url}/portal/login`);
      await logIn(fresh, ADMIN);
      await fresh.getByRole('heading', { name: 'Profil', exact: true }).waitFor();
      await fresh.getByRole('combobox', { name: 'Sprache' }).last().selectOption('en');
      await fresh.getByRole('button', { name: 'Sprache speichern' }).click();
      await fresh.getByText('Language saved.').waitFor();
      expect(problems).toEqual([]);
    });

    it('a card manager may import cards but not open terminals or groups', async () => {
      const page = await newPage();
      await page.goto(`${server.url}/portal/login`);
      await logIn(page, CARD_DESK);
      await page.getByRole('heading', { name: 'Profile', exact: true }).waitFor();
      await go(page, 'Enrolled cards');
      await page.getByRole('link', { name: 'Import CSV' }).waitFor();
      const nav = page.getByRole('navigation', { name: 'Main navigation' });
      expect(await nav.getByRole('link', { name: 'Terminals' }).count()).toBe(0);
      expect(await nav.getByRole('link', { name: 'Groups and roles' }).count()).toBe(0);
      await page.goto(`${server.url}/portal/admin/terminals`);
      await page.getByRole('heading', { name: 'Permission denied' }).waitFor();
      await shot(page, '10-terminals-denied');
      // The API refuses too, naming the permission.
      const status = await page.evaluate(async () => (await fetch('/api/v1/terminals')).status);
      expect(status).toBe(403);
      expect(problems).toEqual([]);
    });
  });
});
