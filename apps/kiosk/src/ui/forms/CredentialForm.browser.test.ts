import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../../../test/support/browser.ts';
import { loadPanelProfiles, type PanelProfile } from '../../panels.ts';
import type { UiAssets } from '../../host/ui-build.ts';
import { buildHarness, openHarness } from '../input/harness-page.ts';
import type { HarnessEvents, HarnessProps } from './CredentialForm.harness.tsx';

const HARNESS = fileURLToPath(new URL('./CredentialForm.harness.tsx', import.meta.url));
const SCREENSHOTS = fileURLToPath(
  new URL('../../../../../test-results/kiosk/forms', import.meta.url),
);
const TIMEOUT = 60_000;
/** WCAG 2.5.5 (AAA) and Apple's guideline: 44 CSS px in both directions. */
const MIN_TARGET = 44;

const PASSWORD_FORM: HarnessProps = {
  title: 'Link this card to your account',
  message: { text: 'Sign in once; after that, your card is enough.', tone: 'hint' },
  askUsername: true,
  secretKind: 'password',
  physicalKeyboard: false,
  withChooser: true,
};
const PIN_FORM: HarnessProps = {
  title: 'Sign in with your PIN',
  askUsername: false,
  secretKind: 'pin',
  physicalKeyboard: false,
};

/**
 * The credential form alone, in Debian's Chromium with touch, at the size of every shipped panel
 * profile: it must fit without scrolling and type through its own keys.
 */
