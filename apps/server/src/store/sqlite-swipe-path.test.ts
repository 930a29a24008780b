import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEvent } from './audit.ts';
import type { Database } from './schema.ts';
import { openSqliteStore, SQLITE_FILE_NAME } from './sqlite.ts';
import { sqliteSwipeQueries } from './sqlite-swipe-path.ts';
import type { SwipeQueries } from './swipe-path.ts';

const at = '2026-01-01T10:00:00.000Z';
const audit = (subject: string): AuditEvent => ({
  at,
  action: 'card.auth',
  outcome: 'success',
  actor: 'terminal:Lobby',
  subject,
  terminal: 'Lobby',
  card: '******C3D4',
  detail: null,
});

/**
 * The prepared statements share Kysely's single connection: they must never run inside a
 * transaction Kysely has open on it (reading its uncommitted rows, or rolled back with it).
 */
describe('SQLite swipe queries beside Kysely transactions', () => {
  let dir: string;
  let sqlite: BetterSqlite3.Database;
  let db: Kysely<Database>;
  let swipe: SwipeQueries;
  let userId: number;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'cardbind-swipe-sqlite-'));
    const store = await openSqliteStore(dir, { backgroundCheckpoints: false });
    userId = (
      await store.createUser({
        username: 'ada',
        fullName: 'Ada',
        email: null,
        passwordHash: null,
        createdAt: at,
      })
    ).id;
    await store.close();
    sqlite = new BetterSqlite3(path.join(dir, SQLITE_FILE_NAME));
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    swipe = sqliteSwipeQueries(sqlite, db);
  });
  afterEach(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Opens a transaction that inserts a card, and holds it open until `finish` is called. */
  async function openTransaction() {
    let finish!: (commit: boolean) => void;
    const decided = new Promise<boolean>((resolve) => (finish = resolve));
    let begun!: () => void;
    const started = new Promise<void>((resolve) => (begun = resolve));
    const done = db
      .transaction()
      .execute(async (trx) => {
        await trx
          .insertInto('cards')
          .values({
            card_id: 'CARD-1',
            user_id: userId,
            terminal_id: null,
            created_at: at,
            expires_at: null,
            source: 'admin',
          })
          .execute();
        begun();
        if (!(await decided)) throw new Error('rolled back on purpose');
      })
      .catch(() => 'rolled back');
    await started;
    return { finish, done };
  }

  it('reads committed rows only: a swipe during a transaction waits for its end', async () => {
    const transaction = await openTransaction();
    expect(sqlite.inTransaction).toBe(true);
    const read = swipe.cardWithOwner('CARD-1');
    transaction.finish(false);
    expect(await transaction.done).toBe('rolled back');
    expect(await read).toBeUndefined();

    const committing = await openTransaction();
    const readAgain = swipe.cardWithOwner('CARD-1');
    committing.finish(true);
    await committing.done;
    expect((await readAgain)?.username).toBe('ada');
  });

  it('keeps audit rows written during a transaction that rolls back', async () => {
    const transaction = await openTransaction();
    const written = swipe.insertAuditEvents([audit('user:ada'), audit('user:bob')]);
    transaction.finish(false);
    await transaction.done;
    await written;
    const rows = await db.selectFrom('audit_events').select('subject').orderBy('id').execute();
    expect(rows.map((r) => r.subject)).toEqual(['user:ada', 'user:bob']);
  });

  it('runs at once when no transaction is open, without waiting on Kysely', async () => {
    expect(sqlite.inTransaction).toBe(false);
    const writing = swipe.insertAuditEvents([audit('user:ada')]);
    // In the database before the promise is even awaited: the insert ran synchronously.
    const count = sqlite.prepare('SELECT count(*) AS n FROM audit_events').get() as { n: number };
    expect(count.n).toBe(1);
    await writing;
    expect(await swipe.terminalByTokenHash('nope')).toBeUndefined();
  });

  it('writes a batch of audit rows all or none', async () => {
    const broken = { ...audit('user:ada'), action: null } as unknown as AuditEvent;
    await expect(swipe.insertAuditEvents([audit('user:bob'), broken])).rejects.toThrow(/NOT NULL/);
    const count = sqlite.prepare('SELECT count(*) AS n FROM audit_events').get() as { n: number };
    expect(count.n).toBe(0);
  });
});
