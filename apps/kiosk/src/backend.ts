import type {
  CardAuthResponse,
  EnrollmentMethod,
  EnrollRequest,
  EnrollResponse,
  TerminalLoginRequest,
  TerminalLoginResponse,
} from '@cardbind/shared';
import { isKioskErrorCode, KioskApiError } from './errors.ts';
import {
  errorAnswer,
  isCardAuthResponse,
  isEnrollResponse,
  isLoginResponse,
  isPageConfig,
  isTerminalPolicy,
  KIOSK_API,
  type KioskPageConfig,
  type TerminalPolicy,
  linkStatus,
  readFeedMessage,
  type ReaderFeedEvent,
} from './kiosk-api.ts';

export interface EnrollInput {
  enrollmentToken: string;
  username: string;
  secret: string;
  method: EnrollmentMethod;
}

export interface CallOptions {
  /** Aborts the call when the flow moved on (another card, machine stopped). */
  signal?: AbortSignal;
}

/**
 * Everything the kiosk UI needs from the outside world. The browser talks to its kiosk host over
 * HTTP (`createHttpBackend`); in the Electron shell it goes through the preload bridge
 * (`createBridgeBackend`, bridge-backend.ts).
 * Failures reject with `KioskApiError`.
 */
export interface KioskBackend {
  cardAuth(cardId: string, options?: CallOptions): Promise<CardAuthResponse>;
  enroll(input: EnrollInput, options?: CallOptions): Promise<EnrollResponse>;
  /** Logging in at the panel without a card. */
  login(request: TerminalLoginRequest, options?: CallOptions): Promise<TerminalLoginResponse>;
  /** What the server allows at panels right now. */
  policy(options?: CallOptions): Promise<TerminalPolicy>;
  /** This terminal's settings (language, panel, timing), from the kiosk host. */
  config(options?: CallOptions): Promise<KioskPageConfig>;
  /** Card reads and reader status changes; returns the unsubscribe function. */
  subscribe(listener: (event: ReaderFeedEvent) => void): () => void;
}

/** The parts of the DOM `EventSource` we use, so Node tests can pass undici's. */
export interface EventSourceLike {
  readonly readyState: number;
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void;
  close(): void;
}

export interface HttpTransport {
  fetch: typeof fetch;
  EventSource: new (url: string) => EventSourceLike;
  /** A request without an answer after this long fails as `network`. */
  requestTimeoutMs: number;
  /** Wait before opening a new stream after the browser gave up on the old one. */
  reconnectMs: number;
}

const EVENT_SOURCE_CLOSED = 2;

/** The page's backend: its own kiosk host, same origin unless `baseUrl` says otherwise. */
export function createHttpBackend(
  baseUrl = '',
  transport: Partial<HttpTransport> = {},
): KioskBackend {
  const {
    fetch: fetchImpl = globalThis.fetch.bind(globalThis),
    EventSource: EventSourceImpl = globalThis.EventSource,
    requestTimeoutMs = 20_000,
    reconnectMs = 2_000,
  } = transport;

  async function call<T>(
    path: string,
    body: unknown,
    isAnswer: (json: unknown) => json is T,
    options: CallOptions,
  ): Promise<T> {
    const timeout = AbortSignal.timeout(requestTimeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    let response: Response;
    try {
      response = await fetchImpl(
        baseUrl + path,
        body === undefined
          ? { method: 'GET', cache: 'no-store', signal }
          : {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify(body),
              cache: 'no-store',
              signal,
            },
      );
    } catch (error) {
      if (options.signal?.aborted) throw error;
      throw new KioskApiError(
        'network',
        timeout.aborted
          ? 'The kiosk host did not answer in time.'
          : 'The kiosk host cannot be reached.',
        0,
      );
    }
    const json: unknown = await response.json().catch(() => undefined);
    return checkedAnswer(response.status, json, isAnswer);
  }

  return {
    cardAuth: (cardId, options = {}) =>
      call(KIOSK_API.cardAuth, { cardId }, isCardAuthResponse, options),
    enroll: (input, options = {}) => {
      const body: EnrollRequest = input;
      return call(KIOSK_API.enroll, body, isEnrollResponse, options);
    },
    login: (request, options = {}) => call(KIOSK_API.login, request, isLoginResponse, options),
    policy: (options = {}) => call(KIOSK_API.policy, undefined, isTerminalPolicy, options),
    config: (options = {}) => call(KIOSK_API.config, undefined, isPageConfig, options),
    subscribe(listener) {
      let source: EventSourceLike | undefined;
      let retry: ReturnType<typeof setTimeout> | undefined;
      let stopped = false;
      const connect = () => {
        const current = new EventSourceImpl(baseUrl + KIOSK_API.events);
        source = current;
        for (const name of ['card', 'reader']) {
          current.addEventListener(name, (message) => {
            const event = readFeedMessage(name, message.data);
            if (event) listener(event);
          });
        }
        current.addEventListener('error', () => {
          // While the stream is down no card can arrive: say so. On reconnect the host replays
          // the current link status, which clears this again.
          listener({ type: 'reader', reader: linkStatus('disconnected') });
          // The browser retries by itself unless the host answered with an error; then we do.
          if (current.readyState === EVENT_SOURCE_CLOSED && !stopped) {
            retry = setTimeout(connect, reconnectMs);
          }
        });
      };
      connect();
      return () => {
        stopped = true;
        clearTimeout(retry);
        source?.close();
      };
    },
  };
}

/**
 * A terminal call's answer as the kiosk host gives it (HTTP status and JSON), checked: the
 * answer when it has the expected shape, else the KioskApiError it stands for. Both adapters
 * (HTTP here, the Electron bridge in bridge-backend.ts) map answers through this.
 */
export function checkedAnswer<T>(
  status: number,
  json: unknown,
  isAnswer: (json: unknown) => json is T,
): T {
  if (status < 200 || status > 299) throw errorFromResponse(status, json);
  if (!isAnswer(json)) {
    throw new KioskApiError(
      'internal_error',
      `The server sent an answer the kiosk does not understand (HTTP ${status}).`,
      status,
    );
  }
  return json;
}

function errorFromResponse(status: number, json: unknown): KioskApiError {
  const answer = errorAnswer(json);
  if (answer) {
    const { code, message, retryAfterSeconds, attemptsLeft } = answer;
    // A code from a newer server than this kiosk knows is still an error with a message.
    const known = isKioskErrorCode(code)
      ? code
      : status >= 500
        ? 'internal_error'
        : 'invalid_request';
    return new KioskApiError(known, message, status, { retryAfterSeconds, attemptsLeft });
  }
  return new KioskApiError(
    status >= 500 ? 'internal_error' : 'invalid_request',
    `The kiosk host answered HTTP ${status} without an explanation.`,
    status,
  );
}
