/**
 * Reader daemon footprint (issue #5 targets: RSS < 60 MB, idle CPU near zero), for each way of
 * running it:
 *
 *   npx tsx bench/reader-footprint.ts [--reads 300] [--idle 10]
 *
 * - `tsx`: `cardbind reader` from source, as in development (the process and tsx's esbuild
 *   service, which it keeps running);
 * - `bundle`: `node daemon/dist/cardbind-reader.mjs` (daemon/scripts/build-service.ts);
 * - `service`: the bundle with the node flags of packaging/linux/cardbind-reader.service, read
 *   from the unit file so the numbers are those of what ships.
 *
 * Each daemon reads one serial reader on a socat PTY. The bench sends some reads (latency from
 * the write of the last byte to the SSE event, so a memory saving that costs latency shows),
 * lets it idle, then reads resident memory (VmRSS of the daemon and its child processes) and CPU
 * time over the idle period from /proc.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import {
  buildReaderBundle,
  describeWay,
  idleFootprint,
  startDaemonOnPty,
  type ReaderDaemonWay,
} from './support/reader-daemon.ts';
import { percentile, timeSerialReads } from './support/reader-timing.ts';

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
  const run = await startDaemonOnPty(way);
  const { sortedMs: sorted } = await timeSerialReads(run.events, run.deviceEnd, reads);

  await sleep(idleSeconds * 1000);
  const { rssMb, idleCpuPercent } = await idleFootprint(run.daemon.pid, idleSeconds);
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
  await run.close();
}
console.log(
  `targets: RSS < 60 MB, idle CPU ≈ 0 (after ${idleSeconds} s idle, over ${idleSeconds} s)`,
);
writeFileSync(
  path.join(import.meta.dirname, 'results', 'reader-footprint.json'),
  JSON.stringify({ date: new Date().toISOString(), reads, idleSeconds, results }, null, 2) + '\n',
);
