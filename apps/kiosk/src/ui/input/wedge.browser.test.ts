import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../../../test/support/browser.ts';
import type { UiAssets } from '../../host/ui-build.ts';
import { buildHarness, openHarness } from './harness-page.ts';
import type { WedgeHarness } from './wedge.harness.tsx';
import type { WedgeOptions } from './wedge.ts';

const HARNESS = fileURLToPath(new URL('./wedge.harness.tsx', import.meta.url));
const TIMEOUT = 60_000;
const OPTIONS: WedgeOptions = { maxGapMs: 35, minLength: 4 };

/** One key press at a moment of the test's choosing, in ms after the first key. */
type TimedKey = { key: string; atMs: number };

/**
 * Trusted key events (they type into fields and submit forms, as a reader's do) through the
 * DevTools protocol, each stamped with its own time: Chromium gives the page that time as the
 * event's `timeStamp`. So a "reader" is 8 ms per key and a "person" 400 ms per key however busy
 * the machine running the test is: the test never depends on how fast anything ran.
 */
async function pressKeys(page: Page, keys: TimedKey[]): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const start = Date.now() / 1000;
  for (const { key, atMs } of keys) {
    const timestamp = start + atMs / 1000;
    const enter = key === 'Enter';
    const text = enter ? '\r' : key;
    const code = enter ? 13 : key.toUpperCase().charCodeAt(0);
    await cdp.send('Input.dispatchKeyEvent', {
      type: 'keyDown',
      key,
      text,
      unmodifiedText: text,
      windowsVirtualKeyCode: code,
      timestamp,
    });
    await cdp.send('Input.dispatchKeyEvent', {
      type: 'keyUp',
      key,
      windowsVirtualKeyCode: code,
      timestamp,
    });
  }
  await cdp.detach();
}

/** `keys` typed `gapMs` apart, starting `startMs` after the first key of the test. */
const typed = (keys: string[], gapMs: number, startMs = 0): TimedKey[] =>
  keys.map((key, i) => ({ key, atMs: startMs + i * gapMs }));
const reader = (id: string, startMs: number) => typed([...id, 'Enter'], 8, startMs);
const person = (text: string, startMs = 0) => typed([...text], 400, startMs);

/** useWedgeReader in Chromium with real (trusted) key events typing into a controlled field. */
describe('useWedgeReader in Chromium', { timeout: TIMEOUT }, () => {
  let browser: Browser;
  let assets: UiAssets;
  let context: BrowserContext | undefined;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    [assets, browser] = await Promise.all([buildHarness(HARNESS), launchChromium()]);
  }, TIMEOUT);
  afterEach(async () => context?.close());
  afterAll(async () => browser?.close());

  async function open(): Promise<Page> {
    const opened = await openHarness(browser, assets, { width: 800, height: 480 }, pageErrors);
    context = opened.context;
    await opened.page.evaluate((options) => {
      (window as unknown as { harness: WedgeHarness }).harness.start(options);
    }, OPTIONS);
    await opened.page.waitForFunction(
      () => (window as unknown as { harness: WedgeHarness }).harness.ready,
    );
    return opened.page;
  }
  const recorded = (page: Page) =>
    page.evaluate(() => {
      const { cards, submitted } = (window as unknown as { harness: WedgeHarness }).harness;
      return { cards, submitted };
    });

  it('reads a swipe into a focused field, puts the field back and swallows the Enter', async () => {
    const page = await open();
    const field = page.getByLabel('Name');
    await field.click();
    await pressKeys(page, [...person('ad'), ...reader('04A1B2C3', 2_000), ...person('a', 4_000)]);

    expect(await recorded(page)).toEqual({ cards: ['04A1B2C3'], submitted: [] });
    // Nothing of the swipe is left, and typing carried on where it was.
    expect(await field.inputValue()).toBe('ada');
    // The controlled component's state followed the restored value, too.
    expect(await page.getByTestId('state').textContent()).toBe('ada');
  });

  it('reads a swipe with nothing focused, and two swipes in a row', async () => {
    const page = await open();
    await pressKeys(page, [...reader('CARD-7', 0), ...reader('CARD-8', 1_000)]);
    expect((await recorded(page)).cards).toEqual(['CARD-7', 'CARD-8']);
  });

  it('leaves slow typing and its Enter to the page', async () => {
    const page = await open();
    const field = page.getByLabel('Name');
    await field.click();
    await pressKeys(page, typed([...'grace', 'Enter'], 400));
    expect(await recorded(page)).toEqual({ cards: [], submitted: ['grace'] });
    expect(await field.inputValue()).toBe('grace');
  });

  it('leaves a short fast burst (key rollover) alone', async () => {
    const page = await open();
    const field = page.getByLabel('Name');
    await field.click();
    await pressKeys(page, typed([...'abc', 'Enter'], 8));
    expect(await recorded(page)).toEqual({ cards: [], submitted: ['abc'] });
  });

  it('ran without script errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
