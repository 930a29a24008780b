/**
 * Issue #6: card-auth throughput and latency with 100,000 users and cards, on SQLite and
 * PostgreSQL, against a bare node:http floor making the same indexed queries
 * (bench/card-auth/floor.ts). Targets: Cardbind ≥ 80 % of the floor's requests/s, and card-auth
 * p99 < 10 ms while enrollments (argon2id) run. How to read the numbers: bench/README.md.
 *
 *   npm run bench:card-auth -- [--backend sqlite|postgres|both] [--duration 10] [--warmup 3]
 *     [--rounds 5] [--latency-rounds 3] [--connections 16] [--rate 200] [--enrollers 1]
 *     [--users 100000] [--pg-fsync on|off]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { freePort, startCli, startProcess } from '../test/support/processes.ts';
import { measureCpu } from './card-auth/cpu.ts';
import { paced, saturate, summarize, type Measured, type Sample } from './card-auth/load.ts';
import { ENROLLERS, seed, type Backend } from './card-auth/seed.ts';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'both' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '5' },
    'latency-rounds': { type: 'string', default: '3' },
    connections: { type: 'string', default: '16' },
    rate: { type: 'string', default: '200' },
    enrollers: { type: 'string', default: '1' },
    users: { type: 'string', default: '100000' },
    'pg-fsync': { type: 'string', default: 'on' },
  },
});
/** A count of rounds: a whole number of at least 1, else the bench stops before seeding. */
function roundCount(flag: 'rounds' | 'latency-rounds'): number {
  const value = Number(values[flag]);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`--${flag} must be a whole number of at least 1 (got ${values[flag]})`);
  return value;
}
const options = {
  seconds: Number(values.duration),
  warmup: Number(values.warmup),
  rounds: roundCount('rounds'),
  latencyRounds: roundCount('latency-rounds'),
  connections: Number(values.connections),
  rate: Number(values.rate),
  enrollers: Math.min(ENROLLERS, Number(values.enrollers)),
  users: Number(values.users),
  pgFsync: values['pg-fsync'] !== 'off',
};
const BACKENDS: Backend[] =
  values.backend === 'both' ? ['sqlite', 'postgres'] : [values.backend as Backend];

interface Row extends Measured {
  backend: Backend;
  target: string;
  load: string;
  /** CPU µs per answered swipe of the server, and of PostgreSQL; not for runs with enrollments. */
  serverCpuPerRequest?: number;
  databaseCpuPerRequest?: number;
  /** Cores other processes on the machine used meanwhile (noise). */
  otherCores: number;
  /** Of runs pooled over several rounds: each round's own p99, to show the spread. */
  roundP99s?: number[];
  enrollmentsPerSecond?: number;
}

interface Summary {
  backend: Backend;
  /** Cardbind's req/s over the floor's, measured back to back in each round; the median. */
  throughputRatio: number;
  throughputRatioToFloorWithAudit: number;
  /** The floor's CPU (server + database) per swipe over Cardbind's: the same ratio, without noise. */
  cpuCostRatio: number;
  /** Over all latency rounds' swipes together. */
  p99AtRate: number;
  p99AtRateDuringEnrollments: number;
  roundP99sDuringEnrollments: number[];
  enrollmentsPerSecond: number;
}

interface Target {
  name: string;
  url: string;
  pid: number;
  /** What the process printed so far (stdout and stderr), to show when its answers fail. */
  output(): string;
}

/** The last `count` lines of a process's output. */
const tail = (output: string, count = 20) => output.trimEnd().split('\n').slice(-count).join('\n');

/** The middle value; of an even count, the mean of the two middle ones (2 rounds: their mean). */
const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/**
 * The server's node options as deployed: the `Environment=NODE_OPTIONS=…` line of
 * packaging/linux/cardbind-server.service. The floor runs with them too, so that both sides of
 * the ratio have the same V8 heap settings.
 */
function deployedNodeOptions(): string {
  const unit = readFileSync(
    path.resolve(import.meta.dirname, '../packaging/linux/cardbind-server.service'),
    'utf8',
  );
  const options = /^Environment=NODE_OPTIONS=(.*)$/m.exec(unit)?.[1];
  if (options === undefined)
    throw new Error('no Environment=NODE_OPTIONS= line in cardbind-server.service');
  return options.trim();
}
// Read when each process starts: seeding sets variables (CARDBIND_SECRET_KEY) after this module loads.
const deployedEnv = () => ({ ...process.env, NODE_OPTIONS: deployedNodeOptions() });

/** A node process running a TypeScript file of the bench, once it prints `ready`. */
const startNode = (args: string[], ready = /listening/) =>
  startProcess({
    name: args[0] ?? 'node',
    nodeArgs: ['--import', 'tsx', ...args],
    ready,
    env: deployedEnv(),
  });

