import { Command } from 'commander';
import { DEFAULT_PORTS, parsePort, readerTokenOption } from '../options.ts';

export function swipeCommand(): Command {
  return new Command('swipe')
    .description('Simulate a card read on a running reader daemon')
    .argument('<cardId>', 'card number as the reader would deliver it, e.g. 04A1B2C3D4')
    .option('--port <port>', 'port of the reader daemon', parsePort, DEFAULT_PORTS.reader)
    .addOption(readerTokenOption())
    .action(async (cardId: string, options: { port: number; readerToken?: string }) => {
      const { simulateSwipe } = await import('@cardbind/daemon');
      await simulateSwipe({
        port: options.port,
        cardId,
        ...(options.readerToken ? { token: options.readerToken } : {}),
      });
      console.error(`Swiped ${cardId.trim().toUpperCase()}.`);
    });
}
