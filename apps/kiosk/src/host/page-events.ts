import type { IncomingMessage, ServerResponse } from 'node:http';
import { READER_LINK_ID, type ReaderFeedEvent, type ReaderStatus } from '../kiosk-api.ts';
import { SECURITY_HEADERS } from './http.ts';
import { formatSse, SSE_HEARTBEAT } from './sse.ts';

const HEARTBEAT_MS = 15_000;

/**
 * Fans the reader feed out to every open kiosk page. Card reads go to the pages open at that
 * moment only; reader statuses are remembered and replayed to a page when it (re)connects, so a
 * reloaded page knows at once whether the reader is there.
 */
export function createPageEventHub() {
  const pages = new Set<ServerResponse>();
  let link: ReaderStatus | undefined;
  const readers = new Map<string, ReaderStatus>();

  const message = (event: ReaderFeedEvent) =>
    formatSse(event.type, JSON.stringify(event.type === 'card' ? event.card : event.reader));
  const broadcast = (text: string) => {
    for (const page of pages) page.write(text);
  };
  // Writing is how a dead page connection is noticed (and dropped through its close event).
  const heartbeat = setInterval(() => broadcast(SSE_HEARTBEAT), HEARTBEAT_MS);
  heartbeat.unref();

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
      broadcast(message(event));
    },

    attach(request: IncomingMessage, response: ServerResponse): void {
      response.writeHead(200, {
        ...SECURITY_HEADERS,
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      let replay = 'retry: 1000\n\n';
      for (const reader of [...(link ? [link] : []), ...readers.values()]) {
        replay += message({ type: 'reader', reader });
      }
      response.write(replay);
      pages.add(response);
      request.on('close', () => pages.delete(response));
    },

    get pageCount(): number {
      return pages.size;
    },

    close(): void {
      clearInterval(heartbeat);
      for (const page of pages) page.end();
      pages.clear();
    },
  };
}
