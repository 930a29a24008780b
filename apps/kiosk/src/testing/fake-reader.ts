import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for the reader daemon's event stream (`GET /v1/events`, README "Reader daemon event
 * stream"): tests push card reads and reader statuses to whoever is subscribed.
 */
export async function startFakeReader(port = 0, options: { token?: string } = {}) {
  const streams = new Set<ServerResponse>();
  let waiting: Array<() => void> = [];
  const server = createServer((request, response) => {
    if (request.url !== '/v1/events') {
      response.writeHead(404).end();
      return;
    }
    if (options.token && request.headers.authorization !== `Bearer ${options.token}`) {
      response.writeHead(401, { 'content-type': 'application/json' }).end('{}');
      return;
    }
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
    response.write(': hello\n\n');
    streams.add(response);
    request.on('close', () => streams.delete(response));
    for (const resolve of waiting) resolve();
    waiting = [];
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  const send = (event: string, data: unknown) => {
    for (const stream of streams)
      stream.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  return {
    url: `http://127.0.0.1:${address.port}`,
    port: address.port,
    get subscribers(): number {
      return streams.size;
    },
    /** Resolves once a subscriber is connected (at once if one already is). */
    subscribed(): Promise<void> {
      if (streams.size > 0) return Promise.resolve();
      return new Promise((resolve) => waiting.push(resolve));
    },
    swipe(cardId: string, readerId = 'sim') {
      send('card', { cardId, readerId, profile: 'simulated', at: new Date().toISOString() });
    },
    readerStatus(readerId: string, status: 'connected' | 'disconnected') {
      send('reader', { readerId, status, at: new Date().toISOString() });
    },
    /** Sends raw bytes, for malformed-input tests. */
    raw(text: string) {
      for (const stream of streams) stream.write(text);
    },
    close(): Promise<void> {
      for (const stream of streams) stream.destroy();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export type FakeReader = Awaited<ReturnType<typeof startFakeReader>>;
