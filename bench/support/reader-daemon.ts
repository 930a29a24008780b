import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  createPtyPair,
  freePort,
  startProcess,
  type LongRunning,
} from '../../test/support/processes.ts';
import { serviceNodeFlags } from '../../daemon/src/testing/service-unit.ts';
import {
  cpuTicks,
  residentMb,
  subscribeToCardEvents,
  timeSerialReads,
  type CardEvents,
  type SerialReadTimes,
} from './reader-timing.ts';

/**
 * How the reader benches run the daemon, each its own process:
 *
 * - `tsx`: `cardbind reader` from source, as in development;
 * - `bundle`: `node daemon/dist/cardbind-reader.mjs` (daemon/scripts/build-service.ts);
 * - `service`: the bundle with the node flags of packaging/linux/cardbind-reader.service, read
 *   from the unit file, so the numbers are those of what ships;
 * - `floor-serialport`, `floor-tty`: bench/reader-floor.ts, the least a Node process does to
 *   pass a line from the PTY to an SSE subscriber, reading through node-serialport or a
 *   `tty.ReadStream`.
 */
export type ReaderDaemonWay = 'tsx' | 'bundle' | 'service' | 'floor-serialport' | 'floor-tty';
export const READER_DAEMON_WAYS: readonly ReaderDaemonWay[] = [
  'tsx',
  'bundle',
  'service',
  'floor-serialport',
  'floor-tty',
];

const root = path.resolve(import.meta.dirname, '../..');
const bundle = path.join(root, 'daemon/dist/cardbind-reader.mjs');

/** Builds daemon/dist/cardbind-reader.mjs from the current source. */
export function buildReaderBundle(): void {
  const built = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'daemon/scripts/build-service.ts'],
    { cwd: root, encoding: 'utf8' },
  );
  if (built.status !== 0) throw new Error(`cannot build the daemon bundle:\n${built.stderr}`);
}

/** A label for reports: the way, and for `service` its flags. */
export function describeWay(way: ReaderDaemonWay): string {
  return way === 'service' ? `service (${serviceNodeFlags().join(' ')})` : way;
}

/** The `node` arguments that run the daemon `way` with the daemon arguments `args`. */
export function readerDaemonCommand(
  way: ReaderDaemonWay,
  args: string[],
  extraNodeFlags: string[] = [],
): string[] {
  switch (way) {
    case 'tsx':
      return [...extraNodeFlags, path.join(root, 'cli/bin/cardbind.js'), 'reader', ...args];
    case 'bundle':
      return [...extraNodeFlags, bundle, ...args];
    case 'service':
      return [...serviceNodeFlags(), ...extraNodeFlags, bundle, ...args];
    case 'floor-serialport':
    case 'floor-tty':
      return [
        ...extraNodeFlags,
        '--import',
        'tsx',
        path.join(root, 'bench/reader-floor.ts'),
        ...args,
        '--read',
        way.slice('floor-'.length),
      ];
  }
}

export interface RunningDaemon extends LongRunning {
  pid: number;
}

/** Starts the daemon `way` and resolves once it publishes card events. */
export async function startReaderDaemonProcess(
  way: ReaderDaemonWay,
  args: string[],
  extraNodeFlags: string[] = [],
): Promise<RunningDaemon> {
  const daemon = await startProcess({
    name: `the reader daemon (${way})`,
    nodeArgs: readerDaemonCommand(way, args, extraNodeFlags),
    ready: /publishing card events/,
  });
  if (daemon.child.pid === undefined) throw new Error('the reader daemon has no process id');
  return { ...daemon, pid: daemon.child.pid };
}

/** Resident memory of a process and its descendants (tsx keeps an esbuild child), in MB. */
export function treeRssMb(pid: number): number {
  const children = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        const fields = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.split(' ');
        return fields?.[1] === String(pid);
      } catch {
        return false;
      }
    })
    .map(Number);
  return residentMb(pid) + children.reduce((sum, child) => sum + treeRssMb(child), 0);
}

/** A daemon reading one serial reader on a socat PTY, with a subscriber to its card events. */
export interface DaemonOnPty {
  daemon: RunningDaemon;
  events: CardEvents;
  /** The PTY end the bench writes card reads into. */
  deviceEnd: string;
  close(): Promise<void>;
}

/**
 * Starts the daemon `way` on the reader end of a fresh PTY pair (repeat suppression off, so
 * every read becomes an event), with `args` added to its own, and subscribes to its events.
 */
async function startDaemonOnPty(
  way: ReaderDaemonWay,
  args: string[] = [],
  extraNodeFlags: string[] = [],
): Promise<DaemonOnPty> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cardbind-bench-'));
  const pty = await createPtyPair(dir);
  const port = await freePort();
  const daemonArgs = ['--serial', pty.readerEnd, '--port', String(port), '--repeat-window', '0'];
  const daemon = await startReaderDaemonProcess(way, [...daemonArgs, ...args], extraNodeFlags);
  const events = await subscribeToCardEvents(port);
  return {
    daemon,
    events,
    deviceEnd: pty.deviceEnd,
    async close() {
      events.close();
      await daemon.stop();
      await pty.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Resident memory of the process tree now, and its CPU use over the next `seconds` of idling
 * (from /proc, 100 clock ticks a second).
 */
async function idleFootprint(
  pid: number,
  seconds: number,
): Promise<{ rssMb: number; idleCpuPercent: number }> {
  const rssMb = treeRssMb(pid);
  const before = cpuTicks(pid);
  await sleep(seconds * 1000);
  return { rssMb, idleCpuPercent: ((cpuTicks(pid) - before) / 100 / seconds) * 100 };
}

export interface ReaderDaemonRunOptions {
  /** Timed card reads. */
  reads: number;
  /** Seconds of rest after the reads before memory is read (the burst's garbage settles). */
  settleSeconds: number;
  /** Seconds of idling over which CPU use is measured. */
  idleSeconds: number;
  /** Added to the daemon's own arguments (see {@link startDaemonOnPty}). */
  daemonArgs?: string[];
  nodeFlags?: string[];
}

export interface ReaderDaemonRun extends SerialReadTimes {
  /** What the daemon printed while the reads were timed (its GC trace, with `--trace-gc`). */
  outputDuringReads: string;
  rssMb: number;
  idleCpuPercent: number;
}

/**
 * One run of the reader benches: the daemon `way` on a fresh PTY, `reads` timed card reads, a
 * rest, then its resident memory and its CPU use while idle. The daemon is stopped at the end,
 * also when a step fails. Build the bundle first for `bundle` and `service`.
 */
export async function runReaderDaemon(
  way: ReaderDaemonWay,
  options: ReaderDaemonRunOptions,
): Promise<ReaderDaemonRun> {
  const run = await startDaemonOnPty(way, options.daemonArgs, options.nodeFlags);
  try {
    const outputBefore = run.daemon.output().length;
    const times = await timeSerialReads(run.events, run.deviceEnd, options.reads);
    const outputDuringReads = run.daemon.output().slice(outputBefore);
    await sleep(options.settleSeconds * 1000);
    const footprint = await idleFootprint(run.daemon.pid, options.idleSeconds);
    return { ...times, outputDuringReads, ...footprint };
  } finally {
    await run.close();
  }
}

/** Writes a bench's result to bench/results/`name`.json (the latest run; the README dates it). */
export function writeBenchResult(name: string, result: unknown): void {
  const results = path.join(root, 'bench/results');
  mkdirSync(results, { recursive: true });
  writeFileSync(path.join(results, `${name}.json`), JSON.stringify(result, null, 2) + '\n');
}
