import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startPtyPair, type PtyPair } from './testing/pty-pair.ts';
import { serviceNodeFlags } from './testing/service-unit.ts';
import { subscribe } from './testing/sse-client.ts';

const root = path.resolve(import.meta.dirname, '../..');
const outDir = mkdtempSync(path.join(tmpdir(), 'cardbind-bundle-'));

describe('the bundled reader daemon the systemd unit runs', () => {
  let pty: PtyPair | undefined;
  afterAll(async () => {
    await pty?.stop();
    rmSync(outDir, { recursive: true, force: true });
  });

  it('builds, starts with the unit file flags, and publishes a card read from a PTY', async () => {
    const bundle = path.join(root, 'daemon/dist/cardbind-reader.mjs');
    const built = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'daemon/scripts/build-service.ts'],
      {
        cwd: root,
        encoding: 'utf8',
      },
    );
    expect(built.status, built.stderr).toBe(0);

    pty = await startPtyPair(outDir);
    const daemon = spawn(
      process.execPath,
      [...serviceNodeFlags(), bundle, '--serial', pty.readerEnd, '--port', '0'],
      { cwd: outDir },
    );
    try {
      let output = '';
      const url = await new Promise<string>((resolve, reject) => {
        daemon.stdout.on('data', (d: Buffer) => {
          output += d.toString();
          const match = /publishing card events on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
          if (match) resolve(match[1]!);
        });
        daemon.stderr.on('data', (d: Buffer) => (output += d.toString()));
        daemon.once('exit', (code) =>
          reject(new Error(`the bundle exited with ${code}:\n${output}`)),
        );
      });
      const stream = await subscribe(`${url}/v1/events`);
      expect((await stream.next('reader')).data).toMatchObject({ status: 'connected' });
      writeFileSync(pty.deviceEnd, '04a1b2c3d4\r\n');
      // Profiles are found from the bundle's place in the checkout, whatever the working directory.
      expect((await stream.next('card')).data).toMatchObject({
        cardId: '04A1B2C3D4',
        profile: 'generic-serial',
      });
      stream.close();
    } finally {
      daemon.kill('SIGTERM');
    }
    // Generous: building and starting two processes on a busy machine; this measures nothing.
  }, 60_000);
});
