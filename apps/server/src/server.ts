import { createLogger, type Logger } from '@cardbind/shared';
import { AdminOperations } from './admin.ts';
import { buildApp } from './http/app.ts';
import {
  createPasswordHasher,
  DEFAULT_PASSWORD_HASHING,
  type PasswordHashingOptions,
} from './secrets.ts';
import { TerminalService } from './services.ts';
import { openSqliteStore } from './store/sqlite.ts';
import type { Store } from './store/store.ts';

export interface ServerOptions {
  dataDir: string;
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
  const store = await openSqliteStore(options.dataDir);
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
  logger.info('server listening', { url, dataDir: options.dataDir });
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
  dataDir: string,
  task: (admin: AdminOperations, store: Store) => Promise<T>,
  passwordHashing: PasswordHashingOptions = DEFAULT_PASSWORD_HASHING,
): Promise<T> {
  const store = await openSqliteStore(dataDir);
  try {
    return await task(new AdminOperations(store, createPasswordHasher(passwordHashing)), store);
  } finally {
    await store.close();
  }
}
