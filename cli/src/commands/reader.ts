import { createLogger } from '@cardbind/shared';
import { Command, InvalidArgumentError } from 'commander';
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
    .option(
      '--reader <profile[@device]>',
      'another reader, repeatable: e.g. generic-serial@/dev/ttyACM1, or a HID profile (found by its USB ids)',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
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
        reader: string[];
        port: number;
        repeatWindow: number;
        readerToken?: string;
      }) => {
        const { startReaderDaemon } = await import('@cardbind/daemon');
        const daemon = await startReaderDaemon({
          port: options.port,
          readers: [
            ...(options.serial ? [{ path: options.serial, profile: options.profile }] : []),
            ...options.reader.map(parseReaderSpec),
          ],
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

/** `profile@device` or just `profile` (HID readers are found by the USB ids of their profile). */
export function parseReaderSpec(spec: string): { profile: string; path?: string } {
  const at = spec.indexOf('@');
  if (at === 0 || at === spec.length - 1) {
    throw new InvalidArgumentError(`"${spec}" is not PROFILE or PROFILE@DEVICE.`);
  }
  return at === -1 ? { profile: spec } : { profile: spec.slice(0, at), path: spec.slice(at + 1) };
}
