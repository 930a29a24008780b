import type { BrowserWindowConstructorOptions } from 'electron';

/**
 * The kiosk window: full screen with no way out, and a renderer that is a plain sandboxed web
 * page. The page needs nothing from Node: it talks to its kiosk host over HTTP.
 */
export function windowOptions(options: {
  preload: string;
  /** Packaged builds have no developer tools at all. */
  packaged: boolean;
}): BrowserWindowConstructorOptions {
  return {
    kiosk: true,
    fullscreen: true,
    autoHideMenuBar: true,
    backgroundColor: '#0b0f14',
    // Shown once the first paint is ready, so the panel never flashes white.
    show: false,
    webPreferences: {
      preload: options.preload,
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

/** After a renderer crash or a failed load: wait a little, so a crash loop does not spin the CPU. */
export const RELOAD_DELAY_MS = 1_000;
