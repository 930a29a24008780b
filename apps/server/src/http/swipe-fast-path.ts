import type { IncomingMessage, ServerResponse } from 'node:http';
import { API_PREFIX, CardAuthRequest } from '@cardbind/shared';
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.ts';
import { terminalRefusal } from '../errors.ts';
import { apiErrorOf, errorAnswer, logRequest } from './answers.ts';
import { bearerOf } from './principal.ts';

export const CARD_AUTH_PATH = `${API_PREFIX}/terminal/card-auth`;

/** A swipe's body is `{"cardId":"…"}`: anything longer is left to Fastify and its body limit. */
const MAX_FAST_BODY = 1024;
const JSON_TYPE = /^application\/json\s*(;\s*charset=utf-8\s*)?$/i;
/** What secure-json-parse (Fastify's JSON parser) refuses; such a body goes to Fastify. */
const PROTO_KEYS = /__proto__|constructor/;
/**
 * Headers of an injected answer that belong to the connection, not to the answer; but when
 * Fastify would close the connection (after a body it could not parse), so does this path.
 */
const CONNECTION_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'date']);
const keepsHeader = ([name, value]: [string, unknown]) =>
  !CONNECTION_HEADERS.has(name) || (name === 'connection' && value === 'close');

export interface SwipeFastPath {
  /**
   * Answers the request if it is a plain card swipe, and says whether it did; otherwise the
   * request is untouched and Fastify's handler must take it.
   */
  handle(request: IncomingMessage, response: ServerResponse): boolean;
}

/**
 * `POST /api/v1/terminal/card-auth` outside Fastify, for the one request panels send all day.
 * Fastify's request and reply objects, hooks, routing and body parsing cost 8–16 µs of CPU of a
 * swipe's ~200 µs in alternating A/B runs on SQLite (bench/README.md, item 6).
 *
 * It takes only plain swipes: exactly that path, a JSON Content-Type, a Content-Length of at most
 * 1 KiB, no Transfer-Encoding, and an Authorization header; everything else goes to Fastify
 * untouched. It answers the swipe, and refusals and failures with the route's own errors
 * (`terminalRefusal`, `errorAnswer`). A body it would have to refuse is passed to Fastify with
 * `inject`, whose validation names the field at fault, so that answer is defined once.
 * swipe-fast-path.test.ts sends every case both ways and compares the answers.
 */
export function createSwipeFastPath(app: FastifyInstance, context: ServerContext): SwipeFastPath {
  const { terminals, logger } = context;
  let closing = false;
  // While closing, Fastify answers new requests with 503 and closes their connections.
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });

  const send = (response: ServerResponse, status: number, body: unknown, started: number) => {
    const json = JSON.stringify(body);
    response.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(json),
    });
    response.end(json);
    logRequest(logger, 'POST', CARD_AUTH_PATH, status, performance.now() - started);
  };

  /** Fastify answers, from the body already read: for the cases the route defines alone. */
  const passOn = async (request: IncomingMessage, response: ServerResponse, body: Buffer) => {
    const answer = await app.inject({
      method: 'POST',
      url: CARD_AUTH_PATH,
      headers: request.headers,
      payload: body,
    });
    const headers = Object.entries(answer.headers).filter(keepsHeader);
    response.writeHead(answer.statusCode, Object.fromEntries(headers));
    response.end(answer.rawPayload);
  };

  const answer = async (
    request: IncomingMessage,
    response: ServerResponse,
    body: Buffer,
    started: number,
  ) => {
    try {
      const token = bearerOf(request.headers.authorization);
      const found = token === undefined ? undefined : await terminals.authenticate(token);
      if (found?.status !== 'active') throw terminalRefusal(found);
      const text = body.toString('utf8');
      const parsed = PROTO_KEYS.test(text) ? null : parseSwipe(text);
      // A body the route refuses: its validation names the field at fault.
      if (parsed === null) return await passOn(request, response, body);
      send(response, 200, await terminals.cardAuth(found.terminal, parsed.cardId), started);
    } catch (error) {
      // Refusals (a bad token, a disabled account: audited by the lookup, so not again) and
      // failures (the database) get the route's error answers.
      const apiError = apiErrorOf(error, logger, 'POST', CARD_AUTH_PATH);
      const { body: errorBody, headers } = errorAnswer(apiError);
      for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
      send(response, apiError.status, errorBody, started);
    }
  };

  return {
    handle(request, response) {
      if (closing || !isPlainSwipe(request)) return false;
      const started = performance.now();
      const chunks: Buffer[] = [];
      // A panel that goes away mid-request: nothing to answer, and nothing must crash.
      request.on('error', () => {});
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        answer(request, response, Buffer.concat(chunks), started).catch((error: unknown) => {
          // Only writing the answer itself can fail here: the connection is of no further use.
          logger.error('card swipe failed', { route: CARD_AUTH_PATH, error });
          response.destroy();
        });
      });
      return true;
    },
  };
}

function isPlainSwipe(request: IncomingMessage): boolean {
  if (request.method !== 'POST' || request.url !== CARD_AUTH_PATH) return false;
  const { headers } = request;
  const length = Number(headers['content-length']);
  return (
    headers['transfer-encoding'] === undefined &&
    Number.isInteger(length) &&
    length > 0 &&
    length <= MAX_FAST_BODY &&
    JSON_TYPE.test(headers['content-type'] ?? '') &&
    headers.authorization !== undefined
  );
}

/** The swipe's body if it is valid JSON and a valid `CardAuthRequest`; otherwise null. */
function parseSwipe(text: string): CardAuthRequest | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const result = CardAuthRequest.safeParse(json);
  return result.success ? result.data : null;
}
