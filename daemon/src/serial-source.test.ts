import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { LineSource } from './line-source.ts';
import { loadProfile, type SerialReaderProfile } from './profiles.ts';
import { startPtyPair, type PtyPair } from './testing/pty-pair.ts';
import type { OpenedPort, PortOpener } from './serial-port.ts';
import { serialLineSource } from './serial-source.ts';

const profile = loadProfile('generic-serial') as SerialReaderProfile;

/** A port that the test feeds bytes into, as node-serialport's binding-mock would. */
function fakePort() {
  const data = new PassThrough();
  let closed = 0;
  const port: OpenedPort = {
    data,
    close: async () => {
      closed++;
    },
  };
  const opened: Array<{ path: string; settings: SerialReaderProfile['serial'] }> = [];
  const open: PortOpener = async (path, settings) => {
    opened.push({ path, settings });
    return port;
  };
  return { data, open, opened, closedCount: () => closed };
}

/** Collects what a source emits until it ends. */
function record(source: LineSource) {
  const lines: string[] = [];
  const dropped: string[] = [];
  source.on('line', (line) => lines.push(line));
  source.on('dropped', (reason) => dropped.push(reason));
  const ended = once(source, 'end') as Promise<[Error | undefined]>;
  return { lines, dropped, ended };
}

describe('serial line source', () => {
  it("opens the port with the profile's line settings and frames what it sends", async () => {
    const port = fakePort();
    const source = await serialLineSource('/dev/ttyFAKE0', profile, port.open)();
    const seen = record(source);
    expect(port.opened).toEqual([
      {
        path: '/dev/ttyFAKE0',
        settings: { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1 },
      },
    ]);
    port.data.write('04a1b2');
    port.data.write('c3d4\r');
    port.data.write('\n\x00\x01\r\n');
    port.data.write('X'.repeat(profile.framing.maxLength + 1) + '\r\n0011\n');
    await source.close();
    await seen.ended;
    expect(seen.lines).toEqual(['04a1b2c3d4', '0011']);
    expect(seen.dropped).toEqual(['garbage', 'overlong']);
    expect(port.closedCount()).toBe(1);
  });

  it('ends with the error when the port fails, and when the port closes by itself', async () => {
    const failing = fakePort();
    const first = record(await serialLineSource('/dev/ttyFAKE0', profile, failing.open)());
    failing.data.emit('error', new Error('EIO: i/o error, read'));
    expect((await first.ended)[0]?.message).toMatch(/EIO/);
    expect(failing.closedCount()).toBe(1);

    const closing = fakePort();
    const second = record(await serialLineSource('/dev/ttyFAKE0', profile, closing.open)());
    closing.data.emit('close');
    expect((await second.ended)[0]).toBeUndefined();
  });
});

describe('serial line source on a real PTY', () => {
  let dir: string;
  let pty: PtyPair | undefined;
  afterEach(async () => {
    await pty?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads lines through node-serialport and ends when the device vanishes', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'cardbind-serial-'));
    pty = await startPtyPair(dir);
    const source = await serialLineSource(pty.readerEnd, profile)();
    const seen = record(source);
    const firstLine = once(source, 'line');
    writeFileSync(pty.deviceEnd, '04a1b2c3d4\r\n');
    expect(await firstLine).toEqual(['04a1b2c3d4']);
    await pty.stop();
    await seen.ended;
    expect(seen.lines).toEqual(['04a1b2c3d4']);
  });
});
