/**
 * Card-auth throughput and latency with 100,000 users and cards, on SQLite and PostgreSQL,
 * against a bare node:http floor doing the same indexed queries (bench/card-auth-floor.ts);
 * then card-auth p99 while enrollments (argon2id) run at the same time. Issue #6 targets:
 * Cardbind ≥ 80 % of the floor's requests/s, and card-auth p99 < 10 ms during enrollments.
 *
 *   npm run bench:card-auth -- [--backend sqlite|postgres|both] [--duration 10] [--connections 16]
 *
 * Server and floor run as their own processes; autocannon and the enrollment loop run here.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import pg from 'pg';
import { withAdmin, type StorageLocation } from '@cardbind/server';
import { startPostgres } from '../test/support/postgres.ts';
import { freePort, startCli, type LongRunning } from '../test/support/processes.ts';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'both' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '16' },
    users: { type: 'string', default: '100000' },
  },
});
const DURATION = Number(values.duration);
const CONNECTIONS = Number(values.connections);
const USERS = Number(values.users);
const PASSWORD = 'bench password 1';
const cardOf = (i: number) => `CARD${String(i).padStart(8, '0')}`;

interface Row {
  backend: string;
  target: string;
  requestsPerSecond: number;
  p50: number;
  p90: number;
  p99: number;
  errors: number;
  enrollmentsPerSecond?: number;
}

/** Terminal, a few users with real passwords (for enrollments), then 100k users with one card each. */
async function seed(
  storage: StorageLocation,
  insertMany: (rows: Array<[string, string]>) => Promise<void>,
) {
  const terminalToken = await withAdmin(storage, async (admin) => {
    for (let i = 0; i < 8; i++) {
      await admin.addUser({
        username: `enroller${i}`,
        fullName: `Enroller ${i}`,
        email: null,
        password: PASSWORD,
      });
    }
    return (await admin.addTerminal('bench')).token;
  });
  const batch: Array<[string, string]> = [];
  for (let i = 1; i <= USERS; i++) {
    batch.push([`user${i}`, cardOf(i)]);
    if (batch.length === 1000 || i === USERS) await insertMany(batch.splice(0));
  }
  return terminalToken;
}

async function load(url: string, token: string, title: string, during?: () => Promise<number>) {
  const started = Date.now();
  const extra = during?.();
  const result = await autocannon({
    url: `${url}/api/v1/terminal/card-auth`,
    method: 'POST',
    connections: CONNECTIONS,
    duration: DURATION,
    title,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (request) => ({
          ...request,
          body: JSON.stringify({ cardId: cardOf(1 + Math.floor(Math.random() * USERS)) }),
        }),
      },
    ],
  });
  const enrollments = extra ? await extra : undefined;
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
    ...(enrollments === undefined
      ? {}
      : { enrollmentsPerSecond: enrollments / ((Date.now() - started) / 1000) }),
  };
}

