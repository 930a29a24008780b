import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** For tests: a socat pseudo-terminal pair, one end for the reader, one the test writes into. */
export interface PtyPair {
  /** The end the daemon opens, as it would open /dev/ttyACM0. */
  readerEnd: string;
  /** The end the test writes card numbers into, as the reader's firmware would. */
  deviceEnd: string;
  /** Unplugs the pair: socat exits and the PTYs vanish (stale links are removed too). */
  stop(): Promise<void>;
}

/** Starts socat with both PTY links in `dir` and waits until both exist. */
export async function startPtyPair(dir: string): Promise<PtyPair> {
  const readerEnd = path.join(dir, 'reader');
  const deviceEnd = path.join(dir, 'device');
  const socat = spawn('socat', [
    `pty,raw,echo=0,link=${readerEnd}`,
    `pty,raw,echo=0,link=${deviceEnd}`,
  ]);
  let spawnError: Error | undefined;
  socat.once('error', (error) => (spawnError = error));
  // Generous: this waits for a process to start, it measures nothing.
  const deadline = Date.now() + 10_000;
  while (!(existsSync(readerEnd) && existsSync(deviceEnd))) {
    if (spawnError)
      throw new Error(`cannot run socat (apt-get install socat): ${spawnError.message}`);
    if (socat.exitCode !== null) throw new Error(`socat exited with code ${socat.exitCode}`);
    if (Date.now() > deadline) {
      await stop(socat);
      throw new Error('socat did not create its PTY links');
    }
    await sleep(20);
  }
  return {
    readerEnd,
    deviceEnd,
    async stop() {
      await stop(socat);
      // socat may leave its links behind; a stale link must not pass for a plugged-in device.
      rmSync(readerEnd, { force: true });
      rmSync(deviceEnd, { force: true });
    },
  };
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
