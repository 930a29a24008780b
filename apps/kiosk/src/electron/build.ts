import { cp, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions } from 'esbuild';
import { buildUiAssets } from '../host/ui-build.ts';
import { defaultPanelsDir, loadPanelProfiles } from '../panels.ts';
import { ELECTRON_FILES } from './layout.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** Where `scripts/build-electron.ts` writes, and what electron-builder.yml packages. */
export const ELECTRON_DIST = path.resolve(HERE, '../../dist/electron');

/**
 * Bundles the Electron shell: main and preload as CommonJS (a sandboxed preload cannot be an ES
 * module), with `electron` left to the runtime, plus the prebuilt kiosk UI and the panel
 * profiles, so the packaged app needs neither esbuild nor any node_modules. (The reader daemon
 * is bundled on its own by daemon/scripts/build-service.ts; electron-builder.yml adds it.)
 */
export async function buildElectronApp(outDir = ELECTRON_DIST): Promise<string> {
  const common: BuildOptions = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    external: ['electron'],
    logLevel: 'warning',
    legalComments: 'linked',
  };
  await build({
    ...common,
    entryPoints: [path.join(HERE, 'main.ts')],
    outfile: path.join(outDir, ELECTRON_FILES.main),
    // Shared modules (panels.ts) use `import.meta.url`, which CommonJS lacks: give it the
    // bundle's own URL rather than leaving it empty. (Not for the preload: a sandboxed preload
    // has no `url` module, and it imports nothing that needs this.)
    banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    define: { 'import.meta.url': '__importMetaUrl' },
  });
  await build({
    ...common,
    entryPoints: [path.join(HERE, 'preload.ts')],
    outfile: path.join(outDir, ELECTRON_FILES.preload),
  });
  const ui = await buildUiAssets();
  await mkdir(path.join(outDir, 'ui'), { recursive: true });
  await writeFile(path.join(outDir, ELECTRON_FILES.uiScript), ui.script);
  await writeFile(path.join(outDir, ELECTRON_FILES.uiCss), ui.css);
  // The panel profiles, checked first: a broken one fails the build, not a kiosk at boot.
  loadPanelProfiles();
  await cp(defaultPanelsDir(), path.join(outDir, ELECTRON_FILES.panels), { recursive: true });
  return path.join(outDir, ELECTRON_FILES.main);
}
