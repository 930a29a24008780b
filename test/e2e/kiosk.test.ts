import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simulateSwipe } from '@cardbind/daemon';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PAGE_CONFIG } from '../../apps/kiosk/src/kiosk-api.ts';
import { loadPanelProfiles, type PanelProfile } from '../../apps/kiosk/src/panels.ts';
import { CATALOGS, format } from '../../apps/kiosk/src/ui/i18n/index.ts';
import type { Catalog } from '../../apps/kiosk/src/ui/i18n/catalog.ts';
import { launchChromium } from '../support/browser.ts';
import {
  freePort,
  runCli,
  startCli,
  startKiosk as startKioskCli,
  type LongRunning,
} from '../support/processes.ts';

const SCREENSHOTS = path.resolve('test-results/kiosk');
const READER_TOKEN = 'cbr_e2e-reader-token-0123456789';
const PASSWORDS = {
  ada: 'correct horse battery staple',
  grace: 'another fine password',
  hedy: 'frequency hopping 1941',
};

/** A catalog text as a pattern: its placeholders stand for the given patterns. */
function textPattern(template: string, placeholders: Record<string, string>): RegExp {
  const escaped = template.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(
    escaped.replace(/\\\{(\w+)\\\}/g, (whole, name: string) => placeholders[name] ?? whole),
  );
}

/**
 * The kiosk as installed: a real `cardbind server`, a reader daemon with its token and the
 * simulated reader, `cardbind kiosk`, and the real page in Chromium at every panel profile's
 * viewport. Every flow runs once, spread over the panels and alternating English and German; a
 * tour of the main screens then runs on every panel in both languages. Each screen must fit:
 * no scrolling, every control inside the viewport, no text spilling out of a control.
 */
