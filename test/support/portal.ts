import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { silentLogger } from '@cardbind/shared';
import {
  startServer,
  withAdmin,
  type AdminOperations,
  type RunningServer,
  type ServerContext,
  type StorageLocation,
} from '@cardbind/server';
import type { Browser, BrowserContext, Page } from 'playwright-core';

/** Where the portal tests leave their screenshots (CI keeps `test-results/`). */
export const PORTAL_SCREENSHOTS = path.resolve('test-results/portal');
/** Cheap argon2 parameters: the portal is under test here, not password hashing. */
export const TEST_PASSWORD_HASHING = { memoryCost: 4096, timeCost: 1, parallelism: 1 };
/** The administrator every portal data directory starts with (group ADMINISTRATORS). */
export const ADMIN = { username: 'root', password: 'root password 123', fullName: 'Grace Hopper' };
/** The password of the ordinary users the tests add. */
export const USER_PASSWORD = 'correct horse battery staple';
/** The widths the portal is checked at. */
export const PORTAL_VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;

export interface PortalData {
  /** The temporary directory; the data directory is inside it. */
  dir: string;
  storage: { dataDir: string };
  /** Deletes the temporary directory. */
  remove(): void;
}

/**
 * A fresh SQLite data directory with {@link ADMIN} as administrator, and whatever `seed` adds
 * (users, groups, roles) through the admin operations the CLI uses.
 */
export async function createPortalData(
  name: string,
  seed: (admin: AdminOperations, context: ServerContext) => Promise<void> = async () => {},
): Promise<PortalData> {
  mkdirSync(PORTAL_SCREENSHOTS, { recursive: true });
  const dir = mkdtempSync(path.join(tmpdir(), `cardbind-${name}-`));
  const storage = { dataDir: path.join(dir, 'data') };
  try {
    await withAdmin(
      storage,
      async (admin, context) => {
        const root = await admin.addUser({ ...ADMIN, email: 'root@example.org' });
        await context.store.setUserGroups(root.id, ['ADMINISTRATORS']);
        await seed(admin, context);
      },
      { passwordHashing: TEST_PASSWORD_HASHING },
    );
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return { dir, storage, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The server in this process, quiet, with the tests' cheap password hashing. */
export function startPortalServer(storage: StorageLocation): Promise<RunningServer> {
  return startServer({ storage, logger: silentLogger, passwordHashing: TEST_PASSWORD_HASHING });
}

/**
 * Refusals the portal shows on purpose (401, 403, 404, 409): Chromium logs the failed request
 * as a console error, which is not a problem of the page.
 */
const SHOWN_REFUSAL = /status of 40[1349]/;

export interface PortalPagesOptions {
  viewport: { width: number; height: number };
  /** Put before every screenshot name, e.g. `admin-phone-`. */
  screenshotPrefix: string;
}

/**
 * Browser pages at one viewport, each in its own context (own cookies and storage), that
 * collect script errors and CSP violations in `problems` for the tests to check.
 */
export class PortalPages {
  /** Console errors and uncaught exceptions of every page opened here. */
  readonly problems: string[] = [];
  readonly #contexts: BrowserContext[] = [];

  /** `browser` is asked for when a page opens: test files launch it in `beforeAll`. */
  constructor(
    private readonly browser: () => Browser,
    private readonly options: PortalPagesOptions,
  ) {}

  async newPage(): Promise<Page> {
    const { width, height } = this.options.viewport;
    // Downloads are accepted (Playwright's default): the CSV export is one.
    const context = await this.browser().newContext({
      viewport: { width, height },
      locale: 'en-US',
    });
    this.#contexts.push(context);
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error' && !SHOWN_REFUSAL.test(message.text())) {
        this.problems.push(message.text());
      }
    });
    page.on('pageerror', (error) => this.problems.push(error.message));
    return page;
  }

  /** A full-page screenshot in {@link PORTAL_SCREENSHOTS}. */
  async shot(page: Page, name: string): Promise<void> {
    await page.screenshot({
      path: path.join(PORTAL_SCREENSHOTS, `${this.options.screenshotPrefix}${name}.png`),
      fullPage: true,
    });
  }

  /** Fills the password tab of the login form and submits it. */
  async logIn(page: Page, user: { username: string; password: string }): Promise<void> {
    const field = page.getByLabel('Username');
    // A page that never shows the form (a script error, an asset that failed to load, another
    // language) must say so: a bare locator timeout once left a flaky run unexplained.
    await field.waitFor().catch(async (error: unknown) => {
      await this.shot(page, 'login-form-missing');
      const text = (await page.locator('body').innerText()).replace(/\s+/g, ' ');
      throw new Error(
        `No login form at ${page.url()} (${(error as Error).message.split('\n')[0]}). ` +
          `Page problems: ${JSON.stringify(this.problems)}. Page text: ${text.slice(0, 300)}`,
      );
    });
    await field.fill(user.username);
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(user.password);
    await page.getByRole('button', { name: 'Log in' }).click();
  }

  /** Closes every context opened here. */
  async close(): Promise<void> {
    for (const context of this.#contexts.splice(0)) await context.close();
  }
}

/** Opens a page from the main navigation (behind the menu button on phones). */
export async function openFromMenu(page: Page, link: string): Promise<void> {
  const toggle = page.getByRole('button', { name: 'Menu' });
  if (await toggle.isVisible()) await toggle.click();
  await page
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: link, exact: true })
    .click();
}
