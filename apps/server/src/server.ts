import { createLogger, type Logger } from '@cardbind/shared';
import type { AdminOperations } from './admin.ts';
import { createContext, type ServerContext } from './context.ts';
import { buildApp } from './http/app.ts';
import { createSmtpMailer, type SmtpConfig } from './mail/mailer.ts';
import type { OAuthConfig } from './oauth/providers.ts';
import type { PasswordHashingOptions } from './secrets.ts';
import { loadServerKey } from './server-key.ts';
import { lowerThreadpoolPriority } from './threadpool-priority.ts';
import { openPostgresStore } from './store/postgres.ts';
import { openSqliteStore } from './store/sqlite.ts';
import type { Store } from './store/store.ts';

/** Where the data lives: SQLite in a directory (the default) or a PostgreSQL database. */
export type StorageLocation = { dataDir: string } | { databaseUrl: string };

export function openStore(
  location: StorageLocation,
  options: { logger?: Logger; longRunning?: boolean } = {},
): Promise<Store> {
  const logger = options.logger ? { logger: options.logger } : {};
  return 'databaseUrl' in location
    ? openPostgresStore(location.databaseUrl, logger)
    : // A server checkpoints on a thread of its own; a short admin task lets SQLite do it.
      openSqliteStore(location.dataDir, {
        ...logger,
        backgroundCheckpoints: options.longRunning ?? true,
      });
}

export function describeStorage(location: StorageLocation): string {
  if ('dataDir' in location) return `SQLite in ${location.dataDir}`;
  const url = new URL(location.databaseUrl);
  return `PostgreSQL database ${url.pathname.slice(1)} on ${url.host}`;
}

/** E-mail delivery and the time zone of dates in e-mails. */
export interface MailOptions {
  smtp?: SmtpConfig;
  timeZone?: string;
}

export interface ServerOptions extends MailOptions {
  storage: StorageLocation;
  port?: number;
  host?: string;
  logger?: Logger;
  passwordHashing?: PasswordHashingOptions;
  enrollmentTtlMs?: number;
  /** OAuth 2.0 providers of connector types (`--oauth-providers FILE`). */
  oauth?: OAuthConfig;
  /**
   * Runs libuv's threadpool (argon2, file system, DNS) at the lowest priority so that password
   * hashing cannot delay card swipes. Only for a process that is nothing but the server
   * (`cardbind server`): the setting holds for the whole process, so a test runner or an
   * embedding program that starts a server in-process would have its own file work slowed too.
   */
  backgroundThreadpool?: boolean;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

async function openContext(
  storage: StorageLocation,
  options: MailOptions & {
    logger: Logger;
    passwordHashing?: PasswordHashingOptions;
    enrollmentTtlMs?: number;
    oauth?: OAuthConfig;
    longRunning?: boolean;
  },
): Promise<ServerContext> {
  const serverKey = loadServerKey('dataDir' in storage ? { dataDir: storage.dataDir } : {});
  const { smtp, longRunning, ...rest } = options;
  const store = await openStore(storage, {
    logger: options.logger,
    ...(longRunning === undefined ? {} : { longRunning }),
  });
  return createContext({
    store,
    serverKey,
    ...rest,
    ...(smtp ? { mailer: createSmtpMailer(smtp) } : {}),
  });
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const logger = options.logger ?? createLogger();
  const context = await openContext(options.storage, {
    logger,
    ...(options.smtp ? { smtp: options.smtp } : {}),
    ...(options.timeZone ? { timeZone: options.timeZone } : {}),
    ...(options.passwordHashing ? { passwordHashing: options.passwordHashing } : {}),
    ...(options.enrollmentTtlMs === undefined ? {} : { enrollmentTtlMs: options.enrollmentTtlMs }),
    ...(options.oauth ? { oauth: options.oauth } : {}),
  });
  const app = buildApp({ context });
  if (options.backgroundThreadpool) {
    const lowered = await lowerThreadpoolPriority();
    logger.debug('threadpool at background priority', { threads: lowered.length });
  }
  const host = options.host ?? '127.0.0.1';
  try {
    await app.listen({ port: options.port ?? 0, host });
  } catch (error) {
    await context.store.close();
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
      // Writes the buffered audit events of the last swipes, then stops the checkpoint thread.
      await context.store.close();
    },
  };
}

/** Opens the database for one administrative task (the admin CLI) and closes it after. */
export async function withAdmin<T>(
  storage: StorageLocation,
  task: (admin: AdminOperations, context: ServerContext) => Promise<T>,
  options: MailOptions & { logger?: Logger; passwordHashing?: PasswordHashingOptions } = {},
): Promise<T> {
  const context = await openContext(storage, {
    ...options,
    longRunning: false,
    logger: options.logger ?? createLogger({ level: 'warn' }),
    ...(options.passwordHashing ? { passwordHashing: options.passwordHashing } : {}),
  });
  try {
    return await task(context.admin, context);
  } finally {
    await context.store.close();
  }
}
