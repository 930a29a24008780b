import { fileURLToPath } from 'node:url';

/** The kiosk page's script and style sheet, ready to serve. */
export interface UiAssets {
  script: string;
  css: string;
}

export interface UiBuildOptions {
  /** The page's entry module: the kiosk UI unless a browser test bundles a harness page. */
  entry?: string;
  /**
   * The entry must bring a style sheet (the kiosk UI, whose screens are unusable without it);
   * a harness page that tests behaviour alone may have none and gets an empty one.
   */
  requireCss?: boolean;
}

const KIOSK_UI_ENTRY = fileURLToPath(new URL('../ui/main.tsx', import.meta.url));

/**
 * Bundles a Preact page in memory with esbuild: one minified ES module and one style sheet.
 * The kiosk UI by default; the UI pieces' browser tests bundle their harness pages here too, so
 * what they test is built the way the kiosk builds it. esbuild is loaded only here, so the
 * packaged Electron app (which ships prebuilt assets) never needs it.
 */
export async function buildUiAssets({
  entry = KIOSK_UI_ENTRY,
  requireCss = true,
}: UiBuildOptions = {}): Promise<UiAssets> {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    // Nothing is written: the directory and name only label the files esbuild returns.
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
  const output = (extension: string) =>
    result.outputFiles.find((file) => file.path.endsWith(extension))?.text;
  const script = output('.js');
  if (script === undefined) throw new Error(`The UI build of ${entry} produced no script.`);
  const css = output('.css');
  if (css === undefined && requireCss) {
    throw new Error(
      `The UI build of ${entry} produced no style sheet: the entry must import its CSS.`,
    );
  }
  return { script, css: css ?? '' };
}