describe('credential form in Chromium', { timeout: TIMEOUT }, () => {
  let browser: Browser;
  let assets: UiAssets;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    [assets, browser] = await Promise.all([buildHarness(HARNESS), launchChromium()]);
  }, TIMEOUT);

  afterAll(async () => {
    await browser?.close();
  });

  async function openForm(
    viewport: { width: number; height: number },
    props: HarnessProps,
  ): Promise<{ context: BrowserContext; page: Page }> {
    const opened = await openHarness(browser, assets, viewport, pageErrors);
    await renderForm(opened.page, props);
    return opened;
  }

  const renderForm = (page: Page, props: HarnessProps) =>
    page.evaluate((p) => {
      (window as unknown as { harness: { render(p: unknown): void } }).harness.render(p);
    }, props);

  const events = (page: Page) =>
    page.evaluate(
      () => (window as unknown as { harness: { events: HarnessEvents } }).harness.events,
    );

  /** Everything on screen, nothing scrolls, every control big enough to hit with a finger. */
  async function checkLayout(page: Page, name: string) {
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
    const layout = await page.evaluate((minTarget) => {
      const root = document.scrollingElement ?? document.documentElement;
      const main = document.querySelector('main');
      const controls = [...document.querySelectorAll('button, input')].map((element) => {
        const r = element.getBoundingClientRect();
        const label =
          element.getAttribute('aria-label') ?? element.textContent?.trim() ?? element.id;
        return {
          label,
          top: r.top,
          left: r.left,
          bottom: r.bottom,
          right: r.right,
          w: r.width,
          h: r.height,
        };
      });
      return {
        pageScrolls: root.scrollHeight > innerHeight || root.scrollWidth > innerWidth,
        mainOverflows: main
          ? main.scrollHeight > main.clientHeight || main.scrollWidth > main.clientWidth
          : true,
        offscreen: controls
          .filter((c) => c.top < 0 || c.left < 0 || c.bottom > innerHeight || c.right > innerWidth)
          .map((c) => c.label),
        small: controls
          .filter((c) => c.w < minTarget || c.h < minTarget)
          .map((c) => `${c.label} ${c.w.toFixed(1)}×${c.h.toFixed(1)}`),
      };
    }, MIN_TARGET);
    expect(layout.pageScrolls, `${name}: the page scrolls`).toBe(false);
    expect(layout.mainOverflows, `${name}: the form overflows`).toBe(false);
    expect(layout.offscreen, `${name}: controls off screen`).toEqual([]);
    expect(layout.small, `${name}: touch targets under ${MIN_TARGET} px`).toEqual([]);
  }

  const panels: PanelProfile[] = loadPanelProfiles();

  describe.each(panels)('on $id ($width×$height)', (panel) => {
    const viewport = { width: panel.width, height: panel.height };

    it('fits the password, PIN, OTP and physical-keyboard variants', async () => {
      const variants: [string, HarnessProps][] = [
        ['password', PASSWORD_FORM],
        [
          'password-error',
          {
            ...PASSWORD_FORM,
            title: 'Diese Karte mit Ihrem Konto verknüpfen',
            message: {
              text: 'Falscher Benutzername oder falsches Passwort. Noch 2 Versuche.',
              tone: 'error',
            },
          },
        ],
        ['pin', PIN_FORM],
        ['otp', { ...PASSWORD_FORM, secretKind: 'otp', withChooser: false }],
        ['physical-keyboard', { ...PASSWORD_FORM, physicalKeyboard: true }],
      ];
      const { context, page } = await openForm(viewport, PASSWORD_FORM);
      for (const [variant, props] of variants) {
        await renderForm(page, { ...props, fresh: true });
        await checkLayout(page, `${panel.id}-${variant}`);
      }
      // The physical-keyboard variant shows the keyboard on request, and still fits.
      await page.getByRole('button', { name: 'On-screen keyboard' }).tap();
      await page.getByRole('group', { name: 'On-screen keyboard' }).waitFor();
      await checkLayout(page, `${panel.id}-physical-keyboard-shown`);
      await context.close();
    });

    it('types with on-screen keys into the focused field and submits', async () => {
      const { context, page } = await openForm(viewport, PASSWORD_FORM);
      const username = page.getByLabel('Username');
      const password = page.getByLabel('Password', { exact: true });
      const key = (name: string) => page.getByRole('button', { name, exact: true }).tap();
      const submit = page.getByRole('button', { name: 'Sign in' });

      await expect.poll(() => username.evaluate((e) => e === document.activeElement)).toBe(true);
      expect(await username.getAttribute('inputmode')).toBe('none');
      expect(await submit.isDisabled()).toBe(true);

      for (const k of ['a', 'd', 'a', '.']) await key(k);
      await key('Shift');
      await key('L');
      await key('o'); // one-shot shift is used up
      await key('Symbols');
      await key('#');
      await key('Letters');
      await key('x');
      await key('Backspace');
      expect(await username.inputValue()).toBe('ada.Lo#');
      // Keys never take focus: the caret stays where it was.
      expect(await username.evaluate((e) => e === document.activeElement)).toBe(true);

      await key('Done');
      await expect.poll(() => password.evaluate((e) => e === document.activeElement)).toBe(true);
      expect(await password.getAttribute('type')).toBe('password');
      for (const k of ['p', 'w', 'Space', '1']) await key(k);
      expect(await password.inputValue()).toBe('pw 1');

      await page.getByRole('button', { name: 'Show' }).tap();
      expect(await password.getAttribute('type')).toBe('text');
      await page.getByRole('button', { name: 'Hide' }).tap();
      expect(await password.getAttribute('type')).toBe('password');
      expect(await password.evaluate((e) => e === document.activeElement)).toBe(true);

      expect(await submit.isDisabled()).toBe(false);
      await submit.tap();
      const recorded = await events(page);
      expect(recorded.submitted).toEqual([{ username: 'ada.Lo#', secret: 'pw 1' }]);
      // 17 key taps and 2 reveal taps, each one activity at least.
      expect(recorded.activity).toBeGreaterThanOrEqual(19);
      await context.close();
    });

    it('gives PINs a digit pad and refuses letters from a physical keyboard', async () => {
      const { context, page } = await openForm(viewport, PIN_FORM);
      const pin = page.getByLabel('PIN');
      const pad = page.getByRole('group', { name: 'On-screen keyboard' });
      expect(await page.getByLabel('Username').count()).toBe(0);
      expect(await pad.getByRole('button').count()).toBe(12);
      expect(await pad.getByRole('button', { name: 'q', exact: true }).count()).toBe(0);

      for (const k of ['4', '7', '1', 'Backspace', '0', '9']) {
        await pad.getByRole('button', { name: k, exact: true }).tap();
      }
      expect(await pin.inputValue()).toBe('4709');
      await page.keyboard.type('x5');
      expect(await pin.inputValue()).toBe('47095');

      await page.getByRole('button', { name: 'Show' }).tap();
      expect(await pin.getAttribute('type')).toBe('text');
      await pad.getByRole('button', { name: 'Done', exact: true }).tap();
      expect((await events(page)).submitted).toEqual([{ username: '', secret: '47095' }]);
      await context.close();
    });
  });

  it('works with a physical keyboard: Enter moves on, a new error clears the secret', async () => {
    const { context, page } = await openForm(
      { width: 800, height: 480 },
      { ...PASSWORD_FORM, physicalKeyboard: true },
    );
    expect(await page.getByRole('group', { name: 'On-screen keyboard' }).count()).toBe(0);
    const username = page.getByLabel('Username');
    const password = page.getByLabel('Password', { exact: true });
    // The form focuses its first field in an effect, after the first paint: wait for it.
    await expect.poll(() => username.evaluate((e) => e === document.activeElement)).toBe(true);
    await page.keyboard.type('grace');
    await page.keyboard.press('Enter');
    await expect.poll(() => password.evaluate((e) => e === document.activeElement)).toBe(true);
    expect((await events(page)).submitted).toEqual([]);
    await page.keyboard.type('wrong');
    await page.keyboard.press('Enter');
    expect((await events(page)).submitted).toEqual([{ username: 'grace', secret: 'wrong' }]);

    // What the next frame paints: read before it, once Preact's queued re-render has run
    // (microtasks), so a clearing that waits for a frame is caught every time, not by chance.
    const beforeNextFrame = await page.evaluate(
      async (p) => {
        (window as unknown as { harness: { render(p: unknown): void } }).harness.render(p);
        for (let i = 0; i < 10; i++) await Promise.resolve();
        const value = (label: string) =>
          (
            [...document.querySelectorAll('label')].find((l) => l.textContent === label)
              ?.control as HTMLInputElement | null | undefined
          )?.value;
        return {
          alert: document.querySelector('[role="alert"]')?.textContent ?? null,
          username: value('Username'),
          password: value('Password'),
        };
      },
      {
        ...PASSWORD_FORM,
        physicalKeyboard: true,
        message: { text: 'Wrong username or password.', tone: 'error' },
      },
    );
    expect(beforeNextFrame).toEqual({
      alert: 'Wrong username or password.',
      username: 'grace',
      password: '',
    });
    expect(await username.inputValue()).toBe('grace');
    expect(await password.inputValue()).toBe('');
    await expect.poll(() => password.evaluate((e) => e === document.activeElement)).toBe(true);
    await context.close();
  });

  it('starts OTPs in capitals and accepts the cancel button', async () => {
    const { context, page } = await openForm(
      { width: 800, height: 480 },
      { ...PASSWORD_FORM, secretKind: 'otp', initialUsername: 'ada' },
    );
    const otp = page.getByLabel('One-time password');
    await expect.poll(() => otp.evaluate((e) => e === document.activeElement)).toBe(true);
    for (const k of ['K', 'P', '7']) await page.getByRole('button', { name: k, exact: true }).tap();
    expect(await otp.inputValue()).toBe('KP7');
    await page.getByRole('button', { name: 'Cancel' }).tap();
    expect((await events(page)).cancelled).toBe(1);
    await context.close();
  });

  it('ran without script errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
