import type { ErrorBody } from '@cardbind/shared';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { z } from 'zod';
import type { ServerContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { invalidRequest } from './validation.ts';
import { registerAdminRoutes } from './admin-routes.ts';
import { openApiDocument } from './openapi.ts';
import { registerAuthRoutes } from './auth-routes.ts';
import { registerAuthorizationRoutes } from './authorization-routes.ts';
import { registerPrinterRoutes } from './printer-routes.ts';
import { registerPortalRoutes } from './portal-routes.ts';
import { registerSelfServiceRoutes } from './self-service-routes.ts';
import { registerTerminalAdminRoutes } from './terminal-admin-routes.ts';
import { registerTerminalRoutes } from './terminal-routes.ts';
import { registerUserAdminRoutes } from './user-admin-routes.ts';

export interface AppOptions {
  context: ServerContext;
  /** Request bodies above this many bytes are refused with 413. */
  bodyLimit?: number;
}

const ROUTES = new WeakMap<FastifyInstance, string[]>();

/** "post /api/v1/users/:username/otp" for every route of an app made by `buildApp`. */
export function routesOf(app: FastifyInstance): string[] {
  return ROUTES.get(app) ?? [];
}

/** The HTTP API. Every error leaves as `{"error":{"code","message"}}`. */
export function buildApp(options: AppOptions): FastifyInstance {
  const { context } = options;
  const { logger } = context;
  const app = Fastify({ logger: false, bodyLimit: options.bodyLimit ?? 16 * 1024 });
  // Card imports arrive as spreadsheets save them.
  app.addContentTypeParser('text/csv', { parseAs: 'string' }, (_request, body, done) =>
    done(null, body),
  );
  // OAuth 2.0 clients send token requests form-encoded (RFC 6749 §4.3.2).
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );

  // A callback hook, not an async one: it runs for every card swipe, and an async hook costs a
  // promise and a microtask per request for a line that is dropped below --log-level info.
  app.addHook('onResponse', (request, reply, done) => {
    // The route pattern, not the URL: paths and queries can carry usernames and search terms.
    logger.info('request', {
      method: request.method,
      route: request.routeOptions.url ?? '(none)',
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime),
    });
    done();
  });

  app.setErrorHandler((error, request, reply) => {
    const apiError = toApiError(error);
    if (apiError.status >= 500) {
      logger.error('request failed', {
        method: request.method,
        route: request.routeOptions.url,
        error,
      });
    }
    return sendError(reply, apiError);
  });

  app.setNotFoundHandler((request, reply) =>
    sendError(
      reply,
      new ApiError(
        404,
        'not_found',
        `No such endpoint: ${request.method} ${request.url.split('?')[0]}`,
      ),
    ),
  );

  const routes: string[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') routes.push(`${method.toLowerCase()} ${route.url}`);
    }
  });
  ROUTES.set(app, routes);

  app.get('/healthz', async () => ({ status: 'ok' }));
  const openApi = openApiDocument();
  app.get('/api/v1/openapi.json', async () => openApi);

  registerTerminalRoutes(app, context);
  registerAuthRoutes(app, context);
  registerSelfServiceRoutes(app, context);
  registerAdminRoutes(app, context);
  registerUserAdminRoutes(app, context);
  registerPrinterRoutes(app, context);
  registerAuthorizationRoutes(app, context);
  registerTerminalAdminRoutes(app, context);
  registerPortalRoutes(app, context);

  return app;
}

function sendError(reply: FastifyReply, error: ApiError): FastifyReply {
  const body: ErrorBody = { error: { code: error.code, message: error.message } };
  if (error.retryAfterSeconds !== undefined) {
    body.error.retryAfterSeconds = error.retryAfterSeconds;
    void reply.header('retry-after', String(error.retryAfterSeconds));
  }
  if (error.attemptsLeft !== undefined) body.error.attemptsLeft = error.attemptsLeft;
  return reply.status(error.status).send(body);
}

/** Maps framework and validation errors onto the API's error codes. */
function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof z.ZodError) return invalidRequest(error);
  const fastifyError = error as { statusCode?: number; code?: string; message?: string };
  const status = fastifyError.statusCode ?? 500;
  if (status === 413) {
    return new ApiError(413, 'payload_too_large', 'The request body is too large.');
  }
  if (status === 415) {
    return new ApiError(415, 'invalid_request', 'Send the request body as application/json.');
  }
  if (status >= 400 && status < 500) {
    return new ApiError(
      status,
      'invalid_request',
      `Invalid request: ${fastifyError.message ?? 'malformed'}.`,
    );
  }
  return new ApiError(
    500,
    'internal_error',
    'The server failed to handle this request. Try again; if it keeps failing, check the server log.',
  );
}
