import { serveKiosk, type KioskHost, type KioskHostOptions } from './kiosk-host.ts';
import { buildUiAssets } from './ui-build.ts';

/**
 * Starts the kiosk host on 127.0.0.1: builds the UI once, in memory, then serves the page, its
 * same-origin API (forwarded to the Cardbind server with the terminal token) and the reader feed.
 */
export async function startKioskHost(options: KioskHostOptions): Promise<KioskHost> {
  return serveKiosk({ ...options, ui: await buildUiAssets() });
}
