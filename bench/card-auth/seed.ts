/**
 * A database with `users` users holding one card each, written straight into the tables in
 * batches (no argon2: their password hash is NULL), plus a few users with real password hashes
 * for the enrollment load and one terminal whose token comes from `AdminOperations.addTerminal`.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { withAdmin, type StorageLocation } from '@cardbind/server';
import { silentLogger } from '@cardbind/shared';
import { startPostgres } from '../../test/support/postgres.ts';

export type Backend = 'sqlite' | 'postgres';
export const ENROLLER_PASSWORD = 'bench password 1';
export const ENROLLERS = 8;
export const cardOf = (i: number) => `CARD${String(i).padStart(8, '0')}`;

export interface Seeded {
  storage: StorageLocation;
  /** Where the floor reads: the SQLite data directory or the PostgreSQL URL. */
  where: string;
  terminalToken: string;
  cleanup(): Promise<void>;
}

type InsertBatch = (rows: Array<[username: string, cardId: string]>) => Promise<void>;

export async function seed(
  backend: Backend,
  users: number,
  options: { pgFsync: boolean },
): Promise<Seeded> {
  const cleanups: Array<() => unknown> = [];
  const cleanup = async () => {
    for (const step of cleanups.reverse()) await step();
  };
  try {
    const at = new Date().toISOString();
    let storage: StorageLocation;
    let insertBatch: InsertBatch;
    let analyze: () => Promise<void>;
    if (backend === 'sqlite') {
      const dir = mkdtempSync(path.join(tmpdir(), 'cardbind-bench-'));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      storage = { dataDir: dir };
      await withAdmin(storage, async () => {}, { logger: silentLogger }); // create and migrate
      const db = new Database(path.join(dir, 'cardbind.sqlite'));
      cleanups.push(() => db.close());
      const user = db.prepare(
        'INSERT INTO users (username, username_key, full_name, created_at) VALUES (?, ?, ?, ?)',
      );
      const card = db.prepare('INSERT INTO cards (card_id, user_id, created_at) VALUES (?, ?, ?)');
      const batch = db.transaction((rows: Array<[string, string]>) => {
        for (const [username, cardId] of rows) {
          card.run(
            cardId,
            user.run(username, username, `User ${username}`, at).lastInsertRowid,
            at,
          );
        }
      });
      insertBatch = async (rows) => batch(rows);
      analyze = async () => void db.exec('ANALYZE');
    } else {
      const cluster = await startPostgres();
      cleanups.push(() => cluster.stop());
      const url = await cluster.createDatabase();
      // The server's key for PostgreSQL deployments (see server-key.ts); the server inherits it.
      process.env.CARDBIND_SECRET_KEY ??= randomBytes(32).toString('base64');
      storage = { databaseUrl: url };
      await withAdmin(storage, async () => {}, { logger: silentLogger });
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      cleanups.push(() => client.end());
      // The test cluster starts with fsync=off; a deployment commits every audit row durably.
      await client.query(`ALTER SYSTEM SET fsync = ${options.pgFsync ? 'on' : 'off'}`);
      await client.query('SELECT pg_reload_conf()');
      insertBatch = async (rows) => {
        await client.query(
          `WITH u AS (
             INSERT INTO users (username, username_key, full_name, created_at)
             SELECT name, name, 'User ' || name, $3 FROM unnest($1::text[]) AS name
             RETURNING id, username)
           INSERT INTO cards (card_id, user_id, created_at)
           SELECT t.card, u.id, $3 FROM unnest($1::text[], $2::text[]) AS t(name, card)
           JOIN u ON u.username = t.name`,
          [rows.map(([u]) => u), rows.map(([, c]) => c), at],
        );
      };
      analyze = async () => void (await client.query('VACUUM ANALYZE'));
    }

    const terminalToken = await withAdmin(
      storage,
      async (admin) => {
        for (let i = 0; i < ENROLLERS; i++) {
          await admin.addUser({
            username: `enroller${i}`,
            fullName: `Enroller ${i}`,
            email: null,
            password: ENROLLER_PASSWORD,
          });
        }
        return (await admin.addTerminal('bench')).token;
      },
      { logger: silentLogger },
    );
    const rows: Array<[string, string]> = [];
    for (let i = 1; i <= users; i++) {
      rows.push([`user${i}`, cardOf(i)]);
      if (rows.length === 5000 || i === users) await insertBatch(rows.splice(0));
    }
    await analyze();
    const where = 'dataDir' in storage ? storage.dataDir : storage.databaseUrl;
    return { storage, where, terminalToken, cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
