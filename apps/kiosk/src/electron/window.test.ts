import { describe, expect, it } from 'vitest';
import { KIOSK_BRIDGE_FLAG } from './bridge-contract.ts';
import { isAllowedNavigation, reloadDelayMs, windowOptions } from './window.ts';

describe('kiosk window', () => {
  it('is a locked-down kiosk with a sandboxed, isolated renderer', () => {
    const options = windowOptions({ preload: '/app/preload.cjs', packaged: true });
    expect(options).toMatchObject({ kiosk: true, fullscreen: true, show: false });
    expect(options.webPreferences).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
      devTools: false,
    });
  });

  it("takes the panel's size: full screen when packaged, a fixed window to preview", () => {
    const panel = { width: 800, height: 480 };
    expect(windowOptions({ preload: 'p', packaged: true, panel })).toMatchObject({
      kiosk: true,
      fullscreen: true,
      width: 800,
      height: 480,
      useContentSize: true,
    });
    expect(windowOptions({ preload: 'p', packaged: false, panel })).toMatchObject({
      kiosk: false,
      fullscreen: false,
      resizable: false,
      width: 800,
      height: 480,
    });
    expect(windowOptions({ preload: 'p', packaged: false })).toMatchObject({ kiosk: true });
  });

  it('waits longer after each failed reload, up to 30 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 50].map(reloadDelayMs)).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000,
    ]);
    expect(reloadDelayMs(0)).toBe(1_000);
  });

  it('tells the preload to expose the kiosk API only when the main process answers it', () => {
    const bridged = windowOptions({ preload: 'p', packaged: true, bridge: true });
    expect(bridged.webPreferences?.additionalArguments).toEqual([KIOSK_BRIDGE_FLAG]);
    const plain = windowOptions({ preload: 'p', packaged: true });
    expect(plain.webPreferences).not.toHaveProperty('additionalArguments');
  });

  it('keeps developer tools for unpackaged runs only', () => {
    expect(windowOptions({ preload: 'p', packaged: false }).webPreferences?.devTools).toBe(true);
  });

  it.each([
    ['http://127.0.0.1:7392/', true],
    ['http://127.0.0.1:7392/anything?x=1#y', true],
    ['http://127.0.0.1:7393/', false],
    ['http://localhost:7392/', false],
    ['https://127.0.0.1:7392/', false],
    ['https://example.org/', false],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['not a url', false],
  ])('navigation to %s allowed: %s', (url, allowed) => {
    expect(isAllowedNavigation(url, 'http://127.0.0.1:7392')).toBe(allowed);
  });
});
