import { readFileSync } from 'node:fs';
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

const CARD_DESK = { username: 'desk', password: 'card desk password', fullName: 'Card Desk' };

/**
 * The portal's admin views in Chromium against a real server: terminals (add with the token
 * shown once, rename, revoke), CSV export and import with a bad line, group roles, the audit
 * log, the profile language, and what a card manager may not open, at desktop and phone widths.
 */
describe('portal administration', () => {
  let data: PortalData;
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    data = await createPortalData('portal-admin', async (admin, context) => {
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
    });
    server = await startPortalServer(data.storage);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    data?.remove();
  });

  /** The terminal API as a kiosk calls it. */
  const terminalPolicy = (token: string) =>
    fetch(`${server.url}/api/v1/terminal/policy`, {
      headers: { authorization: `Bearer ${token}` },
    });

  describe.each(VIEWPORTS)('at $name width ($width×$height)', (viewport) => {
    const v = viewport.name;
    const pages = new PortalPages(() => browser, {
      viewport,
      screenshotPrefix: `admin-${v}-`,
    });

    afterAll(() => pages.close());

    it('an admin adds a terminal (token shown once), renames and revokes it', async () => {
      const page = await pages.newPage();
      await page.goto(`${server.url}/portal/admin/terminals`);
      await page.getByRole('heading', { name: 'Log in' }).waitFor();
      await pages.logIn(page, ADMIN);
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
      await pages.shot(page, '01-terminal-token-once');
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
      await pages.shot(page, '02-terminal-rename');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByText('Terminal renamed. Its token still works.').waitFor();
      const renamedRow = page.locator('tbody tr').filter({ hasText: renamed });
      await renamedRow.waitFor();
      expect((await terminalPolicy(token)).status).toBe(200);

      await renamedRow.getByRole('button', { name: 'Revoke' }).click();
      await renamedRow
        .getByText('Revoke this terminal? Its token stops working at once.')
        .waitFor();
      await pages.shot(page, '03-terminal-revoke-confirm');
      await renamedRow.getByRole('button', { name: 'Yes, continue' }).click();
      await page.getByText('Terminal revoked. Its token no longer works.').waitFor();
      await renamedRow.getByText(/^Revoked /).waitFor();
      expect(await renamedRow.getByRole('button', { name: 'Revoke' }).count()).toBe(0);
      await pages.shot(page, '04-terminal-revoked');

      const refused = await terminalPolicy(token);
      expect(refused.status).toBe(401);
      const body = (await refused.json()) as { error: { message: string } };
      expect(body.error.message).toMatch(`This terminal ("${renamed}") was revoked`);

      // Every step is in the audit log.
      await openFromMenu(page, 'Audit log');
      await page.getByLabel('Subject').fill(`terminal:${renamed}`);
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.getByRole('cell', { name: 'terminal.revoke' }).waitFor();
      await page.getByRole('cell', { name: 'terminal.rename' }).waitFor();
      expect(pages.problems).toEqual([]);
    });

    it('an admin exports cards and imports a CSV with a bad line after a dry run', async () => {
      const page = await pages.newPage();
      await page.goto(`${server.url}/portal/admin/cards`);
      await pages.logIn(page, ADMIN);
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
        expect.stringMatching(new RegExp(`^3\\s+There is no user “nobody-${v}”\\.$`)),
        expect.stringMatching(/^5\s+Card number “bad card id” is not valid/),
      ]);
      await plan.getByRole('cell', { name: `IMP-${v}-3` }).waitFor();
      await pages.shot(page, '05-import-dry-run');

      // Nothing was written by the dry run.
      await page
        .getByRole('button', { name: 'Import 2 cards, leave out 2 lines with errors' })
        .click();
      await page.getByText('Imported 2 cards.').waitFor();
      await pages.shot(page, '06-import-applied');
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
          new RegExp(`^3\\s+Card IMP-${v}-1 belongs to ada-${v}, not bob-${v}\\.`),
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
      await pages.shot(page, '06b-import-changes');
      await page.getByRole('button', { name: 'Import 2 cards' }).click();
      await page.getByText('Imported 0 cards. Changed 2 cards.').waitFor();
      await openFromMenu(page, 'Audit log');
      await page.getByLabel('Subject').fill(`user:bob-${v}`);
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.getByRole('cell', { name: 'card.reassign' }).waitFor();
      expect(pages.problems).toEqual([]);
    });

    it('an admin changes the roles of a group and the language of the portal', async () => {
      const page = await pages.newPage();
      await page.goto(`${server.url}/portal/admin/groups`);
      await pages.logIn(page, ADMIN);
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
      await pages.shot(page, '07-group-roles');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByText('Roles saved.').waitFor();
      await row.getByText(/^(auditor, card-manager|card-manager, auditor)$/).waitFor();
      await pages.shot(page, '08-groups');

      // The language chosen in the profile is kept on the server and applies at once.
      await openFromMenu(page, 'Profile');
      await page.getByRole('heading', { name: 'Profile', exact: true }).waitFor();
      await page.getByRole('combobox', { name: 'Language' }).last().selectOption('de');
      await page.getByRole('button', { name: 'Save language' }).click();
      await page.getByText('Sprache gespeichert.').waitFor();
      await page.getByRole('heading', { name: 'Profil', exact: true }).waitFor();
      await pages.shot(page, '09-profile-language-de');
      // A new browser (nothing stored) follows the account's language.
      const fresh = await pages.newPage();
      await fresh.goto(`${server.url}/portal/login`);
      await pages.logIn(fresh, ADMIN);
      await fresh.getByRole('heading', { name: 'Profil', exact: true }).waitFor();
      await fresh.getByRole('combobox', { name: 'Sprache' }).last().selectOption('en');
      await fresh.getByRole('button', { name: 'Sprache speichern' }).click();
      await fresh.getByText('Language saved.').waitFor();
      expect(pages.problems).toEqual([]);
    });

    it('a card manager may import cards but not open terminals or groups', async () => {
      const page = await pages.newPage();
      await page.goto(`${server.url}/portal/login`);
      await pages.logIn(page, CARD_DESK);
      await page.getByRole('heading', { name: 'Profile', exact: true }).waitFor();
      await openFromMenu(page, 'Enrolled cards');
      await page.getByRole('link', { name: 'Import CSV' }).waitFor();
      const nav = page.getByRole('navigation', { name: 'Main navigation' });
      expect(await nav.getByRole('link', { name: 'Terminals' }).count()).toBe(0);
      expect(await nav.getByRole('link', { name: 'Groups and roles' }).count()).toBe(0);
      await page.goto(`${server.url}/portal/admin/terminals`);
      await page.getByRole('heading', { name: 'Permission denied' }).waitFor();
      await pages.shot(page, '10-terminals-denied');
      // The API refuses too, naming the permission.
      const status = await page.evaluate(async () => (await fetch('/api/v1/terminals')).status);
      expect(status).toBe(403);
      expect(pages.problems).toEqual([]);
    });
  });
});
