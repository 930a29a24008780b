import { createLogger } from '@cardbind/shared';
import { Command } from 'commander';
import { openInElectron } from '../electron.ts';
import { DEFAULT_PORTS, parsePort, untilStopped } from '../options.ts';

export function kioskCommand(): Command {
  return new Command('kiosk')
    .description('Serve the kiosk UI (for a browser, or in Electron with --electron)')
    .requiredOption('--server <url>', 'URL of the Cardbind server')
    .option(
      '--terminal-token <token>',
      'terminal token from `cardbind admin terminal add` (or set CARDBIND_TERMINAL_TOKEN)',
    )
    .option(
      '--reader <url>',
      'URL of the reader daemon',
      `http://127.0.0.1:${DEFAULT_PORTS.reader}`,
    )
    .option('--port <port>', 'loopback port to serve the kiosk on', parsePort, DEFAULT_PORTS.kiosk)
    .option('--electron', 'open the kiosk in an Electron window (needs the Electron binary)')
    .action(
      async (options: {
        server: string;
        terminalToken?: string;
        reader: string;
        port: number;
        electron?: boolean;
      }) => {
        const terminalToken = options.terminalToken ?? process.env.CARDBIND_TERMINAL_TOKEN;
        if (!terminalToken) {
          throw new Error(
            'A terminal token is needed: pass --terminal-token or set CARDBIND_TERMINAL_TOKEN ' +
              '(create one with `cardbind admin --data DIR terminal add NAME`).',
          );
        }
        const { startKioskHost } = await import('@cardbind/kiosk');
        const host = await startKioskHost({
          port: options.port,
          serverUrl: options.server,
          terminalToken,
          readerUrl: options.reader,
          logger: createLogger().child({ component: 'kiosk' }),
        });
        console.log(`Kiosk UI: ${host.url}`);
        const closeWindow = options.electron ? await openInElectron(host.url) : async () => {};
        await untilStopped();
        await closeWindow();
        await host.close();
      },
    );
}
