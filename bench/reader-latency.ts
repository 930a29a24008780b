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
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { createPtyPair, freePort, startCli } from '../test/support/processes.ts';
import {
  cpuTicks,
  percentile,
  residentMb,
  subscribeToCardEvents,
  timeSerialReads,
} from './support/reader-timing.ts';

const { values } = parseArgs({ options: { reads: { type: 'string', default: '1000' } } });
const reads = Number(values.reads);
const BAUD = 9600;
const BITS_PER_BYTE = 10; // 8N1: start + 8 data + stop

const dir = mkdtempSync(path.join(tmpdir(), 'cardbind-bench-'));
const pty = await createPtyPair(dir);

const port = await freePort();
const daemon = await startCli(
  [
    'reader',
    '--serial',
    pty.readerEnd,
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

const events = await subscribeToCardEvents(port);
const { sortedMs: sorted, lineBytes: bytes } = await timeSerialReads(events, pty.deviceEnd, reads);
const pct = (p: number) => percentile(sorted, p);
const serialMs = (bytes * BITS_PER_BYTE * 1000) / BAUD;

const rssMb = residentMb(pid);
const before = cpuTicks(pid);
await sleep(5000);
const idleCpuPercent = ((cpuTicks(pid) - before) / 100 / 5) * 100; // 100 ticks/s on Linux
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

events.close();
await daemon.stop();
await pty.close();
rmSync(dir, { recursive: true, force: true });
