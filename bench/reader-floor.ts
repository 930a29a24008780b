/**
 * The floor of the reader latency bench: the least a Node process does to pass a line from a
 * PTY to an SSE subscriber, with none of the daemon's framing, validation, logging or repeat
 * suppression. Started by `bench/reader-latency.ts --way floor-serialport|floor-tty`, with the
 * daemon's own arguments (`--serial PATH --port N`, the rest ignored):
 *
 * - `--read serialport`: the port opened and read through node-serialport, as the daemon does
 *   (its Linux binding reads through libuv's thread pool after each poll wakes it);
 * - `--read tty`: the fd read by a `tty.ReadStream` (straight from epoll, no thread hop).
 */
import { openSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import { ReadStream } from 'node:tty';
import { parseArgs } from 'node:util';
import { SerialPort } from 'serialport';
import type { Readable } from 'node:stream';

const { values } = parseArgs({
  strict: false,
  options: {
    serial: { type: 'string' },
    port: { type: 'string' },
    read: { type: 'string', default: 'serialport' },
  },
});
const devicePath = String(values.serial);
const clients = new Set<ServerResponse>();

let input: Readable;
if (values.read === 'tty') {
  input = new ReadStream(openSync(devicePath, 'r+'));
  (input as ReadStream).setRawMode(true);
} else {
  const port = new SerialPort({ path: devicePath, baudRate: 9600, autoOpen: false });
  await new Promise<void>((resolve, reject) =>
    port.open((error) => (error ? reject(error) : resolve())),
  );
  input = port;
}
let pending = '';
input.on('data', (chunk: Buffer) => {
  pending += chunk.toString('latin1');
  let end: number;
  while ((end = pending.search(/[\r\n]/)) !== -1) {
    const line = pending.slice(0, end);
    pending = pending.slice(end + 1);
    if (!line) continue;
    const frame = `event: card\ndata: ${JSON.stringify({ cardId: line })}\n\n`;
    for (const client of clients) client.write(frame);
  }
});

const server = createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'text/event-stream' });
  response.write('retry: 1000\n\n');
  clients.add(response);
  response.on('close', () => clients.delete(response));
});
server.listen(Number(values.port), '127.0.0.1', () =>
  console.log(`Floor (${values.read}) publishing card events on port ${values.port}`),
);
process.on('SIGTERM', () => process.exit(0));
