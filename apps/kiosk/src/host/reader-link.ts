import {
  CardEvent,
  maskCardId,
  READER_EVENTS_PATH,
  ReaderStatus,
  type Logger,
} from '@cardbind/shared';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from 'undici';
import { linkStatus, type ReaderFeedEvent } from '../kiosk-api.ts';
import { createSseParser } from './sse.ts';

export interface ReaderLinkOptions {
  readerUrl: string;
  /** The daemon's shared secret (CARDBIND_READER_TOKEN), when it has one. */
  readerToken?: string;
  logger: Logger;
  /** Card reads, reader status changes, and the link's own status (`READER_LINK_ID`). */
  onEvent(event: ReaderFeedEvent): void;
}

/** Waits between reconnection attempts: quick at first, never more than 2 s, so a restarted daemon is back at once. */
export function reconnectDelay(attempt: number): number {
  return Math.min(2_000, 100 * 2 ** attempt);
}

/**
 * The host's one subscription to the reader daemon's event stream, kept open for as long as the
 * host runs: it reconnects after every failure, and reports the link itself as connected or
 * disconnected (only when that changes).
 */
export function startReaderLink(options: ReaderLinkOptions): { close(): Promise<void> } {
  const { logger, onEvent } = options;
  const url = new URL(READER_EVENTS_PATH, checkedReaderUrl(options.readerUrl)).href;
  // No body timeout: an idle card reader sends nothing for hours.
  const agent = new Agent({ connect: { timeout: 2_000 }, headersTimeout: 5_000, bodyTimeout: 0 });
  const stop = new AbortController();
  let linked: boolean | undefined;
  let attempt = 0;

  const setLinked = (value: boolean, reason?: unknown) => {
    if (linked === value) return;
    linked = value;
    if (value) logger.info('reader daemon connected', { url });
    else logger.warn('reader daemon not reachable; retrying', { url, error: reason });
    onEvent({ type: 'reader', reader: linkStatus(value ? 'connected' : 'disconnected') });
  };

  const deliver = (name: string, data: string) => {
    const event = checkedReaderEvent(name, data);
    if (!event) {
      logger.warn('ignored a malformed reader event', { event: name });
      return;
    }
    if (event.type === 'card') {
      logger.debug('card read', {
        cardId: maskCardId(event.card.cardId),
        readerId: event.card.readerId,
      });
    }
    onEvent(event);
  };

  const listenOnce = async () => {
    const { statusCode, body } = await request(url, {
      dispatcher: agent,
      signal: stop.signal,
      headers: {
        accept: 'text/event-stream',
        ...(options.readerToken ? { authorization: `Bearer ${options.readerToken}` } : {}),
      },
    });
    if (statusCode !== 200) {
      await body.dump();
      throw new Error(
        statusCode === 401
          ? 'the reader daemon refused the reader token (check CARDBIND_READER_TOKEN on both sides)'
          : `the reader daemon answered HTTP ${statusCode}`,
      );
    }
    setLinked(true);
    attempt = 0;
    const parser = createSseParser();
    const decoder = new TextDecoder();
    for await (const chunk of body as AsyncIterable<Buffer>) {
      for (const message of parser.push(decoder.decode(chunk, { stream: true }))) {
        deliver(message.event, message.data);
      }
    }
    throw new Error('the reader daemon closed the event stream');
  };

  const run = async () => {
    while (!stop.signal.aborted) {
      try {
        await listenOnce();
      } catch (error) {
        if (stop.signal.aborted) break;
        setLinked(false, error);
      }
      await sleep(reconnectDelay(attempt++), undefined, { signal: stop.signal }).catch(() => {});
    }
  };

  const running = run();
  return {
    async close() {
      stop.abort();
      await running;
      await agent.close();
    },
  };
}

function checkedReaderUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(
      `The reader daemon URL "${value}" is not a URL; expected e.g. http://127.0.0.1:7391.`,
    );
  }
  if (url.protocol !== 'http:') {
    throw new Error(`The reader daemon URL must start with http:// (got "${value}").`);
  }
  return url;
}

/** The daemon's events, checked against the shared schemas before any page sees them. */
function checkedReaderEvent(name: string, data: string): ReaderFeedEvent | undefined {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (name === 'card') {
    const card = CardEvent.safeParse(json);
    return card.success ? { type: 'card', card: card.data } : undefined;
  }
  if (name === 'reader') {
    const reader = ReaderStatus.safeParse(json);
    return reader.success ? { type: 'reader', reader: reader.data } : undefined;
  }
  return undefined;
}
