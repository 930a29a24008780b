import { API_PREFIX } from '@cardbind/shared';
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.ts';
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

  app.post(`${API_PREFIX}/auth/logout`, async (request, reply) => {
    const principal = await principalOf(context, request);
    if (!principal) throw new ApiError(401, 'unauthorized', 'Not logged in.');
    const { session } = userOf(principal);
    await context.store.sessions.revoke(session.id, context.now().toISOString());
    return reply.status(204).send();
  });
}
