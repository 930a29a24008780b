import {
  API_PREFIX,
  CardAuthRequest,
  EnrollRequest,
  type ErrorBody,
  type Logger,
} from '@cardbind/shared';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { adminUnauthorized, ApiError, terminalUnauthorized } from '../errors.ts';
import { hashToken } from '../secrets.ts';
import type { TerminalService } from '../services.ts';
import type { Store, TerminalRecord } from '../store/store.ts';

export interface AppOptions {
  store: Store;
  terminals: TerminalService;
  logger: Logger;
  /** Request bodies above this many bytes are refused with 413. */
  bodyLimit?: number;
}

const CardListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

/** The HTTP API. Every error leaves as `{"error":{"code","message"}}`. */
export function buildApp(options: AppOptions): FastifyInstance {
  const { store, terminals, logger } = options;
  const app = Fastify({ logger: false, bodyLimit: options.bodyLimit ?? 16 * 1024 });

  app.addHook('onResponse', async (request, reply) => {
    // URL without query: queries may one day carry search terms that are personal data.
    logger.info('request', {
      method: request.method,
      path: request.routeOptions.url ?? request.url.split('?')[0],
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime),
    });
  });

  app.setErrorHandler((error, request, reply) => {
    const apiError = toApiError(error);
    if (apiError.status >= 500) {
      logger.error('request failed', { method: request.method, path: request.url, error });
    }
    return reply.status(apiError.status).send(errorBody(apiError));
  });

  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send(
        errorBody(
          new ApiError(404, 'not_found', `No such endpoint: ${request.method} ${request.url}`),
        ),
      ),
  );

  app.get('/healthz', async () => ({ status: 'ok' }));

  const authenticateTerminal = async (request: FastifyRequest): Promise<TerminalRecord> => {
    const token = bearerToken(request);
    const terminal = token === undefined ? undefined : await terminals.authenticate(token);
    if (!terminal) throw terminalUnauthorized();
    return terminal;
  };

  app.post(`${API_PREFIX}/terminal/card-auth`, async (request) => {
    const terminal = await authenticateTerminal(request);
    const body = parse(CardAuthRequest, request.body);
    return terminals.cardAuth(terminal, body.cardId);
  });

  app.post(`${API_PREFIX}/terminal/enroll`, async (request, reply) => {
    const terminal = await authenticateTerminal(request);
    const body = parse(EnrollRequest, request.body);
    const result = await terminals.enroll(terminal, body);
    return reply.status(201).send(result);
  });

  app.get(`${API_PREFIX}/cards`, async (request) => {
    const token = bearerToken(request);
    const admin =
      token === undefined ? undefined : await store.findApiTokenByHash(hashToken(token));
    if (!admin) throw adminUnauthorized();
    const page = parse(CardListQuery, request.query);
    return { cards: await store.listCards(page) };
  });

  return app;
}

function bearerToken(request: FastifyRequest): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return match?.[1];
}

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue?.path.length ? issue.path.join('.') : 'body';
  const message =
    issue?.code === 'unrecognized_keys'
      ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`
      : (issue?.message ?? 'invalid');
  throw new ApiError(400, 'invalid_request', `Invalid request: ${where}: ${message}.`);
}

function errorBody(error: ApiError): ErrorBody {
  return { error: { code: error.code, message: error.message } };
}

/** Maps framework errors (bad JSON, too large, wrong content type) onto the API's error codes. */
function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
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
