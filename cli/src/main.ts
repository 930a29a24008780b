import { Command, CommanderError } from 'commander';
import { adminCommand } from './commands/admin.ts';
import { convertCommand } from './commands/convert.ts';
import { demoCommand } from './commands/demo.ts';
import { kioskCommand } from './commands/kiosk.ts';
import { readerCommand } from './commands/reader.ts';
import { readersCommand } from './commands/readers.ts';
import { serverCommand } from './commands/server.ts';
import { swipeCommand } from './commands/swipe.ts';
import { describeError } from './errors.ts';

const program = new Command('cardbind')
  .description('Card enrollment for printers and print kiosks')
  .showHelpAfterError()
  .exitOverride()
  .addCommand(demoCommand())
  .addCommand(serverCommand())
  .addCommand(adminCommand())
  .addCommand(readerCommand())
  .addCommand(readersCommand())
  .addCommand(convertCommand())
  .addCommand(swipeCommand())
  .addCommand(kioskCommand());

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Commander has already printed help or the usage error.
    process.exitCode = error.exitCode;
  } else {
    console.error(`cardbind: ${describeError(error)}`);
    process.exitCode = 1;
  }
}
