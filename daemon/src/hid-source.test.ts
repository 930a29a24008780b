import { EventEmitter } from 'node:events';
import { silentLogger } from '@cardbind/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { CardReader } from './card-reader.ts';
import {
  hidKeyboardLineSource,
  matchesHidProfile,
  type HidApi,
  type HidDeviceInfo,
} from './hid-source.ts';
import { encodeKeystrokes } from './keyboard-report-decoder.ts';
import { loadProfile, type HidKeyboardReaderProfile } from './profiles.ts';

/** A first-class fake of node-hid: attached devices, and open devices the test drives. */
class FakeHid implements HidApi {
  attached: HidDeviceInfo[] = [];
  opened: Array<EventEmitter & { close(): Promise<void>; path: string }> = [];
  async devices() {
    return this.attached;
  }
  async open(path: string) {
    if (!this.attached.some((d) => d.path === path)) throw new Error(`cannot open ${path}`);
    const device = Object.assign(new EventEmitter(), { path, close: async () => {} });
    this.opened.push(device);
    return device;
  }
  /** The reader types these reports into the last opened device. */
  type(reports: Uint8Array[]) {
    for (const report of reports) this.opened.at(-1)!.emit('data', Buffer.from(report));
  }
}

const profile: HidKeyboardReaderProfile = {
  ...(loadProfile('generic-keyboard') as HidKeyboardReaderProfile),
  usb: [{ vendorId: 0x0c27, productId: 0x3bfa }],
};
const keyboardInterface: HidDeviceInfo = {
  vendorId: 0x0c27,
  productId: 0x3bfa,
  path: '/dev/hidraw3',
  interface: 0,
  usagePage: 1,
  usage: 6,
};

describe('HID keyboard readers', () => {
  const readers: CardReader[] = [];
  afterEach(async () => {
    for (const r of readers.splice(0)) await r.close();
  });

  it("selects the keyboard interface of the profile's USB ids, or the configured interface number", () => {
    expect(matchesHidProfile(keyboardInterface, profile)).toBe(true);
    expect(matchesHidProfile({ ...keyboardInterface, usagePage: 0xff00, usage: 1 }, profile)).toBe(
      false,
    );
    expect(matchesHidProfile({ ...keyboardInterface, productId: 1 }, profile)).toBe(false);
    const byInterface = { ...profile, hid: { ...profile.hid, interface: 1 } };
    expect(matchesHidProfile(keyboardInterface, byInterface)).toBe(false);
    expect(
      matchesHidProfile({ ...keyboardInterface, interface: 1, usagePage: 0xff00 }, byInterface),
    ).toBe(true);
  });

  it('reads typed card numbers from the HID interface and reopens after an unplug', async () => {
    const hid = new FakeHid();
    hid.attached = [
      { ...keyboardInterface, usagePage: 0xff00, usage: 1, path: '/dev/hidraw2' },
      keyboardInterface,
    ];
    const reader = new CardReader({
      readerId: 'desk',
      profile,
      logger: silentLogger,
      open: hidKeyboardLineSource(profile, { hid }),
      retryDelaysMs: [10],
    });
    readers.push(reader);
    const events: string[] = [];
    reader.on('read', ({ cardId }) => events.push(`read ${cardId}`));
    reader.on('status', (s) => events.push(s));
    const until = async (count: number) => {
      for (let i = 0; i < 200 && events.length < count; i++)
        await new Promise((r) => setTimeout(r, 5));
    };
    reader.start();
    await until(1);
    expect(hid.opened.map((d) => d.path)).toEqual(['/dev/hidraw3']);

    hid.type(encodeKeystrokes('04a1b2c3d4'));
    await until(2);
    hid.attached = [];
    hid.opened.at(-1)!.emit('error', new Error('could not read from HID device'));
    await until(3);
    hid.attached = [keyboardInterface];
    await until(4);
    hid.type(encodeKeystrokes('1234'));
    await until(5);
    expect(events).toEqual([
      'connected',
      'read 04A1B2C3D4',
      'disconnected',
      'connected',
      'read 1234',
    ]);
  });
});
