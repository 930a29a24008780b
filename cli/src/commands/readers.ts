import { silentLogger } from '@cardbind/shared';
import { Command } from 'commander';
import { untilStopped } from '../options.ts';

const hex = (n: number | null) => (n === null ? '----' : n.toString(16).padStart(4, '0'));

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
        const ids = `${hex(d.vendorId)}:${hex(d.productId)}`;
        const match = d.profiles.length
          ? d.profiles.join(', ')
          : '(no profile; try generic-serial or generic-keyboard)';
        console.log(
          [d.transport.padEnd(6), d.path.padEnd(22), ids, (d.product ?? '').padEnd(20), match].join(
            '  ',
          ),
        );
      }
      if (devices.length === 0 && !options.json) console.error('No serial or HID devices found.');
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
        const { CardReader, loadProfile, openerFor } = await import('@cardbind/daemon');
        const profile = loadProfile(options.profile);
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
