import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { withAdmin } from '@cardbind/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/processes.ts';

describe('cardbind convert', () => {
  it('converts with an expression in any dialect', async () => {
    const safeq = await runCli(['convert', '--expr', 'Hex2Dec;LeftPadding(0,10)', '0A0B']);
    expect(safeq.code, safeq.stderr).toBe(0);
    expect(safeq.stdout).toBe('0000002571\n');
    const ours = await runCli([
      'convert',
      '--explain',
      '--expr',
      'reverse-bytes | hex-to-dec',
      '04A1B2C3',
    ]);
    expect(ours.stdout).toBe('3283263748\n');
    expect(ours.stderr).toContain('dialect cardbind');
  });

  it('points at the offending rule of an invalid expression', async () => {
    const result = await runCli(['convert', '--expr', 'hex2dec|hex2decc', '04']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'rule 2 "hex2decc": unknown operation; did you mean "hex2dec"?',
    );
  });

  it('infers a pipeline from examples, or says none was found', async () => {
    const found = await runCli([
      'convert',
      '--infer',
      '04A1B2C3=3283263748',
      '0A0B0C0D=218893066',
      '01020304=67305985',
    ]);
    expect(found.code, found.stderr).toBe(0);
    expect(found.stdout).toBe('reverse-bytes | hex-to-dec\n');
    const none = await runCli(['convert', '--infer', '01=zebra', '02=apple', '03=mango']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('No conversion of up to 4 steps maps every example');
  });
});

describe('cardbind readers', () => {
  it('lists attached devices without crashing on a machine with no readers', async () => {
    const result = await runCli(['readers', 'list', '--json']);
    expect(result.code, result.stderr).toBe(0);
    for (const line of result.stdout.split('\n').filter(Boolean)) {
      expect(JSON.parse(line)).toMatchObject({
        transport: expect.stringMatching(/^(serial|hid)$/),
        path: expect.any(String),
      });
    }
  });
});

describe('cardbind admin terminal', () => {
  let dir: string;
  let dataDir: string;
  const admin = (...args: string[]) => runCli(['admin', '--data', dataDir, 'terminal', ...args]);

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'cardbind-cli-terminal-'));
    dataDir = path.join(dir, 'data');
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('renames and revokes a terminal; the list marks it revoked and shows when it was seen', async () => {
    const added = await admin('add', 'Lobby MFD');
    expect(added.code, added.stderr).toBe(0);
    const token = added.stdout.trim();
    expect((await admin('add', 'Back office')).code).toBe(0);
    // The token works until the terminal is revoked, and using it is what "last seen" records.
    const seenAt = await withAdmin({ dataDir }, async (ops, { store }) => {
      const terminal = await ops.findTerminalByToken(token);
      await store.touchTerminal(terminal?.id ?? -1, '2026-03-04T05:06:07.000Z');
      return terminal?.name;
    });
    expect(seenAt).toBe('Lobby MFD');

    const renamed = await admin('rename', 'Lobby MFD', 'Entrance');
    expect(renamed.code, renamed.stderr).toBe(0);
    expect(renamed.stderr).toContain('Renamed terminal "Lobby MFD" to "Entrance"');
    const revoked = await admin('revoke', 'Entrance');
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stderr).toContain('Revoked terminal "Entrance": its token no longer works');

    const list = await admin('list');
    expect(list.code, list.stderr).toBe(0);
    const rows = list.stdout
      .trimEnd()
      .split('\n')
      .map((line) => line.split('\t'));
    expect(rows).toEqual([
      ['Back office', expect.any(String), 'never', 'active'],
      ['Entrance', expect.any(String), '2026-03-04T05:06:07.000Z', expect.any(String)],
    ]);
    expect(rows[1]?.[3]).toMatch(/^revoked \d{4}-\d\d-\d\dT/);
    await withAdmin({ dataDir }, async (ops, { store }) => {
      expect(await ops.findTerminalByToken(token)).toBeUndefined();
      // Who did it is on record, as for the same actions in the portal.
      const events = await store.audit.list({ subject: 'terminal:Entrance', limit: 10, offset: 0 });
      expect(events.map((e) => [e.action, e.actor?.startsWith('cli:')])).toEqual([
        ['terminal.revoke', true],
        ['terminal.rename', true],
      ]);
    });
  });

  it('says what is wrong with an unknown name, a taken name or a second revocation', async () => {
    expect((await admin('add', 'Kiosk 1')).code).toBe(0);
    expect((await admin('add', 'Kiosk 2')).code).toBe(0);

    const unknown = await admin('revoke', 'Kiosk 9');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('There is no terminal "Kiosk 9". Check the name.');
    const taken = await admin('rename', 'Kiosk 1', 'Kiosk 2');
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain('A terminal "Kiosk 2" already exists. Choose another name');
    const blank = await admin('rename', 'Kiosk 1', '  ');
    expect(blank.code).toBe(1);
    expect(blank.stderr).toContain('must not be empty');

    expect((await admin('revoke', 'Kiosk 1')).code).toBe(0);
    const again = await admin('revoke', 'Kiosk 1');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/Terminal "Kiosk 1" was already revoked on \S+; nothing changed/);
  });
});
