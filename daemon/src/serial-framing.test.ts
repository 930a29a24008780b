import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LineSource } from './line-source.ts';
import { loadProfile, type SerialReaderProfile } from './profiles.ts';
import { startPtyPair, type PtyPair } from './testing/pty-pair.ts';
import { serialLineSource } from './serial-source.ts';

const generic = loadProfile('generic-serial') as SerialReaderProfile;

/** Reads until `count` reads arrived, collecting drops on the way. */
async function readSome(source: LineSource, count: number) {
  const lines: string[] = [];
  const dropped: string[] = [];
  source.on('dropped', (reason) => dropped.push(reason));
  await new Promise<void>((resolve) =>
    source.on('line', (line) => {
      if (lines.push(line) === count) resolve();
    }),
  );
  return { lines, dropped };
}

/** Every framing a profile can choose, with what the reader's firmware writes and what must come out. */
const cases: Array<[string, SerialReaderProfile['framing'], Buffer, string[], string[]]> = [
  [
    'line (CR, LF, CR LF)',
    { type: 'line', maxLength: 32 },
    Buffer.from('04A1B2C3D4\r1234\n\u0000\u0001\r\n5678\r\n', 'latin1'),
    ['04A1B2C3D4', '1234', '5678'],
    ['garbage'],
  ],
  [
    'line with prefix and suffix',
    { type: 'line', maxLength: 32, prefix: 'ID:', suffix: ';' },
    Buffer.from('ID:04A1;\r\n04A2\r\nID:1234;\r\n', 'latin1'),
    ['04A1', '1234'],
    ['garbage'],
  ],
  [
    'STX/ETX',
    { type: 'stx-etx', maxLength: 32, checksum: 'none' },
    Buffer.from('\u000204A1B2\u0003\r\n\u000212\u00021234\u0003', 'latin1'),
    ['04A1B2', '1234'],
    ['partial'],
  ],
  [
    'STX/ETX with check byte',
    { type: 'stx-etx', maxLength: 32, checksum: 'xor' },
    Buffer.concat([
      Buffer.from('\u000204A1\u0003', 'latin1'),
      Buffer.from([0x30 ^ 0x34 ^ 0x41 ^ 0x31 ^ 0x03]),
      Buffer.from('\u00029999\u0003\u0000', 'latin1'),
      Buffer.from('\u00021234\u0003', 'latin1'),
      Buffer.from([0x31 ^ 0x32 ^ 0x33 ^ 0x34 ^ 0x03]),
    ]),
    ['04A1', '1234'],
    ['checksum'],
  ],
];

describe('serial framings on a real PTY through node-serialport', () => {
  let dir: string;
  let pty: PtyPair | undefined;
  let source: LineSource | undefined;
  afterEach(async () => {
    await source?.close();
    await pty?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(cases)('frames %s', async (_name, framing, written, reads, drops) => {
    dir = mkdtempSync(path.join(tmpdir(), 'cardbind-framing-'));
    pty = await startPtyPair(dir);
    source = await serialLineSource(pty.readerEnd, { ...generic, framing })();
    const reading = readSome(source, reads.length);
    writeFileSync(pty.deviceEnd, written);
    const { lines, dropped } = await reading;
    expect(lines).toEqual(reads);
    expect(dropped).toEqual(drops);
  });

  it("opens the port with the profile's baud rate and stop bits", async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'cardbind-framing-'));
    pty = await startPtyPair(dir);
    const serial = { baudRate: 19200, dataBits: 7, parity: 'even', stopBits: 2 } as const;
    source = await serialLineSource(pty.readerEnd, { ...generic, serial })();
    // The kernel's view of the open port. Its PTY driver forces cs8 and no parity whatever is
    // asked (drivers/tty/pty.c), so data bits and parity are checked with a fake port in
    // serial-source.test.ts; baud rate and stop bits show here.
    const settings = execFileSync('stty', ['-F', pty.readerEnd, '-a'], { encoding: 'utf8' });
    expect(settings).toMatch(/speed 19200 baud/);
    expect(settings).toMatch(/(^|\s)cstopb(\s|$)/);
    await source.close();
    source = await serialLineSource(pty.readerEnd, generic)();
    const defaults = execFileSync('stty', ['-F', pty.readerEnd, '-a'], { encoding: 'utf8' });
    expect(defaults).toMatch(/speed 9600 baud/);
    expect(defaults).toMatch(/(^|\s)-cstopb(\s|$)/);
  });
});
