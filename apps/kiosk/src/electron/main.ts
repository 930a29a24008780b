import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createLogger } from '@cardbind/shared';
import { app, BrowserWindow, ipcMain, Menu, session } from 'electron';
import { serveKiosk, type KioskHost } from '../host/kiosk-host.ts';
import { findPanelProfile, panelFacts } from '../panels.ts';
import { ELECTRON_FILES } from './layout.ts';
import { parseElectronConfig } from './config.ts';
import { registerKioskIpc } from './ipc.ts';
import { superviseReaderDaemon, type ReaderDaemon } from './reader-daemon.ts';
import { isAllowedNavigation, reloadDelayMs, windowOptions } from './window.ts';

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
  // Checked before anything starts: a wrong --panel stops the kiosk with the file's error.
  const panel = config.panel
    ? findPanelProfile(config.panel, path.join(__dirname, ELECTRON_FILES.panels))
    : null;
  await app.whenReady();
  Menu.setApplicationMenu(null); // no menu, so no reload / devtools / close accelerators

  let host: KioskHost | undefined;
  let readerDaemon: ReaderDaemon | undefined;
  let url: string;
  if (config.mode === 'attach') {
    url = config.url;
  } else {
    if (config.readerArgs) {
      readerDaemon = superviseReaderDaemon({
        execPath: process.execPath,
        script: readerDaemonScript(),
        args: config.readerArgs,
        logger: logger.child({ component: 'reader-daemon' }),
      });
    }
    host = await serveKiosk({
      serverUrl: config.serverUrl,
      terminalToken: config.terminalToken,
      readerUrl: config.readerUrl,
      ...(config.readerToken && { readerToken: config.readerToken }),
      port: config.port,
      page: {
        ...(panel && { panel: panelFacts(panel) }),
        ...(config.language && { language: config.language }),
      },
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

  // With the host in-process the page reaches it over IPC (ipc.ts), through the same services as
  // its HTTP routes; attached to another process's host, it talks HTTP to that one.
  let closeIpc = host
    ? registerKioskIpc(ipcMain, {
        services: host.services,
        origin,
        logger: logger.child({ component: 'kiosk-ipc' }),
      })
    : undefined;
  const window = new BrowserWindow(
    windowOptions({
      preload: path.join(__dirname, ELECTRON_FILES.preload),
      packaged: app.isPackaged,
      panel,
      bridge: closeIpc !== undefined,
    }),
  );
  const contents = window.webContents;
  let failuresInARow = 0;
  const reload = () => {
    failuresInARow++;
    setTimeout(() => void window.loadURL(url).catch(() => {}), reloadDelayMs(failuresInARow));
  };
  contents.on('did-finish-load', () => (failuresInARow = 0));

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
  // A hung page (an endless loop) never crashes by itself: end it, and the above reloads it.
  contents.on('unresponsive', () => {
    logger.error('kiosk page stopped responding; restarting it');
    contents.forcefullyCrashRenderer();
  });
  if (app.isPackaged) {
    // devTools: false already refuses them; this closes them should anything open them anyway.
    contents.on('devtools-opened', () => contents.closeDevTools());
  }
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
    closeIpc?.();
    closeIpc = undefined;
    if (!host && !readerDaemon) return;
    const closing = [host?.close(), readerDaemon?.stop()];
    host = undefined;
    readerDaemon = undefined;
    event.preventDefault();
    void Promise.allSettled(closing).finally(() => app.quit());
  });

  await window.loadURL(url).catch(() => {
    /* did-fail-load retries */
  });
}

/**
 * The daemon bundle (daemon/scripts/build-service.ts): in the package, electron-builder puts it
 * under the resources directory with the checkout's layout (electron-builder.yml,
 * extraResources), so it finds its reader profiles at ../../hardware-profiles as it does in a
 * checkout, where it is daemon/dist/ beside apps/kiosk/dist/electron/.
 */
function readerDaemonScript(): string {
  return app.isPackaged
    ? path.join(process.resourcesPath, 'daemon', 'dist', 'cardbind-reader.mjs')
    : path.resolve(__dirname, '../../../../daemon/dist/cardbind-reader.mjs');
}

main().catch((error: unknown) => {
  logger.error('the kiosk could not start', { error });
  app.exit(1);
});
