import type { AttachedDevice, ReaderProfile } from '@cardbind/daemon';
import { silentLogger } from '@cardbind/shared';
import { Command } from 'commander';
import { untilStopped } from '../options.ts';

const hex = (n: number | null) => (n === null ? '----' : n.toString(16).padStart(4, '0'));

const UNCONFIRMED_HINT =
  'Unconfirmed: nobody could check these facts of the profile on a device or in a vendor ' +
  'document. When cards come out wrong, check them first (`cardbind readers test --profile ID ' +
  "--raw`; the reasons are in the profile's `sources`, hardware-profiles/readers/ID.json).";

/**
 * `readers list`: a device's line, then for each fitting profile with unconfirmed facts a line
 * naming them, indented under it.
 */
export function attachedDeviceLines(d: AttachedDevice): string[] {
  const ids = `${hex(d.vendorId)}:${hex(d.productId)}`;
  const match = d.profiles.length
    ? d.profiles.join(', ')
    : '(no profile; try generic-serial or generic-keyboard)';
  const line = [d.transport.padEnd(6), d.path.padEnd(22), ids, (d.product ?? '').padEnd(20), match];
  const unconfirmed = d.profiles
    .filter((id) => d.unconfirmed[id]?.length)
    .map((id) => `${' '.repeat(8)}${id}: unconfirmed ${d.unconfirmed[id]?.join(', ')}`);
  return [line.join('  '), ...unconfirmed];
}

/** `readers test`: the profile's unconfirmed facts with their reasons, or nothing. */
export function unconfirmedNotice(
  profile: Pick<ReaderProfile, 'id' | 'sources'>,
  facts: string[],
): string[] {
  if (facts.length === 0) return [];
  const sources: Record<string, string | undefined> = profile.sources;
  return [
    `Profile ${profile.id} has unconfirmed facts; if cards come out wrong, check these first:`,
    ...facts.map((fact) => `  ${fact}: ${sources[fact] ?? ''}`),
  ];
}

export function readersCommand(): Command {
  const readers = new Command('readers').description('Find and try card readers (for technicians)');

  readers
    .command('list')
    .description('Show attached serial and HID devices and the hardware profiles that match them')
    .option('--json', 'one JSON object per device')
    .action(async (options: { json?: boolean }) => {
      const { listAttachedReaders } = await import('@cardbind/daemon');
      const devices = await listAttachedReaders();
      for (const d of devices) {
        if (options.json) {
          console.log(JSON.stringify(d));
          continue;
        }
        for (const line of attachedDeviceLines(d)) console.log(line);
      }
      if (options.json) return;
      if (devices.length === 0) console.error('No serial or HID devices found.');
      const anyUnconfirmed = devices.some((d) =>
        Object.values(d.unconfirmed).some((f) => f.length),
      );
      if (anyUnconfirmed) console.error(UNCONFIRMED_HINT);
    });

  readers
    .command('test')
    .description(
      'Print every card the reader delivers, normalized per its profile (Ctrl-C to stop)',
    )
    .requiredOption('--profile <id>', 'hardware profile of the reader')
    .option('--device <path>', 'device path (serial port, or hidraw node for HID readers)')
    .option('--raw', 'also show the text the reader sent before normalization')
    .option('--json', 'one JSON object per read')
    .action(
      async (options: { profile: string; device?: string; raw?: boolean; json?: boolean }) => {
        const { CardReader, loadProfile, openerFor, unconfirmedFacts } =
          await import('@cardbind/daemon');
        const profile = loadProfile(options.profile);
        // Said before the first read: a wrong card number is most likely one of these.
        for (const line of unconfirmedNotice(profile, unconfirmedFacts(profile))) {
          console.error(line);
        }
        const config = { profile: profile.id, ...(options.device ? { path: options.device } : {}) };
        const reader = new CardReader({
          readerId: 'test',
          profile,
          logger: silentLogger,
          open: openerFor(config, profile, {}),
        });
        reader.on('status', (status) => {
          if (options.json)
            console.log(JSON.stringify({ type: 'reader', status, at: new Date().toISOString() }));
          else console.error(`reader ${status}`);
        });
        reader.on('read', ({ cardId, raw }) => {
          const at = new Date().toISOString();
          if (options.json) {
            console.log(
              JSON.stringify({
                type: 'card',
                cardId,
                ...(options.raw ? { raw } : {}),
                profile: profile.id,
                at,
              }),
            );
          } else {
            console.log(
              options.raw ? `${at}  ${cardId}  raw=${JSON.stringify(raw)}` : `${at}  ${cardId}`,
            );
          }
        });
        console.error(`Waiting for cards on ${options.device ?? profile.name}; Ctrl-C to stop.`);
        reader.start();
        await untilStopped();
        await reader.close();
      },
    );
  return readers;
}
