import { PORTAL_BASE, portalAssets } from '@cardbind/portal';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ServerContext } from '../context.ts';
import { ApiError } from '../errors.ts';

/**
 * The portal's page loads only its own script and style sheet and talks only to its own
 * origin: no inline script or style, no framing, no plugins, forms are handled by script.
 */
export const PORTAL_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const PORTAL_HEADERS: Record<string, string> = {
  'content-security-policy': PORTAL_CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

const ASSET_PREFIX = 'assets/';

/**
 * The web portal at `/portal`: the index page for `/portal` and every client route under it
 * (never cached, so a new release is picked up at once), and the content-hashed assets under
 * `/portal/assets/` (cached for a year). The bundle is built in memory on the first request.
 *
 * Registered routes: `GET /portal` and `GET /portal/*` (not API operations).
 */
export function registerPortalRoutes(app: FastifyInstance, context: ServerContext): void {
  const load = async () => {
    try {
      return await portalAssets();
    } catch (error) {
      context.logger.error('portal build failed', { error });
      throw new ApiError(
        500,
        'internal_error',
        'The portal could not be built. Check the server log.',
      );
    }
  };

  const sendIndex = async (reply: FastifyReply) => {
    const { html } = await load();
    return reply
      .headers(PORTAL_HEADERS)
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(html);
  };

  app.get(PORTAL_BASE, async (_request, reply) => sendIndex(reply));

  app.get(`${PORTAL_BASE}/*`, async (request, reply) => {
    const rest = (request.params as { '*'?: string })['*'] ?? '';
    if (!rest.startsWith(ASSET_PREFIX)) return sendIndex(reply);
    const asset = (await load()).assets.get(rest.slice(ASSET_PREFIX.length));
    if (!asset) {
      throw new ApiError(404, 'not_found', 'No such portal file. Reload the page.');
    }
    return reply
      .headers(PORTAL_HEADERS)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .type(asset.contentType)
      .send(asset.body);
  });
}
