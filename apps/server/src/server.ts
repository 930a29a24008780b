import { createLogger, type Logger } from '@cardbind/shared';
import { AdminOperations } from './admin.ts';
import { buildApp } from './http/app.ts';
import {
  createPasswordHasher,
  DEFAULT_PASSWORD_HASHING,
  type PasswordHashingOptions,
} from './secrets.ts';
import { TerminalService } from './services.ts';
import { openPostgresStore } from './store/postgres.ts';
import { openSqliteStore } from './store/sqlite.ts';
import type { Store } from './store/store.ts';

/** Where the data lives: SQLite in a directory (the default) or a PostgreSQL database. */
export type StorageLocation = { dataDir: string } | { databaseUrl: string };

export function openStore(location: StorageLocation): Promise<Store> {
  return 'databaseUrl' in location
    ? openPostgresStore(location.databaseUrl)
    : openSqliteStore(location.dataDir);
}

export function describeStorage(location: StorageLocation): string {
  if ('dataDir' in location) return `SQLite in ${location.dataDir}`;
  const url = new URL(location.databaseUrl);
  return `PostgreSQL database ${url.pathname.slice(1)} on ${url.host}`;
}

export interface ServerOptions {
  storage: StorageLocation;
  port?: number;
  host?: string;
  logger?: Logger;
  passwordHashing?: PasswordHashingOptions;
  enrollmentTtlMs?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const logger = options.logger ?? createLogger();
  const store = await openStore(options.storage);
  const terminals = new TerminalService({
    store,
    passwords: createPasswordHasher(options.passwordHashing ?? DEFAULT_PASSWORD_HASHING),
    logger,
    ...(options.enrollmentTtlMs === undefined ? {} : { enrollmentTtlMs: options.enrollmentTtlMs }),
  });
  const app = buildApp({ store, terminals, logger });
  const host = options.host ?? '127.0.0.1';
  try {
    await app.listen({ port: options.port ?? 0, host });
  } catch (error) {
    await store.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 0);
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  logger.info('server listening', { url, storage: describeStorage(options.storage) });
  return {
    url,
    port,
    async close() {
      await app.close();
      await store.close();
    },
  };
}

/** Opens the data directory for one administrative task (the admin CLI) and closes it after. */
export async function withAdmin<T>(
  storage: StorageLocation,
  task: (admin: AdminOperations, store: Store) => Promise<T>,
  passwordHashing: PasswordHashingOptions = DEFAULT_PASSWORD_HASHING,
): Promise<T> {
  const store = await openStore(storage);
  try {
    return await task(new AdminOperations(store, createPasswordHasher(passwordHashing)), store);
  } finally {
    await store.close();
  }
}
