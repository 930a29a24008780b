export { buildPortalAssets, portalAssets, type PortalAsset, type PortalAssets } from './build.ts';
export { PORTAL_BASE, renderIndexHtml } from './html.ts';
