import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  READER_EVENTS_PATH,
  READER_SIMULATE_PATH,
  SimulateRequest,
  type CardEvent,
  type ErrorBody,
  type ErrorCode,
  type Logger,
  type ReaderStatus,
} from '@cardbind/shared';

export const HEALTH_PATH = '/healthz';
const HEARTBEAT_MS = 15_000;
const BODY_LIMIT = 4096;
/** Unsent bytes after which a subscriber that does not read is dropped (it reconnects). */
const MAX_BACKLOG_BYTES = 1 << 20;
/**
 * Host names a loopback client uses. Anything else is a web page that rebound its own domain
 * to 127.0.0.1 (DNS rebinding) to read card numbers from the stream or to inject swipes.
 */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export interface EventServerOptions {
  port: number;
  /** When set, the event stream and simulated swipes need `Authorization: Bearer <token>`. */
  token?: string;
  logger: Logger;
  /** A simulated read arrived (`cardbind swipe`); false when it is not a card id. */
  onSimulate(request: SimulateRequest): boolean;
  /** For `GET /healthz`: the readers and their state. */
  readers(): ReaderStatus[];
  /** Between SSE keep-alive comments; 15 s unless a test needs them sooner. */
  heartbeatMs?: number;
}

export interface EventServer {
  port: number;
  /** Subscribers of the event stream right now. */
  readonly subscribers: number;
  publishCard(event: CardEvent): void;
  publishReader(status: ReaderStatus): void;
  close(): Promise<void>;
}

/** Methods each endpoint answers, for 404 versus 405. */
const ENDPOINTS = new Map([
  [READER_EVENTS_PATH, 'GET'],
  [READER_SIMULATE_PATH, 'POST'],
  [HEALTH_PATH, 'GET'],
]);

/**
 * The daemon's loopback HTTP face: the Server-Sent Events stream of card and reader events for
 * the kiosk, the simulated-swipe endpoint, and a health check.
 */
