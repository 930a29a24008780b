import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createLogger } from '@cardbind/shared';
import { app, BrowserWindow, Menu, session } from 'electron';
import { serveKiosk, type KioskHost } from '../host/kiosk-host.ts';
import { ELECTRON_FILES } from './layout.ts';
import { parseElectronConfig } from './config.ts';
import { isAllowedNavigation, RELOAD_DELAY_MS, windowOptions } from './window.ts';

/*
 * The Electron shell's main process. Wiring only: every decision is in config.ts and window.ts.
 * Bundled to CommonJS by build.ts, so `__dirname` is the directory of main.cjs and its siblings.
 */

const logger = createLogger().child({ component: 'kiosk-electron' });

async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    logger.warn('another kiosk window is already running; leaving');
    app.quit();
    return;
  }
  const config = parseElectronConfig(process.argv, process.env);
  await app.whenReady();
  Menu.setApplicationMenu(null); // no menu, so no reload / devtools / close accelerators

  let host: KioskHost | undefined;
  let url: string;
  if (config.mode === 'attach') {
    url = config.url;
  } else {
    host = await serveKiosk({
      ...config,
      logger: logger.child({ component: 'kiosk' }),
      ui: {
        script: readFileSync(path.join(__dirname, ELECTRON_FILES.uiScript), 'utf8'),
        css: readFileSync(path.join(__dirname, ELECTRON_FILES.uiCss), 'utf8'),
      },
    });
    url = host.url;
  }
  const origin = new URL(url).origin;

  // The kiosk page needs no camera, notifications or anything else a site may ask for.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, grant) =>
    grant(false),
  );
  session.defaultSession.setPermissionCheckHandler(() => false);

  const window = new BrowserWindow(
    windowOptions({
      preload: path.join(__dirname, ELECTRON_FILES.preload),
      packaged: app.isPackaged,
    }),
  );
  const contents = window.webContents;
  const reload = () => setTimeout(() => void window.loadURL(url).catch(() => {}), RELOAD_DELAY_MS);

  contents.on('will-navigate', (event) => {
    if (!isAllowedNavigation(event.url, origin)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAllowedNavigation(event.url, origin)) event.preventDefault();
  });
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.on('render-process-gone', (_event, details) => {
    logger.error('kiosk page crashed; reloading', { reason: details.reason });
    reload();
  });
  contents.on('did-fail-load', (_event, code, description, _url, isMainFrame) => {
    if (!isMainFrame) return;
    // The host may still be starting (attach mode) or restarting: keep trying.
    logger.warn('kiosk page failed to load; retrying', { code, description });
    reload();
  });
  window.once('ready-to-show', () => window.show());

  app.on('second-instance', () => {
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', (event) => {
    if (!host) return;
    const closing = host;
    host = undefined;
    event.preventDefault();
    void closing.close().finally(() => app.quit());
  });

  await window.loadURL(url).catch(() => {
    /* did-fail-load retries */
  });
}

main().catch((error: unknown) => {
  logger.error('the kiosk could not start', { error });
  app.exit(1);
});
