import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, withAdmin } from '@cardbind/server';
import { createLogger } from '@cardbind/shared';
import { Command } from 'commander';
import { openInElectron } from '../electron.ts';
import { DEFAULT_PORTS, parsePort, untilStopped } from '../options.ts';
import { pageSettingsFrom, withKioskPageOptions, type KioskPageOptions } from './kiosk.ts';

const TOKEN_FILE = 'demo-terminal-token';
/** The reader daemon's shared secret with the kiosk; the demo prints how `cardbind swipe` gets it. */
const READER_TOKEN_FILE = 'demo-reader-token';

export function demoCommand(): Command {
  const command = new Command('demo')
    .description('Run the whole system on one machine: server (SQLite), reader daemon, kiosk')
    .option('--data <dir>', 'data directory', '.cardbind-demo')
    .option('--server-port <port>', 'server port', parsePort, DEFAULT_PORTS.server)
    .option('--reader-port <port>', 'reader daemon port', parsePort, DEFAULT_PORTS.reader)
    .option('--kiosk-port <port>', 'kiosk port', parsePort, DEFAULT_PORTS.kiosk)
    .option('--serial <path>', 'also read a real serial reader at this device')
    .option('--profile <id>', 'hardware profile of the serial reader', 'generic-serial')
    .option('--electron', 'open the kiosk in an Electron window (needs the Electron binary)');
  return withKioskPageOptions(command).action(
    async (
      options: KioskPageOptions & {
        data: string;
        serverPort: number;
        readerPort: number;
        kioskPort: number;
        serial?: string;
        profile: string;
        electron?: boolean;
      },
    ) => {
      // Loaded here, not at the top: `cardbind admin` should not load the daemon's native modules.
      const { startReaderDaemon } = await import('@cardbind/daemon');
      const { startKioskHost } = await import('@cardbind/kiosk');
      const logger = createLogger({ level: 'warn' });
      const dataDir = path.resolve(options.data);
      const terminalToken = await demoTerminalToken(dataDir);
      const readerToken = demoReaderToken(dataDir);
      const page = await pageSettingsFrom(options);
      const server = await startServer({
        storage: { dataDir },
        port: options.serverPort,
        logger: logger.child({ component: 'server' }),
      });
      const reader = await startReaderDaemon({
        port: options.readerPort,
        token: readerToken,
        readers: options.serial ? [{ path: options.serial, profile: options.profile }] : [],
        logger: logger.child({ component: 'reader' }),
      });
      const kiosk = await startKioskHost({
        port: options.kioskPort,
        serverUrl: server.url,
        terminalToken,
        readerUrl: reader.url,
        readerToken,
        page,
        logger: logger.child({ component: 'kiosk' }),
      });
      const users = await withAdmin({ dataDir }, (_ops, { store }) => store.listUsers());
      printInstructions({
        dataDir: options.data,
        users: users.length,
        kiosk: kiosk.url,
        server: server.url,
        readerPort: reader.port,
      });
      const closeWindow = options.electron ? await openInElectron(kiosk.url) : async () => {};
      await untilStopped();
      await closeWindow();
      await kiosk.close();
      await reader.close();
      await server.close();
    },
  );
}

/**
 * The reader daemon guards its event stream and simulated swipes with a token, so no other local
 * program reads card numbers; the demo keeps it in a private file for `cardbind swipe`.
 */
function demoReaderToken(dataDir: string): string {
  const file = path.join(dataDir, READER_TOKEN_FILE);
  const saved = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
  if (saved) return saved;
  const token = `cbr_${randomBytes(24).toString('base64url')}`;
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, token + '\n', { mode: 0o600 });
  return token;
}

/**
 * The demo kiosk needs a terminal token across restarts, but the server keeps only hashes;
 * so the demo keeps its own token in a private file of the data directory.
 */
async function demoTerminalToken(dataDir: string): Promise<string> {
  const file = path.join(dataDir, TOKEN_FILE);
  const saved = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
  return withAdmin({ dataDir }, async (ops) => {
    if (saved && (await ops.findTerminalByToken(saved))) return saved;
    const { token } = await ops.addTerminal(`demo kiosk ${new Date().toISOString()}`);
    writeFileSync(file, token + '\n', { mode: 0o600 });
    return token;
  });
}

function printInstructions(info: {
  dataDir: string;
  users: number;
  kiosk: string;
  server: string;
  readerPort: number;
}): void {
  const admin = `npx cardbind admin --data ${info.dataDir}`;
  const lines = [
    '',
    'Cardbind is running (embedded SQLite in ' + info.dataDir + ').',
    '',
    `  Kiosk   ${info.kiosk}    open it in a browser`,
    `  Server  ${info.server}    portal: ${info.server}/portal`,
    `  Reader  simulated, on 127.0.0.1:${info.readerPort}`,
    '',
    info.users === 0
      ? 'There are no accounts yet, and no default ones. Create the first user:'
      : `${info.users} user account(s) exist. To add another:`,
    `  ${admin} user add ada --full-name "Ada Lovelace" --email ada@example.org --password-stdin`,
    '',
    'Swipe a card (a second terminal, from this directory; the reader needs its token):',
    `  CARDBIND_READER_TOKEN=$(cat ${path.join(info.dataDir, READER_TOKEN_FILE)}) \\`,
    `    npx cardbind swipe 04A1B2C3D4 --port ${info.readerPort}`,
    'The kiosk offers to enroll the unknown card: press Enrollment, sign in as that user,',
    'then swipe again and the kiosk welcomes you by name.',
    '',
    'Create the first admin API token (for GET /api/v1/cards) and list enrolled cards:',
    `  ${admin} token add first-admin`,
    `  ${admin} card list`,
    '',
    'Press Ctrl-C to stop.',
  ];
  console.log(lines.join('\n'));
}
