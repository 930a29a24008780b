/** File names inside the Electron build directory: build.ts writes them, main.ts reads them. */
export const ELECTRON_FILES = {
  main: 'main.cjs',
  preload: 'preload.cjs',
  uiScript: 'ui/kiosk.js',
  uiCss: 'ui/kiosk.css',
  /** Copies of hardware-profiles/panels/*.json, for `--panel ID`. */
  panels: 'panels',
} as const;
