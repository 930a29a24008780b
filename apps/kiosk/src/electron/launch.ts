import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { silentLogger, type Logger } from '@cardbind/shared';
import { KIOSK_URL_FLAG } from './config.ts';

export interface ElectronLaunchOptions {
  /** The running kiosk host to show, e.g. `http://127.0.0.1:7392`. */
  url: string;
  logger?: Logger;
}

export interface ElectronKiosk {
  pid: number | undefined;
  /** Resolves with the exit code when the Electron window is gone. */
  exited: Promise<number | null>;
  close(): Promise<void>;
}

/** Thrown when this machine has no Electron binary; the message says what to do instead. */
export class ElectronUnavailableError extends Error {
  constructor(readonly url: string) {
    super(
      `Electron is not installed on this machine; open ${url} in a browser instead ` +
        '(or install Electron with CARDBIND_WITH_ELECTRON=1 scripts/bootstrap).',
    );
    this.name = 'ElectronUnavailableError';
  }
}

/**
 * The Electron binary the `electron` package installed, or undefined. The package's main module
 * returns the binary's path and throws when the download was skipped
 * (ELECTRON_SKIP_BINARY_DOWNLOAD), which is the normal case on development machines.
 */
export function findElectronBinary(
  load: () => unknown = () => createRequire(import.meta.url)('electron'),
  exists: (file: string) => boolean = existsSync,
): string | undefined {
  let binary: unknown;
  try {
    binary = load();
  } catch {
    return undefined;
  }
  return typeof binary === 'string' && exists(binary) ? binary : undefined;
}

/**
 * Opens a running kiosk host in an Electron kiosk window: builds the Electron shell (esbuild,
 * well under a second) and starts it in `attach` mode. Rejects with ElectronUnavailableError
 * when there is no Electron binary, so callers can keep serving the browser UI.
 */
export async function launchElectronKiosk(options: ElectronLaunchOptions): Promise<ElectronKiosk> {
  const logger = options.logger ?? silentLogger;
  const binary = findElectronBinary();
  if (!binary) throw new ElectronUnavailableError(options.url);
  // Loaded only now: esbuild is for building, not for serving.
  const { buildElectronApp } = await import('./build.ts');
  const main = await buildElectronApp();
  const env = { ...process.env };
  // Set, it would make Electron a plain Node.js and run main.cjs without a window.
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(binary, [main, `${KIOSK_URL_FLAG}=${options.url}`], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env,
  });
  logger.info('Electron kiosk started', { pid: child.pid, url: options.url });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => resolve(code));
  });
  return {
    pid: child.pid,
    exited,
    async close() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited.catch(() => null);
    },
  };
}