async function run(backend: Backend): Promise<{ rows: Row[]; summary: Summary }> {
  console.error(`[${backend}] seeding ${options.users} users and cards…`);
  const seeding = Date.now();
  const seeded = await seed(backend, options.users, options);
  console.error(`[${backend}] seeded in ${((Date.now() - seeding) / 1000).toFixed(1)} s`);
  const stops: Array<() => unknown> = [];
  try {
    // The PostgreSQL cluster's processes, by the port on their command line.
    const database =
      backend === 'postgres' ? new RegExp(` -p ${new URL(seeded.where).port} `) : undefined;
    const port = await freePort();
    const storage =
      backend === 'sqlite' ? ['--data', seeded.where] : ['--database-url', seeded.where];
    const server = await startCli(
      ['server', ...storage, '--port', String(port), '--log-level', 'warn'],
      /listening on/,
      30_000,
      deployedEnv(),
    );
    stops.push(() => server.stop());
    const cardbind: Target = {
      name: 'Cardbind',
      url: `http://127.0.0.1:${port}`,
      pid: server.child.pid!,
      output: () => server.output(),
    };
    const startFloor = async (name: string, extra: string[]): Promise<Target> => {
      const port = await freePort();
      const args = ['bench/card-auth/floor.ts', String(port), backend, seeded.where, ...extra];
      const floor = await startNode(args);
      stops.push(() => floor.stop());
      return {
        name,
        url: `http://127.0.0.1:${port}`,
        pid: floor.child.pid!,
        output: () => floor.output(),
      };
    };
    const floor = await startFloor('floor', []);
    const floorWithAudit = await startFloor('floor + audit row', ['audit']);
    const targets = [floor, floorWithAudit, cardbind];

    const common = { token: seeded.terminalToken, users: options.users, seconds: options.seconds };
    /** `rounds` runs back to back under one CPU measurement, their swipes pooled. */
    const measure = async (
      target: Target,
      load: string,
      once: () => Promise<Sample>,
      rounds = 1,
    ): Promise<Row> => {
      const end = measureCpu(target.pid, database);
      const samples: Sample[] = [];
      for (let round = 0; round < rounds; round++) samples.push(await once());
      const cpu = end();
      const result = summarize(samples);
      if (result.errors > 0) {
        // A crash or error mid-run shows only here: the process's output is otherwise kept quiet.
        console.error(
          `[${backend}] ${target.name}, ${load}: ${result.errors} errors; the last lines it ` +
            `printed:\n${tail(target.output())}`,
        );
      }
      const perRequest = (ms: number) => (ms * 1000) / result.requests;
      return {
        backend,
        target: target.name,
        load,
        ...result,
        serverCpuPerRequest: perRequest(cpu.serverMs),
        ...(database ? { databaseCpuPerRequest: perRequest(cpu.databaseMs) } : {}),
        otherCores: cpu.otherCores,
        ...(rounds > 1 ? { roundP99s: samples.map((s) => summarize([s]).p99) } : {}),
      };
    };
    const saturated = `${options.connections} conn., saturated`;
    const closedLoop = (target: Target, seconds = options.seconds) =>
      measure(target, saturated, () =>
        saturate({ ...common, url: target.url, connections: options.connections, seconds }),
      );

    console.error(
      `[${backend}] warm-up ${options.warmup} s each, then ${options.rounds} rounds of ` +
        `${options.seconds} s: floor, floor + audit row, Cardbind`,
    );
    for (const target of targets) await closedLoop(target, options.warmup);
    const rounds = new Map<Target, Row[]>(targets.map((t) => [t, []]));
    for (let round = 0; round < options.rounds; round++) {
      for (const target of targets) rounds.get(target)!.push(await closedLoop(target));
    }
    const rows = targets.map((target): Row => {
      const runs = rounds.get(target)!;
      const pick = (key: keyof Row) => median(runs.map((r) => r[key] as number));
      return {
        ...runs[0]!,
        ...Object.fromEntries(
          (['requests', 'requestsPerSecond', 'p50', 'p90', 'p99', 'max'] as const).map((k) => [
            k,
            pick(k),
          ]),
        ),
        serverCpuPerRequest: pick('serverCpuPerRequest'),
        ...(database ? { databaseCpuPerRequest: pick('databaseCpuPerRequest') } : {}),
        errors: runs.reduce((sum, r) => sum + r.errors, 0),
        otherCores: Math.max(...runs.map((r) => r.otherCores)),
      };
    });
    const pairs = (floor: Target) =>
      rounds.get(cardbind)!.map((c, i) => [rounds.get(floor)![i]!, c] as const);
    const cpu = (r: Row) => r.serverCpuPerRequest! + (r.databaseCpuPerRequest ?? 0);

    console.error(
      `[${backend}] Cardbind at ${options.rate} req/s, alone then with ${options.enrollers} ` +
        'enrolling terminal(s); then saturated with enrollments',
    );
    const atRate = `${options.rate} req/s`;
    const steady = () => paced({ ...common, url: cardbind.url, rate: options.rate });
    const alone = await measure(cardbind, atRate, steady, options.latencyRounds);
    const withEnrollments = async (load: string, once: () => Promise<Sample>, rounds: number) => {
      const args = [cardbind.url, seeded.terminalToken, String(options.enrollers)];
      const enrolling = await startNode(['bench/card-auth/enroll.ts', ...args], /enrolling/);
      const started = performance.now();
      let row: Row;
      try {
        row = await measure(cardbind, load, once, rounds);
      } finally {
        // Also when the measurement throws: the enrolling process would otherwise outlive the bench.
        await enrolling.stop();
      }
      const seconds = (performance.now() - started) / 1000;
      const report = /^\{"enrolled":\d+\}$/m.exec(enrolling.output())?.[0];
      if (!report) throw new Error(`the enrolling process gave no count:\n${enrolling.output()}`);
      const { enrolled } = JSON.parse(report) as { enrolled: number };
      const { serverCpuPerRequest: _s, databaseCpuPerRequest: _d, ...rest } = row;
      return {
        ...rest,
        target: `Cardbind + ${options.enrollers} enrolling`,
        enrollmentsPerSecond: enrolled / seconds,
      };
    };
    const busy = await withEnrollments(atRate, steady, options.latencyRounds);
    const busySaturated = await withEnrollments(
      saturated,
      () => saturate({ ...common, url: cardbind.url, connections: options.connections }),
      1,
    );
    rows.push(alone, busy, busySaturated);
    return {
      rows,
      summary: {
        backend,
        throughputRatio: median(
          pairs(floor).map(([f, c]) => c.requestsPerSecond / f.requestsPerSecond),
        ),
        throughputRatioToFloorWithAudit: median(
          pairs(floorWithAudit).map(([f, c]) => c.requestsPerSecond / f.requestsPerSecond),
        ),
        cpuCostRatio: median(pairs(floor).map(([f, c]) => cpu(f) / cpu(c))),
        p99AtRate: alone.p99,
        p99AtRateDuringEnrollments: busy.p99,
        roundP99sDuringEnrollments: busy.roundP99s ?? [busy.p99],
        enrollmentsPerSecond: busy.enrollmentsPerSecond,
      },
    };
  } finally {
    for (const stop of stops.reverse()) await stop();
    await seeded.cleanup();
  }
}

