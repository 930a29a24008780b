import { createLogger } from '@cardbind/shared';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { PageSettings } from '@cardbind/kiosk';
import { openInElectron } from '../electron.ts';
import { DEFAULT_PORTS, parsePort, readerTokenOption, untilStopped } from '../options.ts';

/** The kiosk languages; kept here so `--help` needs no import of the kiosk package. */
const LANGUAGES = ['en', 'de', 'cs', 'fr', 'es'];
const TIMEOUT_NAMES = {
  session: 'sessionTimeout',
  prompt: 'promptTimeout',
  form: 'formTimeout',
  error: 'errorTimeout',
} as const;

export interface KioskPageOptions {
  language: string;
  panel?: string;
  enrollWithoutPrompt?: boolean;
  wedge: boolean;
  wedgeGap?: number;
  timeouts?: Partial<Record<(typeof TIMEOUT_NAMES)[keyof typeof TIMEOUT_NAMES], number>>;
}

/** `session=30,form=90`: seconds each screen waits for the person, by screen kind. */
export function parseTimeouts(value: string): KioskPageOptions['timeouts'] {
  const timeouts: NonNullable<KioskPageOptions['timeouts']> = {};
  for (const part of value.split(',')) {
    const [name = '', seconds = ''] = part.split('=').map((s) => s.trim());
    const key = TIMEOUT_NAMES[name as keyof typeof TIMEOUT_NAMES];
    const n = Number(seconds);
    if (!key || !/^\d+(\.\d+)?$/.test(seconds) || n < 1 || n > 3600) {
      throw new InvalidArgumentError(
        `expected NAME=SECONDS pairs (1-3600 s) with NAME one of ${Object.keys(TIMEOUT_NAMES).join(', ')}, e.g. session=30,form=90.`,
      );
    }
    timeouts[key] = Math.round(n * 1000);
  }
  return timeouts;
}

function parseWedgeGap(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 5 || n > 500) {
    throw new InvalidArgumentError('must be a whole number of milliseconds from 5 to 500.');
  }
  return n;
}

/** The options that shape the kiosk page, shared by `cardbind kiosk` and `cardbind demo`. */
export function withKioskPageOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--language <code>', 'language of the kiosk (people may switch at idle)')
        .choices(LANGUAGES)
        .env('CARDBIND_KIOSK_LANGUAGE')
        .default('en'),
    )
    .addOption(
      new Option(
        '--panel <id>',
        'panel profile from hardware-profiles/panels (screen size, physical keyboard)',
      ).env('CARDBIND_PANEL'),
    )
    .option('--enroll-without-prompt', 'open the enrollment form at once for an unknown card')
    .option('--no-wedge', 'ignore keyboard-wedge card readers typing into the window')
    .option(
      '--wedge-gap <ms>',
      'longest pause between the keys of one keyboard-wedge swipe (default 35)',
      parseWedgeGap,
    )
    .option(
      '--timeouts <list>',
      'seconds each screen waits, e.g. session=30,prompt=30,form=90,error=20',
      parseTimeouts,
    );
}

/** The page settings from those options; an unknown panel id fails with the list of known ones. */
export async function pageSettingsFrom(options: KioskPageOptions): Promise<PageSettings> {
  const { findPanelProfile, panelFacts, isLanguage } = await import('@cardbind/kiosk');
  if (!isLanguage(options.language)) {
    throw new Error(
      `Unknown kiosk language "${options.language}"; use one of ${LANGUAGES.join(', ')}.`,
    );
  }
  return {
    language: options.language,
    ...(options.panel ? { panel: panelFacts(findPanelProfile(options.panel)) } : {}),
    enrollWithoutPrompt: options.enrollWithoutPrompt ?? false,
    wedge: {
      enabled: options.wedge,
      ...(options.wedgeGap === undefined ? {} : { maxGapMs: options.wedgeGap }),
    },
    ...(options.timeouts ? { delays: options.timeouts } : {}),
  };
}

export function kioskCommand(): Command {
  const command = new Command('kiosk')
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
    .addOption(readerTokenOption())
    .option('--port <port>', 'loopback port to serve the kiosk on', parsePort, DEFAULT_PORTS.kiosk)
    .option('--electron', 'open the kiosk in an Electron window (needs the Electron binary)');
  return withKioskPageOptions(command).action(
    async (
      options: KioskPageOptions & {
        server: string;
        terminalToken?: string;
        reader: string;
        readerToken?: string;
        port: number;
        electron?: boolean;
      },
    ) => {
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
        ...(options.readerToken ? { readerToken: options.readerToken } : {}),
        page: await pageSettingsFrom(options),
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
