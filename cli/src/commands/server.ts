import { Command } from 'commander';
import {
  DEFAULT_PORTS,
  parsePort,
  storageFrom,
  untilStopped,
  withStorageOptions,
} from '../options.ts';

export function serverCommand(): Command {
  return withStorageOptions(
    new Command('server').description(
      'Run the Cardbind server (HTTP API) on SQLite (--data) or PostgreSQL (--database-url)',
    ),
  )
    .option('--port <port>', 'TCP port to listen on', parsePort, DEFAULT_PORTS.server)
    .option('--host <address>', 'address to listen on (0.0.0.0 to serve the network)', '127.0.0.1')
    .action(
      async (options: { data?: string; databaseUrl?: string; port: number; host: string }) => {
        const { startServer } = await import('@cardbind/server');
        const server = await startServer({
          storage: storageFrom(options),
          port: options.port,
          host: options.host,
        });
        console.log(`Cardbind server listening on ${server.url}`);
        await untilStopped();
        await server.close();
      },
    );
}
