import {
  API_PREFIX,
  CardAuthRequest,
  EnrollRequest,
  TerminalLoginRequest,
  type ErrorBody,
} from '@cardbind/shared';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ServerContext } from '../context.ts';
import { adminUnauthorized, ApiError, terminalUnauthorized } from '../errors.ts';
import { hashToken } from '../secrets.ts';
import type { ApiTokenRecord, TerminalRecord } from '../store/store.ts';

export interface AppOptions {
  context: ServerContext;
  /** Request bodies above this many bytes are refused with 413. */
  bodyLimit?: number;
}

const Page = {
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
};
const CardListQuery = z.strictObject(Page);
const AuditQuery = z.strictObject({
  ...Page,
  action: z.string().max(100).optional(),
  actor: z.string().max(300).optional(),
  subject: z.string().max(300).optional(),
  outcome: z.enum(['success', 'failure', 'denied']).optional(),
  from: z.iso.datetime().optional(),
  to: z.iso.datetime().optional(),
});
const UserParams = z.strictObject({ username: z.string().min(1).max(128) });

/** The HTTP API. Every error leaves as `{"error":{"code","message"}}`. */
export function buildApp(options: AppOptions): FastifyInstance {
  const { context } = options;
  const { store, terminals, logger, admin, settings, credentials } = context;
  const app = Fastify({ logger: false, bodyLimit: options.bodyLimit ?? 16 * 1024 });

  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, not the URL: paths and queries can carry usernames and search terms.
    logger.info('request', {
      method: request.method,
      route: request.routeOptions.url ?? '(none)',
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime),
    });
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

  app.get('/healthz', async () => ({ status: 'ok' }));

  const authenticateTerminal = async (request: FastifyRequest): Promise<TerminalRecord> => {
    const token = bearerToken(request);
    const terminal = token === undefined ? undefined : await terminals.authenticate(token);
    if (!terminal) throw terminalUnauthorized();
    return terminal;
  };

  const authenticateAdmin = async (request: FastifyRequest): Promise<ApiTokenRecord> => {
    const token = bearerToken(request);
    const found =
      token === undefined ? undefined : await store.findApiTokenByHash(hashToken(token));
    if (!found) throw adminUnauthorized();
    return found;
  };

  // --- Terminals (kiosks, MFD panels) ---

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

  app.post(`${API_PREFIX}/terminal/login`, async (request) => {
    const terminal = await authenticateTerminal(request);
    return terminals.login(terminal, parse(TerminalLoginRequest, request.body));
  });

  app.get(`${API_PREFIX}/terminal/policy`, async (request) => {
    await authenticateTerminal(request);
    const current = await settings.get();
    return {
      enrollmentMethods: current.enrollment.methods,
      loginMethods: current.terminalLogin.methods,
    };
  });

  // --- Administration (admin API tokens) ---

  app.get(`${API_PREFIX}/cards`, async (request) => {
    await authenticateAdmin(request);
    const page = parse(CardListQuery, request.query);
    return { cards: await store.listCards(page) };
  });

  app.post(`${API_PREFIX}/users/:username/otp`, async (request, reply) => {
    const token = await authenticateAdmin(request);
    const { username } = parse(UserParams, request.params);
    const otp = await admin.generateOtp(username);
    await auditAdmin(context, token, 'otp.generate', username);
    return reply.status(201).header('cache-control', 'no-store').send(otp);
  });

  app.post(`${API_PREFIX}/users/:username/pin`, async (request, reply) => {
    const token = await authenticateAdmin(request);
    const { username } = parse(UserParams, request.params);
    const pin = await admin.generatePin(username);
    await auditAdmin(context, token, 'pin.generate', username);
    return reply.status(201).header('cache-control', 'no-store').send(pin);
  });

  app.post(`${API_PREFIX}/users/:username/unlock`, async (request, reply) => {
    const token = await authenticateAdmin(request);
    const { username } = parse(UserParams, request.params);
    await admin.unlock(username);
    await auditAdmin(context, token, 'account.unlock', username);
    return reply.status(204).send();
  });

  app.get(`${API_PREFIX}/settings`, async (request) => {
    await authenticateAdmin(request);
    return settings.get();
  });

  app.put(`${API_PREFIX}/settings`, async (request) => {
    const token = await authenticateAdmin(request);
    const updated = await settings.replace(request.body ?? {});
    await auditAdmin(context, token, 'settings.update', null);
    return updated;
  });

  app.get(`${API_PREFIX}/pin-policy`, async (request) => {
    await authenticateAdmin(request);
    const status = await credentials.pinPolicy();
    return {
      ...status,
      warning:
        status.pinsTooShort > 0
          ? `${status.pinsTooShort} PIN(s) are shorter than the ${status.minimumLength} digits ${status.users} users need; regenerate them.`
          : null,
    };
  });

  app.get(`${API_PREFIX}/audit`, async (request) => {
    await authenticateAdmin(request);
    return { events: await store.audit.list(parse(AuditQuery, request.query)) };
  });

  return app;
}

async function auditAdmin(
  context: ServerContext,
  token: ApiTokenRecord,
  action: string,
  username: string | null,
): Promise<void> {
  await context.store.audit.record({
    at: new Date().toISOString(),
    action,
    outcome: 'success',
    actor: `admin-token:${token.name}`,
    subject: username === null ? null : `user:${username}`,
    terminal: null,
    card: null,
    detail: null,
  });
}

function bearerToken(request: FastifyRequest): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return match?.[1];
}

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  throw invalidRequest(result.error);
}

export function invalidRequest(error: z.ZodError): ApiError {
  const issue = error.issues[0];
  const where = issue?.path.length ? issue.path.join('.') : 'body';
  const message =
    issue?.code === 'unrecognized_keys'
      ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`
      : (issue?.message ?? 'invalid');
  return new ApiError(400, 'invalid_request', `Invalid request: ${where}: ${message}.`);
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
