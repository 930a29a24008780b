import type { Browser, BrowserContext, Page } from 'playwright-core';

/**
 * Test support for the UI pieces' browser tests: bundles a harness entry the way the kiosk host
 * bundles the real UI (esbuild, Preact JSX, one script and one style sheet) and serves it to a
 * fresh Chromium context from a made-up origin, with no server to start or stop.
 */
export interface HarnessAssets {
  script: string;
  css: string;
}

export async function buildHarness(entry: string): Promise<HarnessAssets> {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    outdir: 'harness',
    format: 'esm',
    platform: 'browser',
    target: ['chrome109'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  const text = (extension: string) =>
    result.outputFiles.find((file) => file.path.endsWith(extension))?.text ?? '';
  return { script: text('.js'), css: text('.css') };
}

const ORIGIN = 'http://kiosk-harness.test';

/** Opens the harness in a new context (touch enabled); script errors go to `errors`. */
export async function openHarness(
  browser: Browser,
  assets: HarnessAssets,
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
