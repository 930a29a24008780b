/** Where the portal lives on the server; the client router and the asset URLs use it. */
export const PORTAL_BASE = '/portal';

const escapeAttribute = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/**
 * The one HTML page of the portal. It carries no inline script or style (the CSP forbids
 * both): only links to the hashed bundle and style sheet.
 */
export function renderIndexHtml(assets: { script: string; css: string }): string {
  const script = escapeAttribute(`${PORTAL_BASE}/assets/${assets.script}`);
  const css = escapeAttribute(`${PORTAL_BASE}/assets/${assets.css}`);
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light dark">',
    '<title>Cardbind</title>',
    '<link rel="icon" href="data:,">',
    `<link rel="stylesheet" href="${css}">`,
    `<script type="module" src="${script}"></script>`,
    '</head>',
    '<body>',
    '<div id="app"></div>',
    '<noscript>The Cardbind portal needs JavaScript.</noscript>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
