import { checkedAnswer, type CallOptions, type KioskBackend } from './backend.ts';
import type { BridgeAnswer, KioskBridge } from './electron/bridge-contract.ts';
import { KioskApiError } from './errors.ts';
import {
  isCardAuthResponse,
  isEnrollResponse,
  isLoginResponse,
  isPageConfig,
  isTerminalPolicy,
  linkStatus,
  readFeedMessage,
  type ReaderFeedEvent,
} from './kiosk-api.ts';

export interface BridgeOptions {
  /** A call without an answer after this long fails as `network`, as over HTTP. */
  requestTimeoutMs?: number;
}

/**
 * `window.cardbindKiosk` when the preload exposed the kiosk API (the Electron shell running its
 * own kiosk host), else undefined: then the page talks HTTP to its host.
 */
export function kioskBridgeOf(global: object): KioskBridge | undefined {
  const bridge = (global as { cardbindKiosk?: Partial<KioskBridge> }).cardbindKiosk;
  return bridge?.shell === 'electron' && typeof bridge.cardAuth === 'function'
    ? (bridge as KioskBridge)
    : undefined;
}

/**
 * The page's backend in the Electron shell: the preload bridge, whose calls the main process
 * answers with what the kiosk host's HTTP routes would answer. Answers and errors are mapped
 * exactly as the HTTP adapter maps them (`checkedAnswer`); failures reject with KioskApiError,
 * an aborted call with the signal's reason, as `fetch` does.
 */
export function createBridgeBackend(
  bridge: KioskBridge,
  options: BridgeOptions = {},
): KioskBackend {
  const requestTimeoutMs = options.requestTimeoutMs ?? 20_000;

  async function call<T>(
    invoke: () => Promise<BridgeAnswer>,
    isAnswer: (json: unknown) => json is T,
    { signal }: CallOptions,
  ): Promise<T> {
    signal?.throwIfAborted();
    const answer = await settle(invoke(), requestTimeoutMs, signal);
    if (!isBridgeAnswer(answer)) {
      throw new KioskApiError(
        'internal_error',
        'The kiosk shell sent an answer the kiosk does not understand.',
        0,
      );
    }
    return checkedAnswer(answer.status, answer.body, isAnswer);
  }

  return {
    cardAuth: (cardId, options = {}) =>
      call(() => bridge.cardAuth({ cardId }), isCardAuthResponse, options),
    enroll: (input, options = {}) => call(() => bridge.enroll(input), isEnrollResponse, options),
    login: (request, options = {}) => call(() => bridge.login(request), isLoginResponse, options),
    policy: (options = {}) => call(() => bridge.policy(), isTerminalPolicy, options),
    config: (options = {}) => call(() => bridge.config(), isPageConfig, options),
    subscribe: (listener) =>
      bridge.subscribe(
        (message) => {
          const event = feedEventOf(message);
          if (event) listener(event);
        },
        // As when the page's event stream breaks over HTTP: no card can arrive now.
        () => listener({ type: 'reader', reader: linkStatus('disconnected') }),
      ),
  };
}

/**
 * The bridge's answer, or a KioskApiError `network` when the main process failed the call or
 * said nothing in time; the caller's abort wins over both. (The main process still finishes a
 * call the page gave up on; its answer is dropped, as a fetch's would be.)
 */
function settle(
  pending: Promise<BridgeAnswer>,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => finish(() => reject(networkError('The kiosk shell did not answer in time.'))),
      timeoutMs,
    );
    const onAbort = () => finish(() => reject(signal?.reason));
    signal?.addEventListener('abort', onAbort, { once: true });
    function finish(settleWith: () => void) {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      settleWith();
    }
    pending.then(
      (answer) => finish(() => resolve(answer)),
      () => finish(() => reject(networkError('The kiosk shell cannot be reached.'))),
    );
  });
}

const networkError = (message: string) => new KioskApiError('network', message, 0);

function isBridgeAnswer(value: unknown): value is BridgeAnswer {
  return (
    typeof value === 'object' &&
    value !== null &&
    Number.isInteger((value as BridgeAnswer).status) &&
    'body' in value
  );
}

/**
 * A feed event from the main process, checked with the very function that checks the SSE
 * messages of the HTTP path (events are rare, so the round trip through JSON costs nothing).
 */
function feedEventOf(value: unknown): ReaderFeedEvent | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { type, card, reader } = value as { type?: unknown; card?: unknown; reader?: unknown };
  if (type === 'card') return readFeedMessage('card', JSON.stringify(card ?? null));
  if (type === 'reader') return readFeedMessage('reader', JSON.stringify(reader ?? null));
  return undefined;
}
