import { createServer } from 'node:http';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import type { ServerContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { apiErrorOf, errorAnswer, logRequest } from './answers.ts';
import { createSwipeFastPath } from './swipe-fast-path.ts';
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

/** Fastify's defaults (keep-alive longer than a panel's idle minute; no request deadline). */
const SERVER_TIMEOUTS = { keepAliveTimeout: 72_000, requestTimeout: 0, connectionTimeout: 0 };

const ROUTES = new WeakMap<FastifyInstance, string[]>();

/** "post /api/v1/users/:username/otp" for every route of an app made by `buildApp`. */
export function routesOf(app: FastifyInstance): string[] {
  return ROUTES.get(app) ?? [];
}

/** The HTTP API. Every error leaves as `{"error":{"code","message"}}`. */
export function buildApp(options: AppOptions): FastifyInstance {
  const { context } = options;
  const { logger } = context;
  // Card swipes skip Fastify (swipe-fast-path.ts); the server is made here to put that path first.
  const app = Fastify({
    logger: false,
    bodyLimit: options.bodyLimit ?? 16 * 1024,
    serverFactory: (handler) => {
      const server = createServer((request, response) => {
        if (!fastPath.handle(request, response)) handler(request, response);
      });
      // Fastify sets these only on a server it makes itself.
      server.keepAliveTimeout = SERVER_TIMEOUTS.keepAliveTimeout;
      server.requestTimeout = SERVER_TIMEOUTS.requestTimeout;
      server.setTimeout(SERVER_TIMEOUTS.connectionTimeout);
      return server;
    },
  });
  // Requests arrive only once the app listens, after this is set.
  const fastPath = createSwipeFastPath(app, context);
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
    const route = request.routeOptions.url ?? '(none)';
    logRequest(logger, request.method, route, reply.statusCode, reply.elapsedTime);
    done();
  });

  app.setErrorHandler((error, request, reply) =>
    sendError(reply, apiErrorOf(error, logger, request.method, request.routeOptions.url)),
  );

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
  const { body, headers } = errorAnswer(error);
  return reply.status(error.status).headers(headers).send(body);
}
