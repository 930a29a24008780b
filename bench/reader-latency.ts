/**
 * Reader daemon latency, memory and idle CPU (issue #5 benchmark).
 *
 *   npm run bench:reader -- [--reads 1000] [--way service|bundle|tsx] [--idle 5] [--trace-gc]
 *
 * Runs the reader daemon as its own process on one end of a socat PTY pair, writes card numbers
 * into the other end, and times from the write of the last byte to the card event on the
 * daemon's SSE stream. By default the daemon runs as deployed (`service`): the esbuild bundle
 * with the node flags of packaging/linux/cardbind-reader.service, read from the unit file;
 * `--way tsx` runs `cardbind reader` from source. PTYs do not pace bytes at a baud rate, so the
 * time a real 9600-baud line needs for the same bytes is printed beside it: the measured time
 * is the daemon's (and the kernel's) own overhead. The bench's own event-loop delay and GC
 * pauses are printed too, since they count as latency. Then it reads the daemon's resident
 * memory and its CPU use over idle seconds from /proc. `--trace-gc` runs the daemon with V8's
 * GC trace and prints its pauses during the reads.
 */
import { parseArgs } from 'node:util';
import {
  buildReaderBundle,
  describeWay,
  READER_DAEMON_WAYS,
  runReaderDaemon,
  writeBenchResult,
  type ReaderDaemonWay,
} from './support/reader-daemon.ts';
import { percentile } from './support/reader-timing.ts';

const { values } = parseArgs({
  options: {
    reads: { type: 'string', default: '1000' },
    way: { type: 'string', default: 'service' },
    idle: { type: 'string', default: '5' },
    'trace-gc': { type: 'boolean', default: false },
  },
});
const reads = Number(values.reads);
const idleSeconds = Number(values.idle);
const way = values.way as ReaderDaemonWay;
if (!READER_DAEMON_WAYS.includes(way)) {
  throw new Error(`--way must be one of ${READER_DAEMON_WAYS.join(', ')} (got ${values.way})`);
}
const traceGc = values['trace-gc'];
const BAUD = 9600;
const BITS_PER_BYTE = 10; // 8N1: start + 8 data + stop

if (way === 'bundle' || way === 'service') buildReaderBundle();
const {
  sortedMs: sorted,
  lineBytes: bytes,
  bench,
  outputDuringReads,
  rssMb,
  idleCpuPercent,
} = await runReaderDaemon(way, {
  reads,
  settleSeconds: 1,
  idleSeconds,
  daemonArgs: ['--profile', 'generic-serial'],
  nodeFlags: traceGc ? ['--trace-gc'] : [],
});
const daemonGcPausesMs = [
  ...outputDuringReads.matchAll(
    / ms: (?:Scavenge|Mark-Compact|Mark-Sweep|Minor [\w-]+)\b[^\n]*?, ([\d.]+) \/ [\d.]+ ms/g,
  ),
]
  .map((match) => Number(match[1]))
  .sort((a, b) => a - b);
const pct = (p: number) => percentile(sorted, p);
const serialMs = (bytes * BITS_PER_BYTE * 1000) / BAUD;

const slowReads = sorted.filter((ms) => ms > 1).length;
const result = {
  date: new Date().toISOString(),
  way: describeWay(way),
  reads,
  latencyMs: { p50: pct(50), p90: pct(90), p99: pct(99), max: sorted.at(-1) },
  readsOver1Ms: slowReads,
  serialTransmissionMsAt9600: serialMs,
  bench,
  ...(traceGc
    ? { daemonGcPausesMs: { count: daemonGcPausesMs.length, max: daemonGcPausesMs.at(-1) ?? 0 } }
    : {}),
  daemonRssMb: rssMb,
  idleCpuPercent,
  targets: { p99OverheadMs: 1, rssMb: 60, idleCpuPercent: '≈0' },
};
const ms = (value: number) => `${value.toFixed(3)} ms`;
console.log(`Reader daemon as ${result.way}, ${reads} reads of ${bytes}-byte lines through a PTY`);
console.log(
  `  last byte → SSE event   p50 ${ms(pct(50))}   p90 ${ms(pct(90))}   p99 ${ms(pct(99))}   max ${ms(sorted.at(-1) ?? 0)}   (target p99 < 1 ms; ${slowReads} reads > 1 ms)`,
);
console.log(`  the same bytes at 9600 8N1 take ${serialMs.toFixed(1)} ms on a real serial line`);
console.log(
  `  bench's own stalls: event-loop delay p99 ${ms(bench.eventLoopDelayMs.p99)} max ${ms(bench.eventLoopDelayMs.max)}, ` +
    `${bench.gcPauses} GC pauses (max ${ms(bench.gcMaxMs)}) during ${bench.readsWithBenchGc} reads`,
);
if (traceGc) {
  console.log(
    `  daemon GC pauses during the reads (warm-up included): ${daemonGcPausesMs.length}, ` +
      `p50 ${ms(daemonGcPausesMs.length ? percentile(daemonGcPausesMs, 50) : 0)} max ${ms(daemonGcPausesMs.at(-1) ?? 0)}`,
  );
}
console.log(
  `  daemon RSS ${rssMb.toFixed(1)} MB (target < 60 MB), idle CPU ${idleCpuPercent.toFixed(2)} % over ${idleSeconds} s`,
);
writeBenchResult('reader-latency', result);
