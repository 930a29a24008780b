import { createLogger } from '@cardbind/shared';
import { Command } from 'commander';
import {
  DEFAULT_PORTS,
  parseNonNegativeInt,
  parsePort,
  readerTokenOption,
  untilStopped,
} from '../options.ts';

export function readerCommand(): Command {
  return new Command('reader')
    .description('Run the reader daemon: read cards and publish them to the kiosk on loopback')
    .option(
      '--serial <path>',
      'serial / USB CDC device of the card reader (omit for a simulated reader only)',
    )
    .option('--profile <id>', 'hardware profile of the serial reader', 'generic-serial')
    .option('--port <port>', 'loopback port of the event stream', parsePort, DEFAULT_PORTS.reader)
    .option(
      '--repeat-window <ms>',
      'ignore the same card on the same reader again within this many milliseconds (0: never)',
      parseNonNegativeInt,
      1500,
    )
    .addOption(readerTokenOption())
    .action(
      async (options: {
        serial?: string;
        profile: string;
        port: number;
        repeatWindow: number;
        readerToken?: string;
      }) => {
        const { startReaderDaemon } = await import('@cardbind/daemon');
        const daemon = await startReaderDaemon({
          port: options.port,
          readers: options.serial ? [{ path: options.serial, profile: options.profile }] : [],
          repeatWindowMs: options.repeatWindow,
          ...(options.readerToken ? { token: options.readerToken } : {}),
          logger: createLogger().child({ component: 'reader' }),
        });
        console.log(`Reader daemon publishing card events on ${daemon.url}/v1/events`);
        await untilStopped();
        await daemon.close();
      },
    );
}
