import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Logger } from '@cardbind/shared';
import type { AuditBatching } from './audit.ts';
import { KyselyStore } from './kysely-store.ts';
import { postgresSwipeQueries } from './postgres-swipe-path.ts';
import type { Database } from './schema.ts';

/**
 * Opens the store on PostgreSQL (`postgres://user:password@host:port/database`) and migrates it.
 * Several server instances may share one database: Kysely's migrator takes a lock, so two
 * instances starting together do not migrate twice.
 */
export async function openPostgresStore(
  connectionString: string,
  options: {
    maxConnections?: number;
    logger?: Logger;
    /**
     * See `KyselyStoreOptions`. Another instance on the same database sees a terminal revoked or
     * renamed here within this time (2 s by default); this instance sees it at once.
     */
    terminalCacheMs?: number;
    audit?: AuditBatching;
  } = {},
): Promise<KyselyStore> {
  const pool = new pg.Pool({ connectionString, max: options.maxConnections ?? 10 });
  const store = new KyselyStore(
    new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }),
    'postgres',
    postgresSwipeQueries(pool),
    {
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.terminalCacheMs === undefined
        ? {}
        : { terminalCacheMs: options.terminalCacheMs }),
      ...(options.audit ? { audit: options.audit } : {}),
    },
  );
  try {
    await pool.query('SELECT 1').catch((error: unknown) => {
      throw new Error(
        `Cannot connect to PostgreSQL at ${redact(connectionString)}: ${String((error as Error).message ?? error)}. ` +
          'Check DATABASE_URL and that the database server is running and reachable.',
        { cause: error },
      );
    });
    await store.migrate();
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

/** The connection URL without its password, for messages and logs. */
export function redact(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}
