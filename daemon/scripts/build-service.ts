/**
 * Bundles the reader daemon for the systemd unit: `npx tsx daemon/scripts/build-service.ts`
 * writes `daemon/dist/cardbind-reader.mjs`. Run from source through tsx, the daemon costs about
 * twice the memory (tsx's loader and esbuild's service process); bundled, node loads one file.
 * Native modules stay outside the bundle: they load their compiled addons from node_modules.
 */
import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '../..');
const outfile = path.join(root, 'daemon/dist/cardbind-reader.mjs');

await build({
  entryPoints: [path.join(root, 'cli/src/reader-service.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // node-hid is imported only when a HID profile is in use; both load native addons. undici is
  // only for sending simulated swipes (imported when one is sent): outside, its megabyte of
  // source is not held in memory by every daemon.
  external: ['node-hid', '@serialport/bindings-cpp', 'undici'],
  // The bundle's source text stays in memory for the life of the process: keep it small, but
  // keep names for readable stack traces in the journal.
  minifyWhitespace: true,
  minifySyntax: true,
  keepNames: true,
  sourcemap: false,
  // Some bundled CommonJS dependencies call require(): give the ES module one.
  banner: {
    js: "import { createRequire as __cardbindRequire } from 'node:module'; const require = __cardbindRequire(import.meta.url);",
  },
  legalComments: 'none',
  logLevel: 'warning',
});
console.error(`Reader daemon bundled into ${path.relative(process.cwd(), outfile)}`);
