/**
 * The floor of the card-auth benchmark: a bare node:http server answering
 * POST /api/v1/terminal/card-auth with the indexed reads the real endpoint must make, on the
 * same database, with the same JSON:
 *
 *   1. the terminal by the SHA-256 hash of its bearer token (UNIQUE index on token_hash);
 *   2. the card joined with its user by card id (UNIQUE index on card_id, then users' key),
 *      selecting the same columns as Cardbind, and the same expiry and disabled checks.
 *
 * Prepared statements on both backends (named ones on PostgreSQL). It does not validate the
 * body, log, or update the terminal's last-seen time (Cardbind writes that once a minute), and
 * it reads the terminal on every swipe (Cardbind caches it for 2 s). With `audit` it also inserts the audit row Cardbind writes for every
 * swipe: the floor for an endpoint that must keep an audit trail.
 *
 *   node --import tsx bench/card-auth/floor.ts PORT (sqlite DATA_DIR | postgres URL) [audit]
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { maskCardId } from '@cardbind/shared';

const [port, backend, where, withAudit] = process.argv.slice(2);
const TERMINAL = 'SELECT id, name, created_at, last_seen_at FROM terminals WHERE token_hash = $1';
const CARD =
  'SELECT users.*, cards.expires_at AS card_expires_at FROM cards ' +
  'JOIN users ON users.id = cards.user_id WHERE cards.card_id = $1';
const AUDIT =
  'INSERT INTO audit_events (at, action, outcome, actor, subject, terminal, card, detail) ' +
  "VALUES ($1, 'card.auth', 'success', $2, $3, $4, $5, NULL)";

interface Terminal {
  name: string;
}
interface Owner {
  username: string;
  full_name: string;
  disabled_at: string | null;
  card_expires_at: string | null;
}
interface Db {
  terminal(tokenHash: string): Promise<Terminal | undefined>;
  card(cardId: string): Promise<Owner | undefined>;
  audit(values: string[]): Promise<void>;
}

function sqlite(dir: string): Db {
  const db = new Database(path.join(dir, 'cardbind.sqlite'));
  db.pragma('journal_mode = WAL'); // as the server opens it
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  const positional = (sql: string) => db.prepare(sql.replace(/\$\d/g, '?'));
  const [terminal, card, audit] = [TERMINAL, CARD, AUDIT].map(positional) as [
    Database.Statement,
    Database.Statement,
    Database.Statement,
  ];
  return {
    terminal: async (hash) => terminal.get(hash) as Terminal | undefined,
    card: async (cardId) => card.get(cardId) as Owner | undefined,
    audit: async (values) => void audit.run(values),
  };
}

function postgres(url: string): Db {
  const pool = new pg.Pool({ connectionString: url, max: 10 }); // as the server's pool
  // Named statements, parsed and planned once per connection, as the server's swipe path has.
  const query = <R extends pg.QueryResultRow>(name: string, text: string, values: string[]) =>
    pool.query<R>({ name, text, values });
  return {
    terminal: async (hash) => (await query<Terminal>('terminal', TERMINAL, [hash])).rows[0],
    card: async (cardId) => (await query<Owner>('card', CARD, [cardId])).rows[0],
    audit: async (values) => void (await query('audit', AUDIT, values)),
  };
}

const db = backend === 'postgres' ? postgres(where!) : sqlite(where!);

async function answer(authorization: string, body: string): Promise<[number, object]> {
  const token = authorization.startsWith('Bearer ') ? authorization.slice(7) : '';
  const terminal = await db.terminal(createHash('sha256').update(token).digest('base64url'));
  if (!terminal) return [401, { error: 'terminal_unauthorized' }];
  const { cardId } = JSON.parse(body) as { cardId: string };
  const now = new Date().toISOString();
  const owner = await db.card(cardId);
  if (!owner || (owner.card_expires_at !== null && owner.card_expires_at <= now)) {
    return [404, { result: 'unknown' }]; // never happens: the load swipes known cards only
  }
  if (owner.disabled_at !== null) return [403, { error: 'forbidden' }];
  if (withAudit === 'audit') {
    const card = maskCardId(cardId);
    await db.audit([
      now,
      `terminal:${terminal.name}`,
      `user:${owner.username}`,
      terminal.name,
      card,
    ]);
  }
  return [200, { result: 'known', user: { username: owner.username, fullName: owner.full_name } }];
}

createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    answer(request.headers.authorization ?? '', Buffer.concat(chunks).toString()).then(
      ([status, json]) => {
        response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
        response.end(JSON.stringify(json));
      },
      (error: unknown) => {
        console.error(error);
        response.writeHead(500).end();
      },
    );
  });
}).listen(Number(port), '127.0.0.1', () => console.log(`floor listening on ${port}`));
