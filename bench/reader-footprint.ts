/**
 * Reader daemon footprint (issue #5 targets: RSS < 60 MB, idle CPU near zero), run three ways:
 * `tsx`, `bundle` and `service`, as bench/support/reader-daemon.ts describes them (for `tsx`, the
 * RSS includes tsx's esbuild service, which it keeps running).
 *
 *   npx tsx bench/reader-footprint.ts [--reads 300] [--idle 10]
 *
 * Each daemon reads one serial reader on a socat PTY. The bench sends some reads (latency from
 * the write of the last byte to the SSE event, so a memory saving that costs latency shows),
 * lets it idle, then reads resident memory (VmRSS of the daemon and its child processes) and CPU
 * time over the idle period from /proc.
 */
import { parseArgs } from 'node:util';
import {
  buildReaderBundle,
  describeWay,
  runReaderDaemon,
  writeBenchResult,
  type ReaderDaemonWay,
} from './support/reader-daemon.ts';
import { percentile } from './support/reader-timing.ts';

const { values } = parseArgs({
  options: {
    reads: { type: 'string', default: '300' },
    idle: { type: 'string', default: '10' },
  },
});
const reads = Number(values.reads);
const idleSeconds = Number(values.idle);
const ways: ReaderDaemonWay[] = ['tsx', 'bundle', 'service'];

buildReaderBundle();

const results = [];
for (const way of ways) {
  const {
    sortedMs: sorted,
    rssMb,
    idleCpuPercent,
  } = await runReaderDaemon(way, { reads, settleSeconds: idleSeconds, idleSeconds });
  const result = {
    variant: describeWay(way),
    rssMb: Number(rssMb.toFixed(1)),
    idleCpuPercent: Number(idleCpuPercent.toFixed(2)),
    latencyMs: { p50: percentile(sorted, 50), p99: percentile(sorted, 99) },
  };
  results.push(result);
  console.log(
    `${result.variant.padEnd(48)} RSS ${result.rssMb.toFixed(1).padStart(6)} MB   idle CPU ${result.idleCpuPercent.toFixed(2)} %   ` +
      `last byte → event p50 ${result.latencyMs.p50.toFixed(3)} ms p99 ${result.latencyMs.p99.toFixed(3)} ms`,
  );
}
console.log(
  `targets: RSS < 60 MB, idle CPU ≈ 0 (after ${idleSeconds} s idle, over ${idleSeconds} s)`,
);
writeBenchResult('reader-footprint', {
  date: new Date().toISOString(),
  reads,
  idleSeconds,
  results,
});