describe('kiosk at the panel', { timeout: 180_000 }, () => {
  const running: LongRunning[] = [];
  let dir: string;
  let dataDir: string;
  let serverPort: number;
  let serverUrl: string;
  let adminToken: string;
  let readerPort: number;
  let terminalToken: string;
  let kioskUrl: string;
  let browser: Browser;
  let server: LongRunning;
  const panels: PanelProfile[] = loadPanelProfiles();
  const pages = new Map<string, Page>();
  const problems: string[] = [];

  const startServer = async () =>
    startCli(
      [
        'server',
        '--port',
        String(serverPort),
        '--data',
        dataDir,
        '--password-hashing',
        'm=1024,t=1,p=1',
      ],
      /listening on (\S+)/,
    );

  /** `cardbind kiosk` for this server and reader, on a port of its own; answers the page's URL. */
  async function startKiosk(...extraArgs: string[]) {
    const kiosk = await startKioskCli({
      serverUrl,
      terminalToken,
      readerUrl: `http://127.0.0.1:${readerPort}`,
      readerToken: READER_TOKEN,
      extraArgs,
    });
    running.push(kiosk);
    return kiosk.url;
  }

  async function api(method: string, apiPath: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${serverUrl}/api/v1${apiPath}`, {
      method,
      headers: {
        authorization: `Bearer ${adminToken}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json: unknown = await response.json();
    if (!response.ok) throw new Error(`${method} ${apiPath}: ${JSON.stringify(json)}`);
    return json;
  }

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    dir = mkdtempSync(path.join(tmpdir(), 'cardbind-kiosk-e2e-'));
    dataDir = path.join(dir, 'data');
    serverPort = await freePort();
    serverUrl = `http://127.0.0.1:${serverPort}`;
    server = await startServer();

    const [token, terminal] = await Promise.all([
      runCli(['admin', '--data', dataDir, 'token', 'add', 'kiosk-e2e']),
      runCli(['admin', '--data', dataDir, 'terminal', 'add', 'Lobby panel']),
    ]);
    expect(token.code, token.stderr).toBe(0);
    expect(terminal.code, terminal.stderr).toBe(0);
    adminToken = token.stdout.trim();
    terminalToken = terminal.stdout.trim();
    for (const [username, fullName, password] of [
      ['ada', 'Ada Lovelace', PASSWORDS.ada],
      ['grace', 'Grace Hopper', PASSWORDS.grace],
      ['linus', 'Linus Torvalds', null],
      ['mallory', 'Mallory Other', null],
      ['hedy', 'Hedy Lamarr', PASSWORDS.hedy],
    ] as const) {
      await api('POST', '/users', { username, fullName, password });
    }

    readerPort = await freePort();
    running.push(
      await startCli(
        // No repeat suppression: the tour swipes the same cards on panel after panel.
        [
          'reader',
          '--port',
          String(readerPort),
          '--reader-token',
          READER_TOKEN,
          '--repeat-window',
          '0',
        ],
        /publishing card events/,
      ),
    );
    // No --panel: every page gets the on-screen keyboard, whatever its panel.
    kioskUrl = await startKiosk();

    browser = await launchChromium();
    for (const panel of panels) {
      const context = await browser.newContext({
        viewport: { width: panel.width, height: panel.height },
        hasTouch: panel.touch,
      });
      const page = await context.newPage();
      page.on('pageerror', (error) => problems.push(`${panel.id}: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
          problems.push(`${panel.id}: ${message.text()}`);
        }
      });
      await page.goto(kioskUrl);
      pages.set(panel.id, page);
    }
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    for (const process of running.reverse()) await process.stop();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Only the kiosk whose page is at the front reacts: the others must not take the swipe. */
  let active: Page | undefined;
  const swipe = (cardId: string) =>
    simulateSwipe({ port: readerPort, cardId, token: READER_TOKEN });

  /** The page of a panel, at idle, in the given language, the only one that takes swipes. */
  async function kioskAt(panel: PanelProfile, language: 'en' | 'de') {
    const page = pages.get(panel.id)!;
    // Every open page gets every swipe: park the others on a page without the kiosk.
    for (const [id, other] of pages) {
      if (id !== panel.id && other.url().startsWith(kioskUrl)) await other.goto('about:blank');
    }
    if (!page.url().startsWith(kioskUrl)) await page.goto(kioskUrl);
    active = page;
    const t = CATALOGS[language];
    await page.getByRole('heading', { name: CATALOGS.en.idle.title }).waitFor();
    // The page's feed is open (the host replays the link status on connect): a swipe reaches it.
    await page.locator('[data-reader-link="connected"]').waitFor();
    if (language !== 'en') {
      await page.getByRole('button', { name: t.languageName, exact: true }).click();
      await page.getByRole('heading', { name: t.idle.title }).waitFor();
    }
    const ui = {
      page,
      t,
      heading: (name: string | RegExp) => page.getByRole('heading', { name }).waitFor(),
      button: (name: string) => page.getByRole('button', { name, exact: true }),
      field: (name: string) => page.getByLabel(name, { exact: true }),
      shot: (name: string) => checkScreen(page, panel, language, name),
    };
    return ui;
  }

  /** Screenshot, and the layout checks: no scrolling, nothing outside, nothing spilling. */
  async function checkScreen(page: Page, panel: PanelProfile, language: string, name: string) {
    const file = `${panel.id}-${language}-${name}.png`;
    await page.screenshot({ path: path.join(SCREENSHOTS, file) });
    const layout = await page.evaluate(() => {
      const root = document.scrollingElement ?? document.documentElement;
      const controls = [...document.querySelectorAll('button, input, [role="button"]')]
        .filter((element) => (element as HTMLElement).offsetParent !== null)
        .map((element) => {
          const box = element.getBoundingClientRect();
          const html = element as HTMLElement;
          return {
            name: element.getAttribute('aria-label') ?? html.innerText ?? element.id,
            outside:
              box.top < 0 || box.left < 0 || box.bottom > innerHeight || box.right > innerWidth,
            // Text fields scroll their text by design; a button's label must fit.
            spills:
              element.tagName === 'BUTTON' &&
              (html.scrollWidth > html.clientWidth + 1 ||
                html.scrollHeight > html.clientHeight + 1),
            height: box.height,
          };
        });
      return {
        scrolls: root.scrollHeight > innerHeight || root.scrollWidth > innerWidth,
        outside: controls.filter((c) => c.outside).map((c) => c.name),
        spilling: controls.filter((c) => c.spills).map((c) => c.name),
        small: controls.filter((c) => c.height < 44).map((c) => c.name),
        unnamed: [...document.querySelectorAll('button, input')]
          .filter((element) => {
            const html = element as HTMLElement;
            const labelled =
              element.getAttribute('aria-label') ||
              element.getAttribute('aria-labelledby') ||
              (element as HTMLInputElement).labels?.length ||
              html.innerText.trim();
            return !labelled;
          })
          .map((element) => element.outerHTML.slice(0, 80)),
      };
    });
    expect(layout, file).toEqual({
      scrolls: false,
      outside: [],
      spilling: [],
      small: [],
      unnamed: [],
    });
  }

  /** Flows spread over the panels: the n-th flow runs on panel n (mod the number of panels). */
  let flows = 0;
  const nextPanel = () => panels[flows++ % panels.length]!;

  type Ui = Awaited<ReturnType<typeof kioskAt>>;
  type Method = keyof Catalog['methods'];
  type Flow = 'enroll' | 'login';

  const chooseMethod = (ui: Ui, method: Method) => ui.button(ui.t.methods[method]).click();

  /** What a person types into a form; no username: the form must not ask for one (PIN login). */
  interface Credentials {
    method: Method;
    username?: string;
    secret: string;
  }

  /** Screenshots on the way to a filled form, named by the screen they show. */
  interface Shots {
    offer?: string;
    choose?: string;
    form?: string;
  }

  async function shoot(ui: Ui, name: string | undefined) {
    if (name) await ui.shot(name);
  }

  /** Fills the open form: the username (or checks that none is asked for), then the secret. */
  async function fillForm(ui: Ui, { method, username, secret }: Credentials) {
    const secretField = ui.field(ui.t.form.secret[method]);
    // The form is on screen first, so a username field found missing is really missing.
    await secretField.waitFor();
    const usernameField = ui.field(ui.t.form.username);
    if (username === undefined) expect(await usernameField.count()).toBe(0);
    else await usernameField.fill(username);
    await secretField.fill(secret);
  }

  interface EnrollmentSteps {
    shots?: Shots;
    /** Runs while the offer is on screen, before the person accepts it. */
    meanwhile?: () => Promise<unknown>;
  }

  /** A person swipes an unknown card and accepts the offer: the method choice is on screen. */
  async function openEnrollment(ui: Ui, card: string, { shots = {}, meanwhile }: EnrollmentSteps) {
    await swipe(card);
    await ui.heading(ui.t.offer.title);
    await shoot(ui, shots.offer);
    await meanwhile?.();
    await ui.button(ui.t.offer.enroll).click();
    await ui.heading(ui.t.chooseEnroll.title);
    await shoot(ui, shots.choose);
  }

  /** `openEnrollment`, then the method picked and the form filled, up to the submit. */
  async function fillEnrollment(
    ui: Ui,
    card: string,
    credentials: Credentials,
    steps: EnrollmentSteps = {},
  ) {
    await openEnrollment(ui, card, steps);
    await chooseMethod(ui, credentials.method);
    await fillForm(ui, credentials);
    await shoot(ui, steps.shots?.form);
  }

  /** "Log in without a card", the method, the form filled, up to the submit. */
  async function fillLogin(ui: Ui, credentials: Credentials, shots: Shots = {}) {
    await ui.button(ui.t.idle.loginWithoutCard).click();
    await ui.heading(ui.t.chooseLogin.title);
    await shoot(ui, shots.choose);
    await chooseMethod(ui, credentials.method);
    await fillForm(ui, credentials);
    await shoot(ui, shots.form);
  }

  const submit = (ui: Ui, flow: Flow) =>
    ui.button(flow === 'enroll' ? ui.t.enrollForm.submit : ui.t.loginForm.submit).click();

  /** Submits the filled form and waits for the welcome heading (`welcome`, the person's name). */
  async function submitToWelcome(ui: Ui, flow: Flow, welcome: string) {
    await submit(ui, flow);
    await ui.heading(welcome);
  }

  it('loads every panel profile', () => {
    expect(panels.map((panel) => panel.id)).toEqual(
      expect.arrayContaining(['generic-7in-800x480', 'generic-10in-1280x800']),
    );
    expect(panels.length).toBeGreaterThanOrEqual(3);
  });

  it('enrolls an unknown card by password, then welcomes it by name', async () => {
    const ui = await kioskAt(nextPanel(), 'en');
    await ui.shot('01-idle');
    await fillEnrollment(
      ui,
      'E2E-ADA-1',
      { method: 'password', username: 'ada', secret: PASSWORDS.ada },
      { shots: { offer: '02-offer', choose: '03-choose-method', form: '04-enroll-password' } },
    );
    await submitToWelcome(ui, 'enroll', 'Welcome, Ada Lovelace');
    await ui.page.getByText(ui.t.welcome.enrolledHint).waitFor();
    await ui.shot('05-welcome-enrolled');
    await ui.button(ui.t.welcome.logout).click();
    await ui.heading(ui.t.idle.title);
  });

  it('welcomes a known card (German)', async () => {
    const ui = await kioskAt(nextPanel(), 'de');
    await swipe('e2e-ada-1');
    await ui.heading('Willkommen, Ada Lovelace');
    await ui.page.getByText(ui.t.welcome.cardHint).waitFor();
    await ui.shot('06-welcome-card');
    await ui.button(ui.t.welcome.logout).click();
    await ui.heading(CATALOGS.en.idle.title);
  });

  it('enrolls by one-time password, which then cannot be used again', async () => {
    const { otp } = (await api('POST', '/users/grace/otp')) as { otp: string };
    const ui = await kioskAt(nextPanel(), 'en');
    const byOtp: Credentials = { method: 'otp', username: 'grace', secret: otp };
    await fillEnrollment(ui, 'E2E-GRACE-1', byOtp, { shots: { form: '07-enroll-otp' } });
    await submitToWelcome(ui, 'enroll', 'Welcome, Grace Hopper');
    await ui.button(ui.t.welcome.logout).click();

    await fillEnrollment(ui, 'E2E-GRACE-2', byOtp);
    await submit(ui, 'enroll');
    await ui.page.getByRole('alert').filter({ hasText: ui.t.errors.credential_expired }).waitFor();
    await ui.shot('08-otp-used');
    await ui.button(ui.t.form.cancel).click();
    await ui.heading(ui.t.idle.title);
  });

  it('enrolls by short ID (PIN) with the username (German)', async () => {
    const { pin } = (await api('POST', '/users/linus/pin')) as { pin: string };
    const ui = await kioskAt(nextPanel(), 'de');
    await fillEnrollment(
      ui,
      'E2E-LINUS-1',
      { method: 'pin', username: 'linus', secret: pin },
      { shots: { form: '09-enroll-pin' } },
    );
    await submitToWelcome(ui, 'enroll', 'Willkommen, Linus Torvalds');
    await ui.button(ui.t.welcome.logout).click();
  });

  it('logs in without a card: by password, and by PIN alone (German)', async () => {
    let ui = await kioskAt(nextPanel(), 'en');
    await fillLogin(
      ui,
      { method: 'password', username: 'ada', secret: PASSWORDS.ada },
      { choose: '10-choose-login' },
    );
    await submitToWelcome(ui, 'login', 'Welcome, Ada Lovelace');
    await ui.page.getByText(ui.t.welcome.loginHint).waitFor();
    await ui.button(ui.t.welcome.logout).click();

    const { pin } = (await api('POST', '/users/linus/pin')) as { pin: string };
    ui = await kioskAt(nextPanel(), 'de');
    // No username: the form must not ask for one.
    await fillLogin(ui, { method: 'pin', secret: pin }, { form: '11-login-pin' });
    await submitToWelcome(ui, 'login', 'Willkommen, Linus Torvalds');
    await ui.button(ui.t.welcome.logout).click();
  });

  it('says how many attempts are left after a wrong password, keeping the username', async () => {
    const ui = await kioskAt(nextPanel(), 'en');
    await fillEnrollment(ui, 'E2E-WRONG-1', {
      method: 'password',
      username: 'grace',
      secret: 'not her password',
    });
    await submit(ui, 'enroll');
    const alert = ui.page.getByRole('alert');
    await alert.filter({ hasText: ui.t.errors.invalid_credentials }).waitFor();
    expect(await alert.innerText()).toMatch(/Attempts left: \d+\./);
    expect(await ui.field(ui.t.form.username).inputValue()).toBe('grace');
    expect(await ui.field(ui.t.form.secret.password).inputValue()).toBe('');
    await ui.shot('12-wrong-password');
    await ui.field(ui.t.form.secret.password).fill(PASSWORDS.grace);
    await submitToWelcome(ui, 'enroll', 'Welcome, Grace Hopper');
    await ui.button(ui.t.welcome.logout).click();
  });

  it('explains a card that is already bound to another account (German)', async () => {
    const ui = await kioskAt(nextPanel(), 'de');
    await fillEnrollment(
      ui,
      'E2E-TAKEN-1',
      { method: 'password', username: 'ada', secret: PASSWORDS.ada },
      // Meanwhile an administrator gives the card to someone else.
      { meanwhile: () => api('POST', '/users/mallory/cards', { cardId: 'E2E-TAKEN-1' }) },
    );
    await submit(ui, 'enroll');
    await ui.heading(ui.t.cardAlreadyBound.title);
    await ui.shot('13-card-already-bound');
    await ui.button(ui.t.cardAlreadyBound.ok).click();
    await ui.heading(CATALOGS.en.idle.title);
  });

  it('counts down to each retry while the server is down, and carries on when it is back', async () => {
    const attempts = DEFAULT_PAGE_CONFIG.retry.attempts;
    /** The countdown on screen: which retry, and the whole seconds left before it. */
    const countdown = (page: Page) =>
      page.evaluate(() => ({
        wait: document.querySelector('.countdown-wait')?.textContent ?? null,
        attempt: document.querySelector('.countdown-attempt')?.textContent ?? null,
      }));
    const number = (text: string | null) => Number(/\d+/.exec(text ?? '')?.[0] ?? Number.NaN);

    await server.stop();
    // The tests after this one need the server: bring it back even when this one fails.
    let restarted = false;
    const restart = async () => {
      if (restarted) return;
      restarted = true;
      server = await startServer();
    };
    try {
      // Every panel in both languages: the countdown is one more line on a screen that must fit.
      for (const panel of panels) {
        for (const language of ['en', 'de'] as const) {
          const ui = await kioskAt(panel, language);
          await swipe('E2E-DOWN-1');
          await ui.heading(ui.t.serverUnreachable.title);
          const timer = ui.page.getByRole('timer');
          await timer.waitFor();
          const texts = ui.t.serverUnreachable;
          const wait = format(ui.t.units.seconds, { count: '\\d+' });
          expect(await timer.innerText()).toMatch(textPattern(texts.retryIn, { wait }));
          expect(await timer.innerText()).toMatch(
            textPattern(texts.attempt, { attempt: '[1-9]', attempts: String(attempts) }),
          );
          await ui.shot('14-server-unreachable');
          await ui.button(texts.cancel).click();
          await ui.heading(CATALOGS.en.idle.title);
        }
      }

      const ui = await kioskAt(nextPanel(), 'en');
      await swipe('E2E-DOWN-1');
      await ui.heading(ui.t.serverUnreachable.title);
      await ui.page.getByText('cannot be reached').waitFor();
      // It counts down: some retry is seen with fewer seconds left than when it was first seen
      // (the machine's waits here are 2, 4, 8 and 15 s, so each shows at least two values).
      const firstSeen = new Map<number, number>();
      await expect
        .poll(
          async () => {
            const shown = await countdown(ui.page);
            const attempt = number(shown.attempt);
            const seconds = number(shown.wait);
            if (Number.isNaN(attempt) || Number.isNaN(seconds)) return false;
            if (!firstSeen.has(attempt)) firstSeen.set(attempt, seconds);
            return seconds < firstSeen.get(attempt)!;
          },
          { timeout: 30_000, interval: 100 },
        )
        .toBe(true);
      expect(Math.max(...firstSeen.keys())).toBeLessThanOrEqual(attempts);

      await restart();
      await ui.button(ui.t.serverUnreachable.retryNow).click();
      await ui.heading(ui.t.offer.title);
      await ui.button(ui.t.offer.cancel).click();
      await ui.heading(ui.t.idle.title);
    } finally {
      await restart();
    }
  }, 180_000);

  it('enrolls at a desk kiosk by typing on its physical keyboard', async () => {
    const panel = panels.find((profile) => profile.id === 'desk-kiosk-1024x600-keyboard');
    expect(panel?.physicalKeyboard).toBe(true);
    const url = await startKiosk('--panel', panel!.id);
    // Only this page may take the swipe.
    for (const other of pages.values()) {
      if (other.url() !== 'about:blank') await other.goto('about:blank');
    }
    const context = await browser.newContext({
      viewport: { width: panel!.width, height: panel!.height },
      hasTouch: panel!.touch,
    });
    try {
      const page = await context.newPage();
      page.on('pageerror', (error) => problems.push(`${panel!.id} keyboard: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
          problems.push(`${panel!.id} keyboard: ${message.text()}`);
        }
      });
      await page.goto(url);
      active = page;
      const t = CATALOGS.en;
      const shot = (name: string) => checkScreen(page, panel!, 'en', `keyboard-${name}`);
      await page.getByRole('heading', { name: t.idle.title }).waitFor();
      await page.locator('[data-reader-link="connected"]').waitFor();

      await swipe('E2E-HEDY-1');
      await page.getByRole('button', { name: t.offer.enroll, exact: true }).click();
      await page.getByRole('button', { name: t.methods.password, exact: true }).click();
      const username = page.getByLabel(t.form.username, { exact: true });
      await expect.poll(() => username.evaluate((e) => e === document.activeElement)).toBe(true);
      // The on-screen keyboard starts hidden; a button shows it, and hides it again.
      const onScreen = page.getByRole('group', { name: t.keyboard.label });
      const toggle = page.getByRole('button', { name: t.keyboard.label, exact: true });
      expect(await onScreen.count()).toBe(0);
      expect(await toggle.getAttribute('aria-expanded')).toBe('false');
      await shot('01-form');
      await toggle.click();
      await onScreen.waitFor();
      await shot('02-form-on-screen-keyboard');
      await toggle.click();
      await onScreen.waitFor({ state: 'detached' });

      // Typed at a person's pace: a burst faster than 35 ms a key would be a wedge reader's card.
      await username.focus();
      await page.keyboard.type('hedy', { delay: 80 });
      await page.keyboard.press('Enter');
      const secret = page.getByLabel(t.form.secret.password, { exact: true });
      await expect.poll(() => secret.evaluate((e) => e === document.activeElement)).toBe(true);
      await page.keyboard.type(PASSWORDS.hedy, { delay: 80 });
      expect(await username.inputValue()).toBe('hedy');
      expect(await secret.inputValue()).toBe(PASSWORDS.hedy);
      await shot('03-typed');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Welcome, Hedy Lamarr' }).waitFor();
      await page.getByText(t.welcome.enrolledHint).waitFor();
      await shot('04-welcome');
      await page.getByRole('button', { name: t.welcome.logout, exact: true }).click();
      await page.getByRole('heading', { name: t.idle.title }).waitFor();
    } finally {
      await context.close();
    }
  });

  it.each(['en', 'de'] as const)(
    'fits every panel, in %s, on every main screen',
    async (language) => {
      for (const panel of panels) {
        const ui = await kioskAt(panel, language);
        await ui.shot('tour-idle');
        await openEnrollment(ui, 'E2E-TOUR-1', {
          shots: { offer: 'tour-offer', choose: 'tour-choose' },
        });
        await chooseMethod(ui, 'password');
        await ui.field(ui.t.form.username).waitFor();
        await ui.shot('tour-form-password');
        await ui.button(ui.t.form.changeMethod).click();
        await chooseMethod(ui, 'pin');
        await ui.field(ui.t.form.secret.pin).waitFor();
        await ui.shot('tour-form-pin');
        await ui.button(ui.t.form.cancel).click();
        await ui.heading(CATALOGS.en.idle.title);
        await swipe('E2E-ADA-1');
        await ui.heading(/Ada Lovelace/);
        await ui.shot('tour-welcome');
        await ui.button(CATALOGS.en.welcome.logout).click();
      }
    },
  );

  it('ran without script errors or CSP violations', () => {
    expect(active).toBeDefined();
    expect(problems).toEqual([]);
  });
});
