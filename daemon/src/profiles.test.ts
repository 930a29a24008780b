import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  listProfileIds,
  loadProfile,
  unconfirmedFacts,
  normalizeCardId,
  type SerialReaderProfile,
} from './profiles.ts';

describe('reader profiles', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
  const withProfile = (id: string, content: unknown) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cardbind-profiles-'));
    dirs.push(dir);
    writeFileSync(
      path.join(dir, `${id}.json`),
      typeof content === 'string' ? content : JSON.stringify(content),
    );
    return dir;
  };
  const good = loadProfile('generic-serial') as SerialReaderProfile;

  it('ships a valid generic-serial profile', () => {
    expect(listProfileIds()).toContain('generic-serial');
    expect(good).toMatchObject({
      transport: 'serial',
      serial: { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1 },
      normalize: { trim: true, case: 'upper' },
    });
  });

  it('ships profiles that all load, each with USB ids or an unconfirmed note about them', () => {
    const ids = listProfileIds();
    expect(ids).toEqual(
      expect.arrayContaining([
        'generic-serial',
        'generic-serial-stx-etx',
        'generic-keyboard',
        'rfideas-pcprox-keyboard',
        'rfideas-pcprox-sdk',
        'elatec-twn4-cdc',
        'elatec-twn4-keyboard',
        'hid-omnikey-5427ck-keyboard',
        'inepro-scr708',
        'baltech-id-engine',
      ]),
    );
    for (const id of ids) {
      const profile = loadProfile(id);
      expect(profile.id).toBe(id);
      if ((profile.usb ?? []).length === 0) expect(unconfirmedFacts(profile)).toContain('usb');
      // HID readers are found by their USB ids, which must come from somewhere.
      if (profile.usb?.length) expect(profile.sources.usb).toMatch(/usb\.ids|github\.com/);
    }
    expect(loadProfile('rfideas-pcprox-keyboard').usb).toEqual([
      { vendorId: 0x0c27, productId: 0x3bfa },
    ]);
    expect(loadProfile('rfideas-pcprox-sdk')).toMatchObject({
      transport: 'hid-report',
      report: { source: 'feature', offset: 1, length: 8, byteOrder: 'little', format: 'decimal' },
    });
  });

  it('names the field of a HID report layout that cannot work', () => {
    const sdk = loadProfile('rfideas-pcprox-sdk');
    if (sdk.transport !== 'hid-report') throw new Error('expected a hid-report profile');
    const { poll: _poll, ...withoutPoll } = sdk.report;
    const noPoll = withProfile('sdk', { ...sdk, id: 'sdk', report: withoutPoll });
    expect(() => loadProfile('sdk', noPoll)).toThrow(
      /sdk\.json: report\.poll: required when source is "feature"\.$/,
    );
    const tooLong = withProfile('sdk', {
      ...sdk,
      id: 'sdk',
      report: { ...sdk.report, length: 33 },
    });
    expect(() => loadProfile('sdk', tooLong)).toThrow(
      /sdk\.json: report\.length: expected at most 32 bytes/,
    );
    // The pcProx answer is 9 bytes: card data at 1..8 fits, at 2..9 does not.
    const outside = withProfile('sdk', {
      ...sdk,
      id: 'sdk',
      report: { ...sdk.report, offset: 2 },
    });
    expect(() => loadProfile('sdk', outside)).toThrow(
      /sdk\.json: report\.length: offset \+ length \(10\) exceeds poll\.length \(9\)/,
    );
    const noUsage = withProfile('sdk', { ...sdk, id: 'sdk', hid: { interface: 0 } });
    expect(() => loadProfile('sdk', noUsage)).toThrow(
      /sdk\.json: hid\.usagePage: required; hid\.usage: required/,
    );
  });

  it('names the file and the field of a wrong value', () => {
    const dir = withProfile('bad', { ...good, id: 'bad', framing: { type: 'line', maxLength: 0 } });
    expect(() => loadProfile('bad', dir)).toThrow(
      /bad\.json: framing\.maxLength: expected a positive integer\.$/,
    );
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a missing field', { name: undefined }, 'name: required'],
    ['a missing section', { framing: undefined }, 'framing: required'],
    ['an unknown field', { baud: 9600 }, 'baud: unknown field'],
    [
      'an unknown nested field',
      { serial: { ...good.serial, flow: 'rts' } },
      'serial.flow: unknown field',
    ],
    [
      'an unknown transport',
      { transport: 'usb' },
      'transport: expected "serial", "hid-keyboard" or "hid-report"',
    ],
    [
      'a wrong type',
      { framing: { type: 'line', maxLength: '128' } },
      'framing.maxLength: expected a positive integer',
    ],
    [
      'a fraction',
      { serial: { ...good.serial, baudRate: 9600.5 } },
      'serial.baudRate: expected a positive integer',
    ],
    [
      'a too large value',
      { framing: { type: 'line', maxLength: 100_000 } },
      'framing.maxLength: expected at most 4096',
    ],
    [
      'a value not in the list',
      { serial: { ...good.serial, dataBits: 9 } },
      'serial.dataBits: expected 5, 6, 7 or 8',
    ],
    [
      'a wrong parity',
      { serial: { ...good.serial, parity: 'N' } },
      'serial.parity: Invalid option',
    ],
    [
      'a bad USB id',
      { usb: [{ vendorId: -1, productId: 1 }] },
      'usb[0].vendorId: expected a USB id',
    ],
    ['a bad case', { normalize: { trim: true, case: 'UPPER' } }, 'normalize.case: Invalid option'],
    [
      'a USB id in decimal text',
      { usb: [{ vendorId: '3111', productId: 1 }] },
      'usb[0].vendorId: expected a USB id: "0x"',
    ],
    [
      'an unknown framing',
      { framing: { type: 'fixed', maxLength: 8 } },
      'framing.type: expected "line" or "stx-etx"',
    ],
    [
      'a wrong checksum',
      { framing: { type: 'stx-etx', maxLength: 8, checksum: 'crc' } },
      'framing.checksum: Invalid option',
    ],
    [
      'a prefix with control characters',
      { framing: { type: 'line', maxLength: 8, prefix: '\u0002' } },
      'framing.prefix: expected 1 to 16 printable ASCII characters',
    ],
    ['missing sources', { sources: undefined }, 'sources: required'],
    ['a missing source', { sources: { usb: 'x', transport: 'y' } }, 'sources.output: required'],
    [
      'an unknown fact',
      { sources: { ...good.sources, color: 'x' } },
      'sources.color: unknown field',
    ],
  ])('names the field of %s', (_kind, change, message) => {
    const dir = withProfile('x', { ...good, id: 'x', ...change });
    expect(() => loadProfile('x', dir)).toThrow(`x.json: ${message}`);
  });

  it('lists every wrong field, and refuses a file that is not a JSON object', () => {
    const dir = withProfile('x', {
      ...good,
      id: 'x',
      name: '',
      serial: { ...good.serial, stopBits: 3 },
    });
    expect(() => loadProfile('x', dir)).toThrow(
      /x\.json: name: .*; serial\.stopBits: expected 1, 1\.5 or 2\./,
    );
    expect(() => loadProfile('x', withProfile('x', '[]'))).toThrow(
      /x\.json: expected a JSON object/,
    );
  });

  it('says which profiles directory it cannot read', () => {
    expect(() => listProfileIds('/nonexistent/cardbind-profiles')).toThrow(
      /reader profiles directory \/nonexistent\/cardbind-profiles/,
    );
  });

  it('refuses unknown fields, broken JSON, a mismatched id, and lists ids for an unknown one', () => {
    const extra = withProfile('extra', { ...good, id: 'extra', baud: 9600 });
    expect(() => loadProfile('extra', extra)).toThrow(/extra\.json: .*baud/);
    const broken = withProfile('broken', '{"id": ');
    expect(() => loadProfile('broken', broken)).toThrow(/broken\.json: not valid JSON/);
    const renamed = withProfile('renamed', good);
    expect(() => loadProfile('renamed', renamed)).toThrow(
      /id: "generic-serial" must match the file name "renamed"/,
    );
    expect(() => loadProfile('nope')).toThrow(
      /Unknown reader profile "nope"\. Available: .*generic-serial/,
    );
  });

  it("applies the profile's conversion, and drops reads it cannot convert", () => {
    const reversed = {
      normalize: { trim: true, case: 'upper' as const, conversion: 'reverse-bytes | hex-to-dec' },
    };
    expect(normalizeCardId(reversed, '04a1b2c3\r')).toBe('3283263748');
    expect(normalizeCardId(reversed, 'XYZ1')).toBeNull();
    const safeq = { normalize: { trim: true, case: 'keep' as const, conversion: 'Hex2Dec' } };
    expect(normalizeCardId(safeq, '0A0B')).toBe('2571');
  });

  it('names the profile field of a conversion that does not parse', () => {
    const dir = withProfile('conv', {
      ...good,
      id: 'conv',
      normalize: { ...good.normalize, conversion: 'hex-to-decc' },
    });
    expect(() => loadProfile('conv', dir)).toThrow(
      /conv\.json: normalize\.conversion: .*hex-to-decc/,
    );
  });

  it('normalizes reads and refuses what cannot be a card id', () => {
    expect(normalizeCardId(good, ' 04a1b2c3d4 ')).toBe('04A1B2C3D4');
    expect(normalizeCardId(good, '   ')).toBeNull();
    expect(normalizeCardId(good, '04A1 B2C3')).toBeNull();
    expect(normalizeCardId({ normalize: { trim: false, case: 'keep' } }, 'ab12')).toBe('ab12');
  });
});
