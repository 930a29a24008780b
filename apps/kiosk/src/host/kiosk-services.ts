import type { Logger } from '@cardbind/shared';
import type { KioskPageConfig } from '../kiosk-api.ts';
import { createReaderFeed, type FeedListener } from './page-events.ts';
import { startReaderLink } from './reader-link.ts';
import { createServerProxy, type ProxyAnswer } from './server-proxy.ts';
import type { TerminalCall } from './terminal-calls.ts';
import { terminalRequestRefusal } from './terminal-requests.ts';

export interface KioskServicesOptions {
  serverUrl: string;
  /** Added to every terminal call; never handed to the page, never logged. */
  terminalToken: string;
  readerUrl: string;
  /** The reader daemon's shared secret, when it has one; never handed to the page. */
  readerToken?: string;
  config: KioskPageConfig;
  logger: Logger;
}

/**
 * Everything the kiosk page may ask of the outside world, whichever way it asks: the kiosk
 * host's HTTP routes (a browser) and the Electron shell's IPC handlers both call these, so the
 * token handling, the answers and the reader feed are the same on both paths.
 */
export interface KioskServices {
  /** The page's configuration (language, panel, timing). */
  readonly config: KioskPageConfig;
  /**
   * One terminal call (`TERMINAL_CALLS`), its payload checked against the call's schema and then
   * forwarded to the Cardbind server with the terminal token. A payload that does not fit is a
   * 400 `invalid_request` (413 `payload_too_large`) answer and never reaches the server. The
   * server's status and JSON come back as they are; a server that cannot be reached is a 502/504
   * `server_unreachable` answer, never a rejection.
   */
  terminal(call: TerminalCall, payload?: unknown): Promise<ProxyAnswer>;
  /** The reader feed: the current reader statuses at once, then live events; returns unsubscribe. */
  subscribe(listener: FeedListener): () => void;
  close(): Promise<void>;
}

/** Opens the link to the reader daemon at once and keeps it open until `close`. */
export function startKioskServices(options: KioskServicesOptions): KioskServices {
  const { logger } = options;
  const proxy = createServerProxy({
    serverUrl: options.serverUrl,
    terminalToken: options.terminalToken,
    logger,
  });
  const feed = createReaderFeed();
  let reader: ReturnType<typeof startReaderLink>;
  try {
    // The feed remembers the link's statuses, so starting it before anyone subscribes is fine.
    reader = startReaderLink({
      readerUrl: options.readerUrl,
      ...(options.readerToken ? { readerToken: options.readerToken } : {}),
      logger,
      onEvent: (event) => feed.publish(event),
    });
  } catch (error) {
    void proxy.close();
    throw error;
  }

  let closing: Promise<void> | undefined;
  return {
    config: options.config,
    async terminal(call, payload) {
      const refusal = terminalRequestRefusal(call, payload);
      if (!refusal) return proxy.forward(call, payload);
      logger.warn('terminal call refused', {
        call,
        status: refusal.status,
        reason: refusal.body.error.message,
      });
      return refusal;
    },
    subscribe: (listener) => feed.subscribe(listener),
    close() {
      closing ??= (async () => {
        await reader.close();
        await proxy.close();
      })();
      return closing;
    },
  };
}
