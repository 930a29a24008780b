import { parseArgs } from 'node:util';
import { isLanguage, LANGUAGES, type LanguageCode } from '../kiosk-api.ts';

/**
 * What the Electron shell runs:
 * - `attach`: show a kiosk host that already runs (what `cardbind kiosk --electron` does);
 * - `host`: start the kiosk host in-process, then show it (the packaged app on a panel).
 */
export type ElectronKioskConfig = (
  | { mode: 'attach'; url: string }
  | {
      mode: 'host';
      serverUrl: string;
      terminalToken: string;
      readerUrl: string;
      /** The reader daemon's shared secret (CARDBIND_READER_TOKEN), when it has one. */
      readerToken: string | null;
      port: number;
      /** The terminal's language; null: the page's default. */
      language: LanguageCode | null;
      /**
       * Arguments for the reader daemon bundled with the app (as `cardbind reader` takes them);
       * null: a daemon runs on its own (systemd) or the reader is a keyboard wedge.
       */
      readerArgs: string[] | null;
    }
) & {
  /** Panel profile id (hardware-profiles/panels): sizes the window and tells the page. */
  panel: string | null;
};

export const DEFAULT_READER_URL = 'http://127.0.0.1:7391';

/** The flag the launcher passes to the Electron main process in `attach` mode. */
export const KIOSK_URL_FLAG = '--kiosk-url';

const USAGE =
  'Start the kiosk with --server URL (or CARDBIND_SERVER_URL) and the terminal token in ' +
  'CARDBIND_TERMINAL_TOKEN; optionally --reader URL (CARDBIND_READER_URL, default ' +
  `${DEFAULT_READER_URL}) and its token in CARDBIND_READER_TOKEN, --port N (CARDBIND_KIOSK_PORT, default: any free port), ` +
  '--language CODE (CARDBIND_LANGUAGE), --panel ID (CARDBIND_PANEL) and the bundled reader ' +
  "daemon's arguments in CARDBIND_READER_ARGS. " +
  `Or show a running kiosk host with ${KIOSK_URL_FLAG} URL (CARDBIND_KIOSK_URL).`;

/**
 * Reads the configuration from the command line (`--name value` or `--name=value`), falling back
 * to the environment. The terminal and reader tokens are read from the environment only: command lines are
 * visible to every user of the machine (`ps`). Unknown arguments are ignored, because Electron
 * and Chromium put their own switches there.
 */
export function parseElectronConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): ElectronKioskConfig {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      'kiosk-url': { type: 'string' },
      server: { type: 'string' },
      reader: { type: 'string' },
      port: { type: 'string' },
      'terminal-token': { type: 'string' },
      'reader-token': { type: 'string' },
      panel: { type: 'string' },
      language: { type: 'string' },
    },
    strict: false,
    allowPositionals: true,
  });
  const option = (name: keyof typeof values, envName: string): string | undefined => {
    const value = values[name];
    return typeof value === 'string' && value !== '' ? value : env[envName] || undefined;
  };

  if (values['terminal-token'] !== undefined) {
    throw new Error(
      'Do not pass the terminal token on the command line, where other users can read it: ' +
        'set CARDBIND_TERMINAL_TOKEN instead.',
    );
  }
  if (values['reader-token'] !== undefined) {
    throw new Error(
      'Do not pass the reader token on the command line, where other users can read it: ' +
        'set CARDBIND_READER_TOKEN instead.',
    );
  }

  const panel = panelId(option('panel', 'CARDBIND_PANEL'));
  const kioskUrl = option('kiosk-url', 'CARDBIND_KIOSK_URL');
  if (kioskUrl !== undefined) return { mode: 'attach', url: loopbackKioskUrl(kioskUrl), panel };

  const serverUrl = option('server', 'CARDBIND_SERVER_URL');
  const terminalToken = env.CARDBIND_TERMINAL_TOKEN;
  if (serverUrl === undefined || !terminalToken) {
    const missing = serverUrl === undefined ? 'the Cardbind server URL' : 'the terminal token';
    throw new Error(`The kiosk needs ${missing}. ${USAGE}`);
  }
  return {
    mode: 'host',
    serverUrl: httpUrl(serverUrl, 'server URL'),
    terminalToken,
    readerUrl: httpUrl(option('reader', 'CARDBIND_READER_URL') ?? DEFAULT_READER_URL, 'reader URL'),
    // The bundled daemon inherits the environment, so it protects its stream with the same one.
    readerToken: env.CARDBIND_READER_TOKEN || null,
    port: portNumber(option('port', 'CARDBIND_KIOSK_PORT') ?? '0'),
    language: language(option('language', 'CARDBIND_LANGUAGE')),
    readerArgs: readerArgs(env.CARDBIND_READER_ARGS),
    panel,
  };
}

function panelId(value: string | undefined): string | null {
  if (value === undefined) return null;
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(value)) {
    throw new Error(
      `The panel "${value}" is not a panel profile id (lower-case letters, digits and dashes, ` +
        'as the file names in hardware-profiles/panels).',
    );
  }
  return value;
}

function language(value: string | undefined): LanguageCode | null {
  if (value === undefined) return null;
  if (!isLanguage(value)) {
    throw new Error(`The kiosk has no "${value}" language; use one of ${LANGUAGES.join(', ')}.`);
  }
  return value;
}

/**
 * `CARDBIND_READER_ARGS` as the systemd unit of the daemon has it: arguments separated by
 * spaces (device paths and profile ids have none), no shell quoting.
 */
function readerArgs(value: string | undefined): string[] | null {
  const args = value?.trim().split(/\s+/).filter(Boolean) ?? [];
  return args.length > 0 ? args : null;
}

function httpUrl(value: string, what: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`The ${what} "${value}" is not a URL. ${USAGE}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`The ${what} must start with http:// or https:// (got "${value}").`);
  }
  return value;
}

/**
 * The kiosk host only ever listens on loopback; a kiosk window pointed anywhere else would be a
 * browser on someone else's site, with this machine's card reader.
 */
function loopbackKioskUrl(value: string): string {
  const url = new URL(httpUrl(value, 'kiosk URL'));
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
    throw new Error(`The kiosk URL must be on this machine (127.0.0.1), not "${url.host}".`);
  }
  return url.href;
}

function portNumber(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) {
    throw new Error(`The kiosk port must be a number from 0 to 65535 (got "${value}").`);
  }
  return port;
}
