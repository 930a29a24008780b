import { spawn as nodeSpawn, type ChildProcess } from 'node:child_process';
import { silentLogger, type Logger } from '@cardbind/shared';
import { reloadDelayMs } from './window.ts';

export interface ReaderDaemonOptions {
  /**
   * The program that runs the bundled daemon: the Electron binary itself (`process.execPath`),
   * which with ELECTRON_RUN_AS_NODE=1 is a plain Node.js, so the package needs no system Node.
   */
  execPath: string;
  /** The bundled daemon, `cardbind-reader.mjs` (daemon/scripts/build-service.ts). */
  script: string;
  /** As `cardbind reader` takes them, e.g. `--serial /dev/ttyACM0 --profile generic-serial`. */
  args: string[];
  logger?: Logger;
  /** Wait before restart number n of a run of failures; tests pass 0. */
  restartDelayMs?: (failuresInARow: number) => number;
  spawn?: typeof nodeSpawn;
}

export interface ReaderDaemon {
  /** Stops the daemon and any restart that was scheduled. */
  stop(): Promise<void>;
}

/** A daemon that ran this long before it exited was working: the next failure counts from one. */
const HEALTHY_RUN_MS = 60_000;

/**
 * Runs the reader daemon bundled with the Electron package as a child process and restarts it
 * whenever it exits, waiting longer after each quick failure (an unplugged reader, say), until
 * the kiosk quits. Its output goes to the kiosk's own (the journal under systemd).
 */
export function superviseReaderDaemon(options: ReaderDaemonOptions): ReaderDaemon {
  const logger = options.logger ?? silentLogger;
  const spawn = options.spawn ?? nodeSpawn;
  const delay = options.restartDelayMs ?? reloadDelayMs;
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let restartTimer: NodeJS.Timeout | undefined;
  let failures = 0;
  let stopped = false;

  const start = () => {
    restartTimer = undefined;
    const startedAt = Date.now();
    const running = spawn(options.execPath, [options.script, ...options.args], {
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child = running;
    logger.info('reader daemon started', { pid: running.pid });
    exited = new Promise((resolve) => {
      let gone = false;
      // A failed spawn may report both 'error' and 'exit': restart once.
      const onGone = (reason: Record<string, unknown>) => {
        if (gone) return;
        gone = true;
        resolve();
        if (child === running) child = undefined;
        if (stopped) return;
        failures = Date.now() - startedAt >= HEALTHY_RUN_MS ? 1 : failures + 1;
        const wait = delay(failures);
        logger.warn('reader daemon stopped; restarting', { ...reason, restartInMs: wait });
        restartTimer = setTimeout(start, wait);
      };
      running.once('error', (error) => onGone({ error: error.message }));
      running.once('exit', (code, signal) => onGone({ code, signal }));
    });
  };

  start();
  return {
    async stop() {
      stopped = true;
      if (restartTimer) clearTimeout(restartTimer);
      const running = child;
      if (running && running.exitCode === null && running.signalCode === null) {
        running.kill('SIGTERM');
      }
      await exited;
    },
  };
}
