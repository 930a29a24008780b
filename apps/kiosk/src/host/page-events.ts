import type { IncomingMessage, ServerResponse } from 'node:http';
import { READER_LINK_ID, type ReaderFeedEvent, type ReaderStatus } from '../kiosk-api.ts';
import { SECURITY_HEADERS } from './http.ts';
import { formatSse, SSE_HEARTBEAT } from './sse.ts';

const HEARTBEAT_MS = 15_000;

export type FeedListener = (event: ReaderFeedEvent) => void;

/**
 * Fans the reader feed out to its subscribers: the kiosk host's open pages (SSE) and the
 * Electron shell's window (IPC). Card reads go to the subscribers of that moment only; reader
 * statuses are remembered and replayed to a subscriber when it (re)subscribes, so a reloaded
 * page knows at once whether the reader is there.
 */
export function createReaderFeed() {
  const listeners = new Set<FeedListener>();
  let link: ReaderStatus | undefined;
  const readers = new Map<string, ReaderStatus>();

  return {
    publish(event: ReaderFeedEvent): void {
      if (event.type === 'reader') {
        if (event.reader.readerId === READER_LINK_ID) {
          link = event.reader;
          readers.clear();
        } else {
          readers.set(event.reader.readerId, event.reader);
        }
      }
      for (const listener of [...listeners]) listener(event);
    },

    /** The current reader statuses at once, then every event, until the returned function is called. */
    subscribe(listener: FeedListener): () => void {
      for (const reader of [...(link ? [link] : []), ...readers.values()]) {
        listener({ type: 'reader', reader });
      }
      // A wrapper, so one function subscribed twice is also two subscriptions.
      const entry: FeedListener = (event) => listener(event);
      listeners.add(entry);
      return () => listeners.delete(entry);
    },

    get subscriberCount(): number {
      return listeners.size;
    },
  };
}

export type ReaderFeed = ReturnType<typeof createReaderFeed>;

/** The feed as Server-Sent Events (`GET /kiosk/v1/events`) for every open page. */
export function createSseFeedRoute(feed: Pick<ReaderFeed, 'subscribe'>) {
  const pages = new Map<ServerResponse, () => void>();
  const message = (event: ReaderFeedEvent) =>
    formatSse(event.type, JSON.stringify(event.type === 'card' ? event.card : event.reader));
  // Writing is how a dead page connection is noticed (and dropped through its close event).
  const heartbeat = setInterval(() => {
    for (const page of pages.keys()) page.write(SSE_HEARTBEAT);
  }, HEARTBEAT_MS);
  heartbeat.unref();

  return {
    attach(request: IncomingMessage, response: ServerResponse): void {
      response.writeHead(200, {
        ...SECURITY_HEADERS,
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      response.write('retry: 1000\n\n');
      const unsubscribe = feed.subscribe((event) => response.write(message(event)));
      pages.set(response, unsubscribe);
      request.on('close', () => {
        unsubscribe();
        pages.delete(response);
      });
    },

    get pageCount(): number {
      return pages.size;
    },

    close(): void {
      clearInterval(heartbeat);
      for (const [page, unsubscribe] of pages) {
        unsubscribe();
        page.end();
      }
      pages.clear();
    },
  };
}
