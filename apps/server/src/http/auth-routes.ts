import { API_PREFIX } from '@cardbind/shared';
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.ts';
import { PinResetRequest } from './schemas.ts';
import { TokenRequest } from '../sessions.ts';
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

  app.post(`${API_PREFIX}/auth/logout`, async (request, reply) => {
    const principal = await principalOf(context, request);
    if (!principal) throw new ApiError(401, 'unauthorized', 'Not logged in.');
    const { session } = userOf(principal);
    await context.store.sessions.revoke(session.id, context.now().toISOString());
    return reply.status(204).send();
  });
}