/** Unknown card → enroll with a password, over and over, until the load test ends. */
function enrollLoop(url: string, token: string, stopAfterMs: number) {
  return async () => {
    const until = Date.now() + stopAfterMs;
    let done = 0;
    const post = (endpoint: string, body: object) =>
      fetch(`${url}/api/v1/terminal/${endpoint}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then((r) => r.json() as Promise<Record<string, string>>);
    const worker = async (w: number) => {
      while (Date.now() < until) {
        const auth = await post('card-auth', {
          cardId: `NEW${randomBytes(6).toString('hex').toUpperCase()}`,
        });
        const result = await post('enroll', {
          enrollmentToken: auth.enrollmentToken,
          username: `enroller${w}`,
          secret: PASSWORD,
          method: 'password',
        });
        if (result.result === 'enrolled') done++;
      }
    };
    await Promise.all([0, 1].map(worker));
    return done;
  };
}

async function run(backend: 'sqlite' | 'postgres'): Promise<Row[]> {
  const cleanups: Array<() => Promise<void> | void> = [];
  try {
    let storage: StorageLocation;
    let serverArgs: string[];
    let floorArgs: string[];
    let insertMany: (rows: Array<[string, string]>) => Promise<void>;
    const at = new Date().toISOString();
    if (backend === 'sqlite') {
      const dir = mkdtempSync(path.join(tmpdir(), 'cardbind-bench-'));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      storage = { dataDir: dir };
      serverArgs = ['--data', dir];
      floorArgs = ['sqlite', dir];
      await withAdmin(storage, async () => {}); // create and migrate
      const db = new Database(path.join(dir, 'cardbind.sqlite'));
      const user = db.prepare(
        'INSERT INTO users (username, username_key, full_name, created_at) VALUES (?, ?, ?, ?)',
      );
      const card = db.prepare('INSERT INTO cards (card_id, user_id, created_at) VALUES (?, ?, ?)');
      insertMany = async (rows) =>
        db.transaction(() => {
          for (const [username, cardId] of rows) {
            const id = user.run(username, username, username, at).lastInsertRowid;
            card.run(cardId, id, at);
          }
        })();
      cleanups.push(() => void db.close());
    } else {
      const cluster = await startPostgres();
      cleanups.push(() => cluster.stop());
      const url = await cluster.createDatabase();
      process.env.CARDBIND_SECRET_KEY = randomBytes(32).toString('base64');
      storage = { databaseUrl: url };
      serverArgs = ['--database-url', url];
      floorArgs = ['postgres', url];
      await withAdmin(storage, async () => {});
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      cleanups.push(() => client.end());
      insertMany = async (rows) => {
        const users = await client.query<{ id: number }>(
          `INSERT INTO users (username, username_key, full_name, created_at)
           SELECT u, u, u, $2 FROM unnest($1::text[]) AS u RETURNING id`,
          [rows.map(([u]) => u), at],
        );
        await client.query(
          `INSERT INTO cards (card_id, user_id, created_at)
           SELECT c, u, $3::text FROM unnest($1::text[], $2::int[]) AS t(c, u)`,
          [rows.map(([, c]) => c), users.rows.map((r) => r.id), at],
        );
      };
      await client.query('ANALYZE');
    }
    console.error(`[${backend}] seeding ${USERS} users and cards…`);
    const token = await seed(storage, insertMany);

    const serverPort = await freePort();
    const server: LongRunning = await startCli(
      ['server', ...serverArgs, '--port', String(serverPort), '--log-level', 'warn'],
      /listening on/,
    );
    cleanups.push(() => server.stop());
    const floorPort = await freePort();
    const floor = await startProcess([
      '--import',
      'tsx',
      'bench/card-auth-floor.ts',
      String(floorPort),
      ...floorArgs,
    ]);
    cleanups.push(() => floor.stop());
    const cardbindUrl = `http://127.0.0.1:${serverPort}`;

    console.error(
      `[${backend}] load: floor, Cardbind, Cardbind during enrollments (${DURATION} s each)…`,
    );
    const floorResult = await load(`http://127.0.0.1:${floorPort}`, token, 'floor');
    const cardbind = await load(cardbindUrl, token, 'cardbind');
    const busy = await load(
      cardbindUrl,
      token,
      'cardbind+enroll',
      enrollLoop(cardbindUrl, token, DURATION * 1000),
    );
    return [
      { backend, target: 'floor (node:http)', ...floorResult },
      { backend, target: 'Cardbind', ...cardbind },
      { backend, target: 'Cardbind + enrollments', ...busy },
    ];
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
}

/** The floor server, as a plain node process (no CLI). */
async function startProcess(args: string[]) {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => d.toString().includes('listening') && resolve());
    child.once('exit', (code) => reject(new Error(`floor exited with ${code}`)));
  });
  return { stop: async () => void child.kill() };
}

const backends =
  values.backend === 'both'
    ? (['sqlite', 'postgres'] as const)
    : [values.backend as 'sqlite' | 'postgres'];
const rows: Row[] = [];
for (const backend of backends) rows.push(...(await run(backend)));

console.log(
  `\ncard-auth, ${USERS} users and cards, ${CONNECTIONS} connections, ${DURATION} s per run`,
);
console.log(
  'backend   target                    req/s     p50 ms  p90 ms  p99 ms  errors  enroll/s',
);
for (const r of rows) {
  console.log(
    [
      r.backend.padEnd(9),
      r.target.padEnd(24),
      r.requestsPerSecond.toFixed(0).padStart(7),
      String(r.p50).padStart(8),
      String(r.p90).padStart(7),
      String(r.p99).padStart(7),
      String(r.errors).padStart(7),
      r.enrollmentsPerSecond === undefined ? '' : r.enrollmentsPerSecond.toFixed(1).padStart(9),
    ].join(' '),
  );
}
for (const backend of backends) {
  const [floor, cardbind, busy] = rows.filter((r) => r.backend === backend);
  const ratio = cardbind!.requestsPerSecond / floor!.requestsPerSecond;
  console.log(
    `${backend}: Cardbind/floor = ${(ratio * 100).toFixed(0)} % (target ≥ 80 %); ` +
      `p99 during enrollments ${busy!.p99} ms (target < 10 ms)`,
  );
}
mkdirSync(path.join(import.meta.dirname, 'results'), { recursive: true });
writeFileSync(
  path.join(import.meta.dirname, 'results', 'card-auth.json'),
  JSON.stringify(
    {
      date: new Date().toISOString(),
      users: USERS,
      connections: CONNECTIONS,
      duration: DURATION,
      rows,
    },
    null,
    2,
  ) + '\n',
);
