import type { BrowserWindowConstructorOptions } from 'electron';
import { KIOSK_BRIDGE_FLAG } from './bridge-contract.ts';

/**
 * The kiosk window: full screen with no way out, and a renderer that is a plain sandboxed web
 * page. The page needs nothing from Node: it reaches the server and the reader through the
 * preload's narrow kiosk API (`bridge`), or else over HTTP to its kiosk host.
 *
 * With a panel profile the window's content is the panel's size. Packaged, the window is still
 * full screen (the panel *is* the screen); unpackaged, it is a fixed-size window, so a developer
 * sees on a desktop exactly what the panel will show.
 */
export function windowOptions(options: {
  preload: string;
  /** Packaged builds have no developer tools at all. */
  packaged: boolean;
  panel?: { width: number; height: number } | null;
  /** The main process answers the kiosk IPC channels: the preload exposes the kiosk API. */
  bridge?: boolean;
}): BrowserWindowConstructorOptions {
  const { panel } = options;
  const preview = !options.packaged && panel != null;
  return {
    kiosk: !preview,
    fullscreen: !preview,
    ...(panel && { width: panel.width, height: panel.height, useContentSize: true }),
    resizable: !preview,
    autoHideMenuBar: true,
    backgroundColor: '#0b0f14',
    // Shown once the first paint is ready, so the panel never flashes white.
    show: false,
    webPreferences: {
      preload: options.preload,
      ...(options.bridge && { additionalArguments: [KIOSK_BRIDGE_FLAG] }),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: !options.packaged,
    },
  };
}

/** Only the kiosk host's own pages may be shown; everything else stays out of the window. */
export function isAllowedNavigation(url: string, origin: string): boolean {
  try {
    return new URL(url).origin === new URL(origin).origin;
  } catch {
    return false;
  }
}

/**
 * After a renderer crash or a failed load: wait, longer after each failure in a row (1 s, 2 s,
 * 4 s … up to 30 s), so a crash loop does not spin the CPU and a host that is back is found soon.
 */
export function reloadDelayMs(failuresInARow: number): number {
  return Math.min(1_000 * 2 ** Math.max(0, failuresInARow - 1), 30_000);
}
