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
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { createPtyPair, freePort } from '../test/support/processes.ts';
import {
  cpuTicks,
  percentile,
  residentMb,
  subscribeToCardEvents,
  timeSerialReads,
} from './support/reader-timing.ts';

const { values } = parseArgs({
  options: {
    reads: { type: 'string', default: '300' },
    idle: { type: 'string', default: '10' },
  },
});
const reads = Number(values.reads);
const idleSeconds = Number(values.idle);
const root = path.resolve(import.meta.dirname, '..');
const bundle = path.join(root, 'daemon/dist/cardbind-reader.mjs');

const built = spawnSync(process.execPath, ['--import', 'tsx', 'daemon/scripts/build-service.ts'], {
  cwd: root,
  encoding: 'utf8',
});
if (built.status !== 0) throw new Error(`cannot build the daemon bundle:\n${built.stderr}`);

const unit = readFileSync(path.join(root, 'packaging/linux/cardbind-reader.service'), 'utf8');
const serviceFlags = /^ExecStart=\S*node((?: --\S+)*) \S*cardbind-reader\.mjs/m
  .exec(unit)?.[1]
  ?.trim()
  .split(' ')
  .filter(Boolean);
if (!serviceFlags) throw new Error('no `node ... cardbind-reader.mjs` ExecStart in the unit file');

const variants: Array<{ name: string; command: (args: string[]) => string[] }> = [
  { name: 'tsx', command: (args) => [path.join(root, 'cli/bin/cardbind.js'), 'reader', ...args] },
  { name: 'bundle', command: (args) => [bundle, ...args] },
  {
    name: `service (${serviceFlags.join(' ')})`,
    command: (args) => [...serviceFlags, bundle, ...args],
  },
];

/** Resident memory of a process and its descendants, in MB. */
function treeRssMb(pid: number): number {
  const children = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        return (
          readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ')[1] === String(pid)
        );
      } catch {
        return false;
      }
    })
    .map(Number);
  return residentMb(pid) + children.reduce((sum, child) => sum + treeRssMb(child), 0);
}

async function waitFor(child: ChildProcess, pattern: RegExp): Promise<void> {
  let output = '';
  const deadline = Date.now() + 30_000;
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  while (!pattern.test(output)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`the daemon did not start:\n${output}`);
    }
    await sleep(50);
  }
}

const results = [];
for (const variant of variants) {
  const dir = mkdtempSync(path.join(tmpdir(), 'cardbind-footprint-'));
  const pty = await createPtyPair(dir);
  const port = await freePort();
  const args = ['--serial', pty.readerEnd, '--port', String(port), '--repeat-window', '0'];
  const daemon = spawn(process.execPath, variant.command(args), { cwd: root });
  await waitFor(daemon, /publishing card events/);
  const pid = daemon.pid!;

  const events = await subscribeToCardEvents(port);
  const { sortedMs: sorted } = await timeSerialReads(events, pty.deviceEnd, reads);

  await sleep(idleSeconds * 1000);
  const rssMb = treeRssMb(pid);
  const before = cpuTicks(pid);
  await sleep(idleSeconds * 1000);
  const idleCpuPercent = ((cpuTicks(pid) - before) / 100 / idleSeconds) * 100;
  const result = {
    variant: variant.name,
    rssMb: Number(rssMb.toFixed(1)),
    idleCpuPercent: Number(idleCpuPercent.toFixed(2)),
    latencyMs: { p50: percentile(sorted, 50), p99: percentile(sorted, 99) },
  };
  results.push(result);
  console.log(
    `${variant.name.padEnd(48)} RSS ${result.rssMb.toFixed(1).padStart(6)} MB   idle CPU ${result.idleCpuPercent.toFixed(2)} %   ` +
      `last byte → event p50 ${result.latencyMs.p50.toFixed(3)} ms p99 ${result.latencyMs.p99.toFixed(3)} ms`,
  );

  events.close();
  daemon.kill('SIGTERM');
  await new Promise((resolve) => daemon.once('exit', resolve));
  await pty.close();
  rmSync(dir, { recursive: true, force: true });
}
console.log(
  `targets: RSS < 60 MB, idle CPU ≈ 0 (after ${idleSeconds} s idle, over ${idleSeconds} s)`,
);
writeFileSync(
  path.join(import.meta.dirname, 'results', 'reader-footprint.json'),
  JSON.stringify({ date: new Date().toISOString(), reads, idleSeconds, results }, null, 2) + '\n',
);
