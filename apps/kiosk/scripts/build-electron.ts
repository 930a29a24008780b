/**
 * Builds the Electron shell into apps/kiosk/dist/electron/ for electron-builder:
 *   npx tsx apps/kiosk/scripts/build-electron.ts && npx electron-builder --config electron-builder.yml
 */
import { buildElectronApp } from '../src/electron/build.ts';

const main = await buildElectronApp();
process.stdout.write(`Built the Electron kiosk: ${main}\n`);
