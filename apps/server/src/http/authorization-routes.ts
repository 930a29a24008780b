import { PORTAL_BASE } from '@cardbind/portal';
import { API_PREFIX } from '@cardbind/shared';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ServerContext } from '../context.ts';
import { DEFAULT_STATE_TTL_MS } from '../oauth/authorizations.ts';
import { readCookie } from './cookie-session.ts';
import { ConnectorParams, OAuthCallbackQuery } from './printer-schemas.ts';
import { auditAction, bearerToken, requirePermissions, userOf } from './principal.ts';
import { parse } from './validation.ts';

export const OAUTH_CALLBACK_PATH = `${API_PREFIX}/oauth/callback`;
/** Ties a flow to the browser that started it; only ever sent to the callback. */
const BINDING_COOKIE = 'cardbind_oauth';
/** The portal tab that shows how a flow ended. */
const RESULT_PAGE = `${PORTAL_BASE}/profile/authorizations`;

function bindingCookie(request: FastifyRequest, value: string, maxAgeSeconds: number): string {
  return [
    `${BINDING_COOKIE}=${value}`,
    `Path=${OAUTH_CALLBACK_PATH}`,
    `Max-Age=${maxAgeSeconds}`,
    'HttpOnly',
    // Lax, not Strict: the provider sends the browser back with a cross-site top-level GET.
    'SameSite=Lax',
    ...(request.protocol === 'https' ? ['Secure'] : []),
  ].join('; ');
}

/** "My profile → Authorizations" and the OAuth 2.0 redirect URI. */
export function registerAuthorizationRoutes(app: FastifyInstance, context: ServerContext): void {
  const { authorizations } = context;

  app.get(`${API_PREFIX}/me/authorizations`, async (request) => {
    const principal = await requirePermissions(context, request, 'ViewMyProfile');
    return { authorizations: await authorizations.list(userOf(principal).user) };
  });

  app.post(`${API_PREFIX}/me/authorizations/:type/start`, async (request, reply) => {
    const principal = await requirePermissions(context, request, 'ModifyMyProfile');
    const { user, session } = userOf(principal);
    const { type } = parse(ConnectorParams, request.params);
    const redirectUri =
      authorizations.configuredRedirectUri ??
      `${request.protocol}://${request.host}${OAUTH_CALLBACK_PATH}`;
    // A portal (cookie) session is a browser: bind the flow to it. API clients with a bearer
    // token open the URL in a browser of their choice, so only their session binds it.
    const inBrowser = bearerToken(request) === undefined;
    const { redirectUrl, binding } = await authorizations.start(
      user,
      session,
      type,
      redirectUri,
      inBrowser,
    );
    if (binding !== null) {
      void reply.header(
        'set-cookie',
        bindingCookie(request, binding, Math.floor(DEFAULT_STATE_TTL_MS / 1000)),
      );
    }
    return reply.header('cache-control', 'no-store').send({ redirectUrl });
  });

  app.delete(`${API_PREFIX}/me/authorizations/:type`, async (request, reply) => {
    const principal = await requirePermissions(context, request, 'ModifyMyProfile');
    const { user } = userOf(principal);
    const { type } = parse(ConnectorParams, request.params);
    const { atProvider } = await authorizations.revoke(user, type);
    await auditAction(context, principal, 'authorization.revoke', {
      subject: `connector:${type}`,
      detail: `at provider: ${atProvider.replace('_', ' ')}`,
    });
    return reply.status(204).send();
  });

  app.get(OAUTH_CALLBACK_PATH, async (request, reply) => {
    const parsed = OAuthCallbackQuery.safeParse(request.query ?? {});
    const { type, result } = parsed.success
      ? await authorizations.complete(parsed.data, readCookie(request, BINDING_COOKIE))
      : { type: null, result: 'invalid_state' as const };
    const target = new URLSearchParams({ result, ...(type ? { connector: type } : {}) });
    return reply
      .header('set-cookie', bindingCookie(request, '', 0))
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer')
      .redirect(`${RESULT_PAGE}?${target.toString()}`, 303);
  });
}
