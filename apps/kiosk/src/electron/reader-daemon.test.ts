import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { superviseReaderDaemon } from './reader-daemon.ts';

/**
 * A stand-in daemon: appends one JSON line per start (its arguments and whether it runs as
 * plain Node), then either exits at once or stays up.
 */
const FAKE_DAEMON = `
const { appendFileSync } = require('node:fs');
const [log, mode] = process.argv.slice(2);
appendFileSync(log, JSON.stringify({ args: process.argv.slice(2), asNode: process.env.ELECTRON_RUN_AS_NODE }) + '\\n');
if (mode === 'crash') process.exit(3);
setInterval(() => {}, 1000);
`;

describe('bundled reader daemon', () => {
  let dir: string;
  let script: string;
  let log: string;
  const starts = () =>
    existsSync(log)
      ? readFileSync(log, 'utf8')
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as { args: string[]; asNode: string })
      : [];
  const waitForStarts = async (count: number) => {
    while (starts().length < count) await sleep(20);
  };

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'cardbind-daemon-'));
    script = path.join(dir, 'cardbind-reader.cjs');
    log = path.join(dir, 'starts.log');
    writeFileSync(script, FAKE_DAEMON);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the bundle with its arguments under ELECTRON_RUN_AS_NODE, and stops it', async () => {
    const daemon = superviseReaderDaemon({
      execPath: process.execPath,
      script,
      args: [log, 'stay', '--profile', 'generic-serial'],
    });
    await waitForStarts(1);
    expect(starts()).toEqual([{ args: [log, 'stay', '--profile', 'generic-serial'], asNode: '1' }]);
    await daemon.stop();
    expect(starts()).toHaveLength(1);
  });

  it('restarts a daemon that exits, until stopped', async () => {
    const delays: number[] = [];
    const daemon = superviseReaderDaemon({
      execPath: process.execPath,
      script,
      args: [log, 'crash'],
      restartDelayMs: (failures) => {
        delays.push(failures);
        return 0;
      },
    });
    await waitForStarts(3);
    await daemon.stop();
    const after = starts().length;
    // Failures in a row are counted, so the real delay grows.
    expect(delays.slice(0, 2)).toEqual([1, 2]);
    await sleep(200);
    expect(starts()).toHaveLength(after);
  });
});
