import { fileURLToPath } from 'node:url';

/** The kiosk page's script and style sheet, ready to serve. */
export interface UiAssets {
  script: string;
  css: string;
}

const ENTRY = fileURLToPath(new URL('../ui/main.tsx', import.meta.url));

/**
 * Bundles the Preact UI in memory with esbuild: one minified ES module and one style sheet.
 * esbuild is loaded only here, so the packaged Electron app (which ships prebuilt assets) never
 * needs it.
 */
export async function buildUiAssets(): Promise<UiAssets> {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    write: false,
    outdir: 'kiosk-ui',
    entryNames: 'kiosk',
    format: 'esm',
    platform: 'browser',
    target: ['chrome109'],
    minify: true,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  const output = (extension: string) => {
    const file = result.outputFiles.find((f) => f.path.endsWith(extension));
    if (!file) throw new Error(`The kiosk UI build produced no ${extension} file.`);
    return file.text;
  };
  return { script: output('.js'), css: output('.css') };
}
