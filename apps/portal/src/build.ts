import { fileURLToPath } from 'node:url';
import { renderIndexHtml } from './html.ts';

/** One file the server hands out under `/portal/assets/`. */
export interface PortalAsset {
  contentType: string;
  body: string;
}

/** The built portal: its index page and its content-hashed, immutable assets by file name. */
export interface PortalAssets {
  html: string;
  assets: Map<string, PortalAsset>;
}

const ENTRY = fileURLToPath(new URL('./ui/main.tsx', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/**
 * Bundles the Preact app in memory with esbuild: one minified ES module and one style sheet,
 * both named by a hash of their content so browsers may cache them forever. esbuild is loaded
 * only here.
 */
export async function buildPortalAssets(): Promise<PortalAssets> {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    write: false,
    outdir: 'portal-assets',
    entryNames: 'portal-[hash]',
    format: 'esm',
    platform: 'browser',
    target: ['chrome109', 'firefox115', 'safari16'],
    minify: true,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  const assets = new Map<string, PortalAsset>();
  let script: string | undefined;
  let css: string | undefined;
  for (const file of result.outputFiles) {
    const name = file.path.split(/[\\/]/).pop() ?? '';
    const extension = name.slice(name.lastIndexOf('.'));
    const contentType = CONTENT_TYPES[extension];
    if (!contentType) continue;
    assets.set(name, { contentType, body: file.text });
    if (extension === '.js') script = name;
    else css = name;
  }
  if (!script || !css) throw new Error('The portal build produced no script or no style sheet.');
  return { html: renderIndexHtml({ script, css }), assets };
}

let built: Promise<PortalAssets> | undefined;

/** The portal, built once per process on first use (a failed build is tried again next time). */
export function portalAssets(): Promise<PortalAssets> {
  built ??= buildPortalAssets().catch((error: unknown) => {
    built = undefined;
    throw error;
  });
  return built;
}
