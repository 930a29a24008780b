import type { PasswordHashingOptions } from '@cardbind/server';
import { createLogger, type LogLevel } from '@cardbind/shared';
import { Command, Option } from 'commander';
import {
  DEFAULT_PORTS,
  mailFrom,
  passwordHashingOption,
  parsePort,
  storageFrom,
  untilStopped,
  withMailOptions,
  withStorageOptions,
} from '../options.ts';

interface ServerCommandOptions {
  data?: string;
  databaseUrl?: string;
  smtpUrl?: string;
  mailFrom: string;
  timeZone: string;
  port: number;
  host: string;
  passwordHashing?: PasswordHashingOptions;
  logLevel: LogLevel;
  oauthProviders?: string;
}

export function serverCommand(): Command {
  const command = new Command('server').description(
    'Run the Cardbind server (HTTP API) on SQLite (--data) or PostgreSQL (--database-url)',
  );
  return withMailOptions(withStorageOptions(command))
    .option('--port <port>', 'TCP port to listen on', parsePort, DEFAULT_PORTS.server)
    .option('--host <address>', 'address to listen on (0.0.0.0 to serve the network)', '127.0.0.1')
    .addOption(passwordHashingOption())
    .addOption(
      new Option('--log-level <level>', 'least severe log lines written')
        .choices(['debug', 'info', 'warn', 'error'])
        .env('CARDBIND_LOG_LEVEL')
        .default('info'),
    )
    .addOption(
      new Option(
        '--oauth-providers <file>',
        'JSON file of OAuth 2.0 providers users may authorize (connector types; holds client secrets)',
      ).env('CARDBIND_OAUTH_PROVIDERS'),
    )
    .action(async (options: ServerCommandOptions) => {
      const { loadOAuthConfig, startServer } = await import('@cardbind/server');
      const server = await startServer({
        ...(options.oauthProviders ? { oauth: loadOAuthConfig(options.oauthProviders) } : {}),
        storage: storageFrom(options),
        ...mailFrom(options),
        port: options.port,
        host: options.host,
        logger: createLogger({ level: options.logLevel }),
        ...(options.passwordHashing ? { passwordHashing: options.passwordHashing } : {}),
        backgroundThreadpool: true,
      });
      console.log(`Cardbind server listening on ${server.url}`);
      await untilStopped();
      await server.close();
    });
}