const rows: Row[] = [];
const summaries: Summary[] = [];
for (const backend of BACKENDS) {
  const result = await run(backend);
  rows.push(...result.rows);
  summaries.push(result.summary);
}

const num = (x: number | undefined, width: number, digits = 0) =>
  (x === undefined ? '' : x.toFixed(digits)).padStart(width);
console.log(
  `\ncard-auth, ${options.users} users and cards, ${options.seconds} s per run; saturated runs: ` +
    `median of ${options.rounds} rounds; runs at ${options.rate} req/s: ${options.latencyRounds} ` +
    'rounds pooled. Latency in ms; CPU in µs per swipe (server + PostgreSQL).',
);
console.log(
  'backend   target                  load                  req/s     p50     p90     p99  CPU µs  other cores  enroll/s',
);
for (const r of rows) {
  const cpu =
    r.serverCpuPerRequest === undefined
      ? undefined
      : r.serverCpuPerRequest + (r.databaseCpuPerRequest ?? 0);
  console.log(
    [
      r.backend.padEnd(9),
      r.target.padEnd(23),
      r.load.padEnd(20),
      num(r.requestsPerSecond, 6),
      num(r.p50, 7, 2),
      num(r.p90, 7, 2),
      num(r.p99, 7, 2),
      num(cpu, 7),
      num(r.otherCores, 12, 2),
      num(r.enrollmentsPerSecond, 9, 1),
      r.errors ? ` ${r.errors} errors` : '',
    ].join(' '),
  );
}
const pct = (x: number) => `${(x * 100).toFixed(0)} %`;
const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
for (const s of summaries) {
  console.log(
    `${s.backend}: Cardbind/floor ${pct(s.throughputRatio)} of the req/s ` +
      `(target ≥ 80 %: ${verdict(s.throughputRatio >= 0.8)}), ${pct(s.cpuCostRatio)} by CPU per ` +
      `swipe, ${pct(s.throughputRatioToFloorWithAudit)} of the floor with audit row; p99 at ` +
      `${options.rate} req/s ${s.p99AtRate.toFixed(2)} ms, with enrollments ` +
      `${s.p99AtRateDuringEnrollments.toFixed(2)} ms (target < 10 ms: ` +
      `${verdict(s.p99AtRateDuringEnrollments < 10)}; each round's: ` +
      `${s.roundP99sDuringEnrollments.map((p) => p.toFixed(2)).join(', ')} ms), ` +
      `${s.enrollmentsPerSecond.toFixed(1)} enrollments/s`,
  );
}
const noisiest = Math.max(...rows.map((r) => r.otherCores));
if (noisiest > 0.1) {
  console.log(
    `Other processes used up to ${noisiest.toFixed(2)} of the cores during a run: ` +
      'req/s and latencies are disturbed; CPU µs per swipe much less so.',
  );
}
const results = path.join(import.meta.dirname, 'results');
mkdirSync(results, { recursive: true });
const date = new Date().toISOString();
const file = path.join(results, `card-auth-${date.replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify({ date, options, summaries, rows }, null, 2) + '\n');
console.log(`results: ${path.relative(process.cwd(), file)}`);
