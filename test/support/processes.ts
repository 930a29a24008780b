import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The same entry point `npx cardbind` runs. */
const CLI = path.join(ROOT, 'cli/bin/cardbind.js');

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a `cardbind` command to completion. */
export function runCli(args: string[], stdin?: string): Promise<CliResult> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.end(stdin ?? '');
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface LongRunning {
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

interface ProcessOptions {
  /** What errors call the process (`cardbind server`, `the reader daemon` ...). */
  name: string;
  /** Arguments to this Node binary (`process.execPath`). */
  nodeArgs: string[];
  /** Output (stdout and stderr together) that means the process is ready. */
  ready: RegExp;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

/**
 * Starts a long-running Node process and waits until its output matches `ready`. Output is
 * drained always, since a full pipe would block a child's synchronous log writes, and kept
 * whole, so a ready line split across two chunks still matches. `stop` sends SIGTERM, then
 * SIGKILL after 5 s.
 */
export async function startProcess(
  options: ProcessOptions,
): Promise<LongRunning & { match: RegExpMatchArray }> {
  const { name, ready, timeoutMs = 30_000 } = options;
  const child = spawn(process.execPath, options.nodeArgs, { cwd: ROOT, env: options.env });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    }
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = ready.exec(output);
    if (match) return { child, output: () => output, stop, match };
    if (child.exitCode !== null) {
      throw new Error(`${name} exited with ${child.exitCode}:\n${output}`);
    }
    if (child.signalCode !== null) {
      throw new Error(`${name} was killed by ${child.signalCode}:\n${output}`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${name} not ready after ${timeoutMs} ms:\n${output}`);
    }
    await sleep(50);
  }
}

/** Starts a long-running `cardbind` command and waits until its output matches `ready`. */
export function startCli(
  args: string[],
  ready: RegExp,
  timeoutMs = 30_000,
  env: NodeJS.ProcessEnv = process.env,
): Promise<LongRunning & { match: RegExpMatchArray }> {
  return startProcess({
    name: `cardbind ${args[0]}`,
    nodeArgs: [CLI, ...args],
    ready,
    timeoutMs,
    env,
  });
}

/** What `cardbind kiosk` connects to; `extraArgs` go last (`--panel`, `--language` ...). */
export interface KioskOptions {
  serverUrl: string;
  terminalToken: string;
  readerUrl: string;
  /** Left out when the reader daemon runs without a token. */
  readerToken?: string;
  extraArgs?: string[];
}

/** Starts `cardbind kiosk` on a free port and waits for it; `url` is its page. */
export async function startKiosk(options: KioskOptions): Promise<LongRunning & { url: string }> {
  const kiosk = await startCli(
    [
      'kiosk',
      '--server',
      options.serverUrl,
      '--terminal-token',
      options.terminalToken,
      '--reader',
      options.readerUrl,
      ...(options.readerToken === undefined ? [] : ['--reader-token', options.readerToken]),
      '--port',
      String(await freePort()),
      ...(options.extraArgs ?? []),
    ],
    /Kiosk UI: (\S+)/,
  );
  return { ...kiosk, url: kiosk.match[1]! };
}

/** A connected pair of pseudo-terminals made by socat: a serial cable with two ends. */
export async function createPtyPair(dir: string): Promise<{
  readerEnd: string;
  deviceEnd: string;
  close(): Promise<void>;
}> {
  const readerEnd = path.join(dir, 'tty-reader');
  const deviceEnd = path.join(dir, 'tty-device');
  const child = spawn('socat', [
    `pty,raw,echo=0,link=${readerEnd}`,
    `pty,raw,echo=0,link=${deviceEnd}`,
  ]);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 10_000;
  while (!(existsSync(readerEnd) && existsSync(deviceEnd))) {
    if (child.exitCode !== null) throw new Error('socat exited: is it installed?');
    if (Date.now() > deadline) throw new Error('socat did not create the PTY pair');
    await sleep(20);
  }
  return {
    readerEnd,
    deviceEnd,
    async close() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
