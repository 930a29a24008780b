import { silentLogger } from '@cardbind/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { CardReader } from './card-reader.ts';
import { hidReportLineSource } from './hid-report-source.ts';
import type { HidDeviceInfo } from './hid-source.ts';
import { loadProfile, type HidReportReaderProfile } from './profiles.ts';
import { FakeHid } from './testing/fake-hid.ts';
import { until } from './testing/until.ts';

const sdk = loadProfile('rfideas-pcprox-sdk') as HidReportReaderProfile;
const pcprox: HidDeviceInfo = {
  vendorId: 0x0c27,
  productId: 0x3bfa,
  path: '/dev/hidraw1',
  interface: 0,
  usagePage: 1,
  usage: 6,
};

/** The reader's vendor interface, and a profile that reads input reports with id 2 from it. */
const vendor: HidDeviceInfo = { ...pcprox, usagePage: 0xff00, usage: 1, path: '/dev/hidraw5' };
const inputReports: HidReportReaderProfile = {
  ...sdk,
  hid: { usagePage: 0xff00, usage: 1 },
  report: { source: 'input', reportId: 2, offset: 1, length: 4, byteOrder: 'big', format: 'hex' },
};

describe('HID readers in SDK mode (vendor reports)', () => {
  const readers: CardReader[] = [];
  afterEach(async () => {
    for (const r of readers.splice(0)) await r.close();
  });

  it('closes the device again when it cannot be polled for feature reports', async () => {
    const hid = new FakeHid();
    hid.attached = [pcprox];
    let closed = 0;
    const open = hid.open.bind(hid);
    hid.open = async (path: string) => {
      const device = await open(path);
      return Object.assign(device, {
        sendFeatureReport: undefined,
        close: async () => void closed++,
      });
    };
    await expect(hidReportLineSource(sdk, { hid })()).rejects.toThrow(
      /cannot be polled for feature reports/,
    );
    expect(closed).toBe(1);
  });

  it('polls a pcProx card buffer and reports a card once when it appears', async () => {
    const hid = new FakeHid();
    hid.attached = [pcprox];
    // Recorded per micolous/pcprox protocol.md: no card, an H10301 card (facility 1, number
    // 12345) held for three polls, no card, the same card again.
    const empty = [0, 0, 0, 0, 0, 0, 0, 0, 0];
    const card = [0, 0x39, 0x30, 0x01, 0, 0, 0, 0, 0];
    hid.featureAnswers = [empty, card, card, card, empty, card, empty];
    const profile = {
      ...sdk,
      report: { ...sdk.report, poll: { ...sdk.report.poll!, intervalMs: 50 } },
    };
    const reader = new CardReader({
      readerId: 'sdk',
      profile,
      logger: silentLogger,
      open: hidReportLineSource(profile, { hid }),
    });
    readers.push(reader);
    const reads: string[] = [];
    reader.on('read', ({ cardId }) => reads.push(cardId));
    reader.start();
    await until(() => hid.featureAnswers.length === 1 && reads.length === 2);
    expect(reads).toEqual(['77881', '77881']);
    expect(hid.requests[0]).toEqual([0, 0x8f, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('does not report a held card again after a malformed poll answer', async () => {
    const hid = new FakeHid();
    hid.attached = [pcprox];
    const empty = [0, 0, 0, 0, 0, 0, 0, 0, 0];
    const card = [0, 0x39, 0x30, 0x01, 0, 0, 0, 0, 0];
    // A truncated answer while the card stays on the reader.
    hid.featureAnswers = [empty, card, [0, 0x39], card, card, empty];
    const profile = {
      ...sdk,
      report: { ...sdk.report, poll: { ...sdk.report.poll!, intervalMs: 20 } },
    };
    const source = await hidReportLineSource(profile, { hid })();
    const lines: string[] = [];
    const dropped: string[] = [];
    source.on('line', (line) => lines.push(line));
    source.on('dropped', (reason) => dropped.push(reason));
    await until(() => hid.featureAnswers.length === 1);
    await source.close();
    expect(lines).toEqual(['77881']);
    expect(dropped).toEqual(['malformed']);
  });

  it('reports nothing that arrives after the source was closed', async () => {
    const hid = new FakeHid();
    hid.attached = [vendor];
    const source = await hidReportLineSource(inputReports, { hid })();
    const lines: string[] = [];
    source.on('line', (line) => lines.push(line));
    const device = hid.current;
    device.emit('data', Buffer.from([2, 0x04, 0xa1, 0xb2, 0xc3]));
    const closing = source.close();
    // Queued in the driver before the close took effect.
    device.emit('data', Buffer.from([2, 0, 0, 0x12, 0x34]));
    await closing;
    expect(lines).toEqual(['04A1B2C3']);
  });

  it('decodes input reports, ignores other report ids, and reopens after an unplug', async () => {
    const hid = new FakeHid();
    hid.attached = [pcprox, vendor];
    const reader = new CardReader({
      readerId: 'raw',
      profile: inputReports,
      logger: silentLogger,
      open: hidReportLineSource(inputReports, { hid }),
      retryDelaysMs: [10],
    });
    readers.push(reader);
    const events: string[] = [];
    reader.on('read', ({ cardId }) => events.push(`read ${cardId}`));
    reader.on('status', (s) => events.push(s));
    reader.start();
    await until(() => events.length >= 1);
    expect(hid.opened.map((d) => d.path)).toEqual(['/dev/hidraw5']);
    const send = (bytes: number[]) => hid.send([bytes]);
    send([2, 0x04, 0xa1, 0xb2, 0xc3]);
    send([1, 0x11, 0x22, 0x33, 0x44]);
    send([2, 0x04]);
    await until(() => events.length >= 2);
    hid.current.emit('error', new Error('could not read from HID device'));
    await until(() => events.length >= 4);
    send([2, 0, 0, 0x12, 0x34]);
    await until(() => events.length >= 5);
    expect(events).toEqual([
      'connected',
      'read 04A1B2C3',
      'disconnected',
      'connected',
      'read 00001234',
    ]);
  });
});
