import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildUiAssets, type UiAssets } from '../../host/ui-build.ts';

/**
 * Test support for the UI pieces' browser tests: bundles a harness entry as the kiosk host
 * bundles the real UI (its own `buildUiAssets`) and serves it to a fresh Chromium context from a
 * made-up origin, with no server to start or stop. A harness page that tests behaviour alone may
 * import no CSS.
 */
export function buildHarness(entry: string): Promise<UiAssets> {
  return buildUiAssets({ entry, requireCss: false });
}

const ORIGIN = 'http://kiosk-harness.test';

/** Opens the harness in a new context (touch enabled); script errors go to `errors`. */
export async function openHarness(
  browser: Browser,
  assets: UiAssets,
  viewport: { width: number; height: number },
  errors: string[],
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, hasTouch: true });
  const page = await context.newPage();
  page.on('pageerror', (error) => errors.push(error.message));
  await page.route(`${ORIGIN}/**`, (route) => {
    const { pathname } = new URL(route.request().url());
    if (pathname === '/harness.js') {
      return route.fulfill({ contentType: 'text/javascript', body: assets.script });
    }
    if (pathname === '/harness.css') {
      return route.fulfill({ contentType: 'text/css', body: assets.css });
    }
    return route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><html lang="en"><head><meta charset="utf-8">
        <link rel="stylesheet" href="/harness.css"></head>
        <body><div id="app"></div><script type="module" src="/harness.js"></script></body></html>`,
    });
  });
  await page.goto(`${ORIGIN}/`);
  await page.waitForFunction(() => 'harness' in window);
  return { context, page };
}
