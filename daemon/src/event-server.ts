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

const HEARTBEAT_MS = 15_000;
const BODY_LIMIT = 4096;

export interface EventServerOptions {
  port: number;
  /** When set, the event stream and simulated swipes need `Authorization: Bearer <token>`. */
  token?: string;
  logger: Logger;
  /** A simulated read arrived (`cardbind swipe`); false when it is not a card id. */
  onSimulate(request: SimulateRequest): boolean;
  /** For `GET /healthz`: the readers and their state. */
  readers(): ReaderStatus[];
}

export interface EventServer {
  port: number;
  publishCard(event: CardEvent): void;
  publishReader(status: ReaderStatus): void;
  close(): Promise<void>;
}

/**
 * The daemon's loopback HTTP face: the Server-Sent Events stream of card and reader events for
 * the kiosk, and the simulated-swipe endpoint.
 */
export async function startEventServer(options: EventServerOptions): Promise<EventServer> {
  const clients = new Set<ServerResponse>();
  const send = (event: string, data: unknown) => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const client of clients) client.write(frame);
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      options.logger.error('request failed', { path: request.url, error });
      if (!response.headersSent)
        fail(response, 500, 'internal_error', 'The reader daemon failed; see its log.');
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const protectedPath =
      url.pathname === READER_EVENTS_PATH || url.pathname === READER_SIMULATE_PATH;
    if (protectedPath && options.token !== undefined && !hasToken(request, options.token)) {
      return fail(
        response,
        401,
        'unauthorized',
        'The reader daemon needs its token: send "Authorization: Bearer <token>" (CARDBIND_READER_TOKEN).',
      );
    }
    if (request.method === 'GET' && url.pathname === READER_EVENTS_PATH) {
      response.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
      });
      // Reconnect quickly: the kiosk must not miss a swipe for long after a daemon restart.
      response.write('retry: 1000\n\n');
      for (const status of options.readers())
        response.write(`event: reader\ndata: ${JSON.stringify(status)}\n\n`);
      clients.add(response);
      request.on('close', () => clients.delete(response));
      return;
    }
    if (request.method === 'POST' && url.pathname === READER_SIMULATE_PATH) {
      if (!/^application\/json\b/i.test(request.headers['content-type'] ?? '')) {
        return fail(response, 415, 'invalid_request', 'Send the body as application/json.');
      }
      const body = await readBody(request);
      if (body === undefined)
        return fail(
          response,
          413,
          'payload_too_large',
          `The body is larger than ${BODY_LIMIT} bytes.`,
        );
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
          'Invalid request: cardId: not a card number (printable characters, no inner spaces).',
        );
      }
      response.writeHead(202, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ accepted: true }));
      return;
    }
    if (request.method === 'GET' && url.pathname === '/healthz') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ status: 'ok', readers: options.readers() }));
      return;
    }
    fail(response, 404, 'not_found', `No such endpoint: ${request.method} ${url.pathname}`);
  }

  const heartbeat = setInterval(() => {
    for (const client of clients) client.write(': heartbeat\n\n');
  }, HEARTBEAT_MS);
  heartbeat.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // Loopback only: card numbers never leave this machine through the daemon.
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;

  return {
    port,
    publishCard: (event) => send('card', event),
    publishReader: (status) => send('reader', status),
    async close() {
      clearInterval(heartbeat);
      for (const client of clients) client.end();
      clients.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function hasToken(request: IncomingMessage, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  const given = Buffer.from(match?.[1] ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function fail(response: ServerResponse, status: number, code: ErrorCode, message: string): void {
  const body: ErrorBody = { error: { code, message } };
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

/** The request body as text, or undefined when it exceeds the limit. */
async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > BODY_LIMIT) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
