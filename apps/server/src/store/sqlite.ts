import { chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, type SqliteDatabase } from 'kysely';
import { silentLogger, type Logger } from '@cardbind/shared';
import type { AuditBatching } from './audit.ts';
import { KyselyStore } from './kysely-store.ts';
import { SqliteCheckpointer } from './sqlite-checkpointer.ts';
import { sqliteSwipeQueries } from './sqlite-swipe-path.ts';
import type { Database } from './schema.ts';

export const SQLITE_FILE_NAME = 'cardbind.sqlite';

export interface SqliteStoreOptions {
  logger?: Logger;
  /**
   * Checkpoint the WAL on a worker thread (the server) rather than in whichever statement
   * commits (SQLite's default, fine for the admin CLI's short tasks and for tests). Off unless
   * asked for: `openStore` asks for it for a long-running server.
   */
  backgroundCheckpoints?: boolean;
  checkpointIntervalMs?: number;
  /** See `KyselyStoreOptions`. */
  terminalCacheMs?: number;
  audit?: AuditBatching;
}

/**
 * Opens (creating if needed) the embedded database in `dataDir` and brings its schema up to date.
 * WAL mode lets the admin CLI write while a server is running on the same data directory.
 */
export async function openSqliteStore(
  dataDir: string,
  options: SqliteStoreOptions = {},
): Promise<SqliteStore> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, SQLITE_FILE_NAME);
  const sqlite = new BetterSqlite3(file);
  // Password hashes live here: owner only. SQLite gives its -wal/-shm files the same mode.
  chmodSync(file, 0o600);
  sqlite.pragma('journal_mode = WAL');
  // WAL with NORMAL sync cannot corrupt the database; a power cut may lose the last commits,
  // while FULL would fsync every swipe's audit record.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
  });
  const logger = options.logger ?? silentLogger;
  let checkpointer: SqliteCheckpointer | undefined;
  if (options.backgroundCheckpoints === true) {
    sqlite.pragma('wal_autocheckpoint = 0');
    checkpointer = new SqliteCheckpointer(file, {
      logger,
      ...(options.checkpointIntervalMs ? { intervalMs: options.checkpointIntervalMs } : {}),
      onFailure: () => sqlite.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT}`),
    });
  }
  const store = Object.assign(
    new KyselyStore(db, 'sqlite', sqliteSwipeQueries(sqlite, db), {
      logger,
      ...(options.terminalCacheMs === undefined
        ? {}
        : { terminalCacheMs: options.terminalCacheMs }),
      ...(options.audit ? { audit: options.audit } : {}),
      beforeClose: async () => {
        await checkpointer?.stop();
      },
    }),
    { checkpointer },
  );
  try {
    await store.migrate();
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

/** The SQLite store, with its checkpoint thread when it has one (tests look at it). */
export type SqliteStore = KyselyStore & { checkpointer: SqliteCheckpointer | undefined };

/** SQLite's own default: checkpoint once the WAL holds 1,000 pages. */
const SQLITE_DEFAULT_AUTOCHECKPOINT = 1000;

/**
 * Kysely prepares every query anew; preparing is most of the cost of the small, indexed queries
 * a swipe makes. Kysely's SQL is parameterized, so the text repeats and statements can be reused.
 */
function withStatementCache(sqlite: BetterSqlite3.Database, capacity = 500): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let statement = cache.get(sql);
      if (statement === undefined) {
        statement = sqlite.prepare(sql);
        if (cache.size >= capacity) cache.delete(cache.keys().next().value as string);
        cache.set(sql, statement);
      }
      return statement;
    },
  };
}
