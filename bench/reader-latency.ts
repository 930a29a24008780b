/**
 * Reader daemon latency, memory and idle CPU (issue #5 benchmark).
 *
 *   npx tsx bench/reader-latency.ts [--reads 1000]
 *
 * Starts `cardbind reader` as its own process on one end of a socat PTY pair, writes card
 * numbers into the other end, and times from the write of the last byte to the card event on
 * the daemon's SSE stream. PTYs do not pace bytes at a baud rate, so the time a real 9600-baud
 * line needs for the same bytes is printed beside it: the measured time is the daemon's (and
 * the kernel's) own overhead. Then it reads the daemon's resident memory and its CPU use over
 * five idle seconds from /proc.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { request } from 'undici';
import { freePort, startCli } from '../test/support/processes.ts';

const { values } = parseArgs({ options: { reads: { type: 'string', default: '1000' } } });
const reads = Number(values.reads);
const BAUD = 9600;
const BITS_PER_BYTE = 10; // 8N1: start + 8 data + stop

const dir = mkdtempSync(path.join(tmpdir(), 'cardbind-bench-'));
const readerEnd = path.join(dir, 'reader');
const deviceEnd = path.join(dir, 'device');
const socat = spawn('socat', [
  `pty,raw,echo=0,link=${readerEnd}`,
  `pty,raw,echo=0,link=${deviceEnd}`,
]);
while (!(existsSync(readerEnd) && existsSync(deviceEnd))) await sleep(20);

const port = await freePort();
const daemon = await startCli(
  [
    'reader',
    '--serial',
    readerEnd,
    '--profile',
    'generic-serial',
    '--port',
    String(port),
    '--repeat-window',
    '0',
  ],
  /publishing card events/,
);
const pid = daemon.child.pid!;

// One SSE subscription; each card event resolves the waiter for its card id.
const waiters = new Map<string, (at: number) => void>();
const stream = await request(`http://127.0.0.1:${port}/v1/events`);
let buffer = '';
stream.body.setEncoding('utf8');
stream.body.on('data', (chunk: string) => {
  const at = performance.now();
  buffer += chunk;
  let end: number;
  while ((end = buffer.indexOf('\n\n')) !== -1) {
    const frame = buffer.slice(0, end);
    buffer = buffer.slice(end + 2);
    const data = /^event: card\ndata: (.*)$/m.exec(frame)?.[1];
    if (data) waiters.get((JSON.parse(data) as { cardId: string }).cardId)?.(at);
  }
});
await sleep(500); // let the reader open the port

const device = await import('node:fs/promises').then((fs) => fs.open(deviceEnd, 'w'));
const latencies: number[] = [];
let bytes = 0;
for (let i = 0; i < reads + 50; i++) {
  const cardId = `04${(0xa1b2c300 + i).toString(16).toUpperCase()}`;
  const line = `${cardId}\r\n`;
  const arrived = new Promise<number>((resolve) => waiters.set(cardId, resolve));
  await device.write(line);
  const written = performance.now();
  const at = await arrived;
  waiters.delete(cardId);
  if (i >= 50) {
    // the first 50 warm up the JIT
    latencies.push(at - written);
    bytes = line.length;
  }
}
await device.close();

const sorted = latencies.sort((a, b) => a - b);
const pct = (p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const serialMs = (bytes * BITS_PER_BYTE * 1000) / BAUD;

const status = readFileSync(`/proc/${pid}/status`, 'utf8');
const rssMb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
const cpuTicks = () => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime, in clock ticks
};
const before = cpuTicks();
await sleep(5000);
const idleCpuPercent = ((cpuTicks() - before) / 100 / 5) * 100; // 100 ticks/s on Linux

const result = {
  date: new Date().toISOString(),
  reads,
  latencyMs: { p50: pct(50), p90: pct(90), p99: pct(99), max: sorted.at(-1) },
  serialTransmissionMsAt9600: serialMs,
  daemonRssMb: rssMb,
  idleCpuPercent,
  targets: { p99OverheadMs: 1, rssMb: 60, idleCpuPercent: '≈0' },
};
console.log(`Reader daemon, ${reads} reads of ${bytes}-byte lines through a PTY`);
console.log(
  `  last byte → SSE event   p50 ${pct(50).toFixed(3)} ms   p90 ${pct(90).toFixed(3)} ms   p99 ${pct(99).toFixed(3)} ms   (target p99 < 1 ms)`,
);
console.log(`  the same bytes at 9600 8N1 take ${serialMs.toFixed(1)} ms on a real serial line`);
console.log(
  `  daemon RSS ${rssMb.toFixed(1)} MB (target < 60 MB), idle CPU ${idleCpuPercent.toFixed(2)} % over 5 s`,
);
writeFileSync(
  path.join(import.meta.dirname, 'results', 'reader-latency.json'),
  JSON.stringify(result, null, 2) + '\n',
);

stream.body.destroy();
await daemon.stop();
socat.kill();
rmSync(dir, { recursive: true, force: true });