export async function startEventServer(options: EventServerOptions): Promise<EventServer> {
  const { logger } = options;
  const clients = new Set<ServerResponse>();
  const sendFrame = (client: ServerResponse, frame: string) => {
    if (client.writableLength > MAX_BACKLOG_BYTES) {
      // A stuck subscriber must not hold the daemon's memory; a live one reconnects.
      logger.warn('dropped an event subscriber that does not read');
      clients.delete(client);
      client.destroy();
      return;
    }
    client.write(frame);
  };
  const broadcast = (frame: string) => {
    for (const client of clients) sendFrame(client, frame);
  };
  const eventFrame = (event: string, data: unknown) =>
    `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      logger.error('request failed', { path: request.url, error });
      if (!response.headersSent)
        fail(response, 500, 'internal_error', 'The reader daemon failed; see its log.');
      else response.destroy();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!fromLoopbackName(request)) {
      return fail(
        response,
        403,
        'forbidden',
        'The reader daemon answers only requests addressed to 127.0.0.1 or localhost.',
      );
    }
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const method = ENDPOINTS.get(url.pathname);
    if (method === undefined) {
      return fail(response, 404, 'not_found', `No such endpoint: ${url.pathname}`);
    }
    if (request.method !== method) {
      response.setHeader('allow', method);
      return fail(
        response,
        405,
        'method_not_allowed',
        `${url.pathname} answers ${method}, not ${request.method}.`,
      );
    }
    if (url.pathname !== HEALTH_PATH && options.token !== undefined) {
      if (!hasToken(request, options.token)) {
        return fail(
          response,
          401,
          'unauthorized',
          'The reader daemon needs its token: send "Authorization: Bearer <token>" (CARDBIND_READER_TOKEN).',
        );
      }
    }
    if (url.pathname === READER_EVENTS_PATH) return subscribe(response);
    if (url.pathname === READER_SIMULATE_PATH) return simulate(request, response);
    sendJson(response, 200, { status: 'ok', readers: options.readers() });
  }

  function subscribe(response: ServerResponse): void {
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      // No proxy sits on loopback, but one buffering the stream would hold swipes back.
      'x-accel-buffering': 'no',
    });
    // Reconnect quickly: the kiosk must not miss a swipe for long after a daemon restart.
    response.write('retry: 1000\n\n');
    // A new subscriber learns where every reader stands without waiting for a change.
    for (const status of options.readers()) response.write(eventFrame('reader', status));
    clients.add(response);
    response.on('close', () => clients.delete(response));
    logger.debug('event subscriber connected', { subscribers: clients.size });
  }

  async function simulate(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!/^application\/json\b/i.test(request.headers['content-type'] ?? '')) {
      return fail(response, 415, 'invalid_request', 'Send the body as application/json.');
    }
    const body = await readBody(request);
    if (body === undefined) {
      // The rest of the body stays unread: close the connection rather than reuse it.
      response.setHeader('connection', 'close');
      return fail(
        response,
        413,
        'payload_too_large',
        `The body is larger than ${BODY_LIMIT} bytes.`,
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return fail(response, 400, 'invalid_request', 'The body is not valid JSON.');
    }
    const parsed = SimulateRequest.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return fail(
        response,
        400,
        'invalid_request',
        `Invalid request: ${issue?.path.join('.') || 'body'}: ${issue?.message}.`,
      );
    }
    if (!options.onSimulate(parsed.data)) {
      return fail(
        response,
        400,
        'invalid_request',
        'Invalid request: cardId: not a card number (printable ASCII, no inner spaces).',
      );
    }
    sendJson(response, 202, { accepted: true });
  }

  const heartbeat = setInterval(
    () => broadcast(': heartbeat\n\n'),
    options.heartbeatMs ?? HEARTBEAT_MS,
  );
  // The heartbeat alone must not keep a process alive whose daemon was never closed.
  heartbeat.unref();

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      // Loopback only: card numbers never leave this machine through the daemon.
      server.listen(options.port, '127.0.0.1', () => resolve());
    });
  } catch (error) {
    clearInterval(heartbeat);
    if ((error as { code?: string }).code === 'EADDRINUSE') {
      throw new Error(
        `Port ${options.port} on 127.0.0.1 is in use: is another reader daemon running? Stop it, or choose another --port.`,
        { cause: error },
      );
    }
    throw error;
  }
  server.on('error', (error) => logger.error('event server failed', { error }));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;

  let closing: Promise<void> | undefined;
  return {
    port,
    get subscribers() {
      return clients.size;
    },
    publishCard: (event) => broadcast(eventFrame('card', event)),
    publishReader: (status) => broadcast(eventFrame('reader', status)),
    close() {
      closing ??= new Promise<void>((resolve) => {
        clearInterval(heartbeat);
        for (const client of clients) client.end();
        clients.clear();
        server.close(() => resolve());
        // Cut every connection rather than wait: event streams never end by themselves, and
        // HTTP clients keep idle and spare connections open for seconds. A swipe in flight
        // at shutdown is lost either way.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function fromLoopbackName(request: IncomingMessage): boolean {
  const host = request.headers.host;
  // HTTP/1.0 clients may send no Host; they cannot be a browser doing DNS rebinding.
  if (host === undefined) return true;
  const name = host.replace(/:\d+$/, '').toLowerCase();
  return LOOPBACK_HOSTS.has(name);
}

function hasToken(request: IncomingMessage, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  const given = Buffer.from(match?.[1] ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

function fail(response: ServerResponse, status: number, code: ErrorCode, message: string): void {
  const body: ErrorBody = { error: { code, message } };
  sendJson(response, status, body);
}

/** The request body as text, or undefined when it exceeds the limit. */
async function readBody(request: IncomingMessage): Promise<string | undefined> {
  // Refuse an announced oversize body before reading any of it.
  if (Number(request.headers['content-length'] ?? 0) > BODY_LIMIT) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > BODY_LIMIT) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
