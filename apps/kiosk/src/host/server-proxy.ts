import { API_PREFIX, type Logger } from '@cardbind/shared';
import { Agent, errors, request } from 'undici';
import { errorBody } from './http.ts';
import { TERMINAL_CALLS, type TerminalCall } from './terminal-calls.ts';

export interface ProxyAnswer {
  status: number;
  body: unknown;
}

export interface ServerProxyOptions {
  serverUrl: string;
  terminalToken: string;
  logger: Logger;
  /** Connecting plus waiting for the answer; enrollment hashes a password, so allow for that. */
  timeoutMs?: number;
}

/**
 * Forwards the page's terminal calls to the Cardbind server with the terminal token added.
 * The server's status and JSON come back unchanged; when the server cannot be reached (or
 * answers with something that is not the Cardbind API) the answer is a 502/504
 * `server_unreachable` that says which URL was tried.
 */
export function createServerProxy(options: ServerProxyOptions) {
  const { terminalToken, logger } = options;
  const base = checkedServerUrl(options.serverUrl);
  const timeoutMs = options.timeoutMs ?? 15_000;
  const agent = new Agent({
    connect: { timeout: Math.min(timeoutMs, 5_000) },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });

  const unreachable = (status: number, why: string): ProxyAnswer => ({
    status,
    body: errorBody(
      'server_unreachable',
      `The Cardbind server at ${base} cannot be reached (${why}). ` +
        'Check that it is running and that the kiosk is configured with the right server URL.',
    ),
  });

  return {
    /** The call's endpoint and method from `TERMINAL_CALLS`; `body` is sent with a POST. */
    async forward(call: TerminalCall, body?: unknown): Promise<ProxyAnswer> {
      const started = Date.now();
      const { method, serverPath } = TERMINAL_CALLS[call];
      const url = `${base}${API_PREFIX}${serverPath}`;
      let answer: ProxyAnswer;
      try {
        const authorization = `Bearer ${terminalToken}`;
        const response = await request(
          url,
          method === 'GET'
            ? {
                method: 'GET',
                dispatcher: agent,
                headers: { accept: 'application/json', authorization },
              }
            : {
                method: 'POST',
                dispatcher: agent,
                headers: {
                  'content-type': 'application/json',
                  accept: 'application/json',
                  authorization,
                },
                body: JSON.stringify(body),
              },
        );
        const text = await response.body.text();
        const json = parseJson(text);
        answer =
          json === undefined
            ? unreachable(502, `it answered HTTP ${response.statusCode} without Cardbind JSON`)
            : { status: response.statusCode, body: json };
      } catch (error) {
        answer = isTimeout(error)
          ? unreachable(504, `no answer within ${Math.round(timeoutMs / 1000)} s`)
          : unreachable(502, describeConnectError(error));
        logger.warn('Cardbind server call failed', { call, error });
      }
      logger.info('terminal call', { call, status: answer.status, ms: Date.now() - started });
      return answer;
    },
    close: () => agent.close(),
  };
}

export type ServerProxy = ReturnType<typeof createServerProxy>;

/** The server URL without trailing slashes, so a path prefix (reverse proxy) is kept. */
function checkedServerUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(
      `The Cardbind server URL "${value}" is not a URL; expected e.g. http://127.0.0.1:7390.`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(
      `The Cardbind server URL must start with http:// or https:// (got "${value}").`,
    );
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new Error('The Cardbind server URL must not contain credentials, a query or a fragment.');
  }
  return url.href.replace(/\/+$/, '');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isTimeout(error: unknown): boolean {
  return (
    error instanceof errors.HeadersTimeoutError ||
    error instanceof errors.BodyTimeoutError ||
    error instanceof errors.ConnectTimeoutError
  );
}

function describeConnectError(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'unknown host name';
  return typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
}
