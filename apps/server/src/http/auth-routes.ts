import { API_PREFIX } from '@cardbind/shared';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerContext } from '../context.ts';
import { CookieLoginRequest, PinResetRequest } from './schemas.ts';
import { TokenRequest, type TokenResponse } from '../sessions.ts';
import { hashToken } from '../secrets.ts';
import {
  clearSessionCookies,
  COOKIE_AUTH_PATH,
  csrfTokenFor,
  checkCsrf,
  PORTAL_CLIENT_ID,
  readCookie,
  REFRESH_COOKIE,
  setSessionCookies,
} from './cookie-session.ts';
import { parse } from './validation.ts';
import { principalOf, userOf } from './principal.ts';
import { ApiError } from '../errors.ts';

/** Logging in and out of the portal and clients. */
export function registerAuthRoutes(app: FastifyInstance, context: ServerContext): void {
  app.post(`${API_PREFIX}/auth/token`, async (request, reply) => {
    const tokens = await context.sessions.grant(parse(TokenRequest, request.body), {
      address: request.ip,
      userAgent: request.headers['user-agent'] ?? null,
    });
    // RFC 6749 §5.1: token responses must not be cached.
    return reply.header('cache-control', 'no-store').header('pragma', 'no-cache').send(tokens);
  });

  // MyQ: a forgotten or expired PIN can be regenerated from the login screen; it goes out by
  // e-mail only, and the answer is the same whether or not the account exists.
  app.post(`${API_PREFIX}/auth/pin-reset`, async (request, reply) => {
    const { username } = parse(PinResetRequest, request.body);
    const { throttle, store, credentials, settings } = context;
    const source = { source: request.ip };
    await throttle.assertAllowed([source]);
    // Every request counts, so this cannot be used to flood mailboxes or probe accounts.
    await throttle.recordFailure([source]);
    const { pin } = await settings.get();
    if (!pin.userCanChange || !pin.sendByEmail) {
      throw new ApiError(
        403,
        'forbidden',
        'PINs cannot be reset from the login screen on this site. Ask an administrator for a new PIN.',
      );
    }
    const user = await store.findUserByUsername(username);
    if (user?.email && user.disabledAt === null) await credentials.generatePin(user);
    await store.audit.record({
      at: context.now().toISOString(),
      action: 'pin.reset',
      outcome: user?.email ? 'success' : 'failure',
      actor: `client:${request.ip}`,
      subject: user ? `user:${user.username}` : `unknown:${username}`,
      terminal: null,
      card: null,
      detail: user?.email ? null : 'no such user or no e-mail address',
    });
    return reply.status(202).send({
      result: 'accepted',
      message: 'If this account exists and has an e-mail address, a new PIN is on its way.',
    });
  });

  // --- Browser sessions (the portal): tokens in HttpOnly cookies, CSRF token in a header ---

  app.post(COOKIE_AUTH_PATH, async (request, reply) => {
    const grant = parse(CookieLoginRequest, request.body);
    const tokens = await context.sessions.grant(
      { ...grant, client_id: PORTAL_CLIENT_ID } as TokenRequest,
      { address: request.ip, userAgent: request.headers['user-agent'] ?? null },
    );
    return answerWithCookies(request, reply, tokens);
  });

  app.post(`${COOKIE_AUTH_PATH}/refresh`, async (request, reply) => {
    const refreshToken = readCookie(request, REFRESH_COOKIE);
    const session =
      refreshToken === undefined
        ? undefined
        : await context.store.sessions.findByRefreshHash(
            hashToken(refreshToken),
            context.now().toISOString(),
          );
    if (!refreshToken || !session) {
      clearSessionCookies(reply, request);
      throw new ApiError(401, 'unauthorized', 'Your session has ended. Log in again.');
    }
    checkCsrf(context.serverKey, request, session.id);
    const tokens = await context.sessions.grant(
      { grant_type: 'refresh_token', client_id: session.clientId, refresh_token: refreshToken },
      { address: request.ip, userAgent: request.headers['user-agent'] ?? null },
    );
    return answerWithCookies(request, reply, tokens);
  });

  app.post(`${COOKIE_AUTH_PATH}/logout`, async (request, reply) => {
    const principal = await principalOf(context, request);
    if (principal?.kind === 'user') {
      await context.store.sessions.revoke(principal.session.id, context.now().toISOString());
    }
    clearSessionCookies(reply, request);
    return reply.status(204).send();
  });

  async function answerWithCookies(
    request: FastifyRequest,
    reply: FastifyReply,
    tokens: TokenResponse,
  ) {
    const session = await context.sessions.authenticate(tokens.access_token);
    if (!session)
      throw new ApiError(500, 'internal_error', 'The new session could not be read back.');
    setSessionCookies(reply, request, tokens);
    return reply.header('cache-control', 'no-store').send({
      csrfToken: csrfTokenFor(context.serverKey, session.session.id),
      expiresIn: tokens.expires_in,
    });
  }

  app.post(`${API_PREFIX}/auth/logout`, async (request, reply) => {
    const principal = await principalOf(context, request);
    if (!principal) throw new ApiError(401, 'unauthorized', 'Not logged in.');
    const { session } = userOf(principal);
    await context.store.sessions.revoke(session.id, context.now().toISOString());
    return reply.status(204).send();
  });
}
