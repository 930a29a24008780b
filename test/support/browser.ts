import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium, never a downloaded browser: install it with `scripts/bootstrap --test`. */
export const CHROMIUM_PATH = process.env.CARDBIND_CHROMIUM ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}
