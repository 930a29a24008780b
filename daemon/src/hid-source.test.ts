import { silentLogger } from '@cardbind/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { CardReader } from './card-reader.ts';
import { hidKeyboardLineSource, matchesHidProfile, type HidDeviceInfo } from './hid-source.ts';
import { encodeKeystrokes } from './keyboard-report-decoder.ts';
import { loadProfile, type HidKeyboardReaderProfile } from './profiles.ts';
import { FakeHid } from './testing/fake-hid.ts';
import { until } from './testing/until.ts';

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
    const eventCount = (count: number) => until(() => events.length >= count, `${count} events`);
    reader.start();
    await eventCount(1);
    expect(hid.opened.map((d) => d.path)).toEqual(['/dev/hidraw3']);

    hid.send(encodeKeystrokes('04a1b2c3d4'));
    await eventCount(2);
    hid.attached = [];
    hid.current.emit('error', new Error('could not read from HID device'));
    await eventCount(3);
    hid.attached = [keyboardInterface];
    await eventCount(4);
    hid.send(encodeKeystrokes('1234'));
    await eventCount(5);
    expect(events).toEqual([
      'connected',
      'read 04A1B2C3D4',
      'disconnected',
      'connected',
      'read 1234',
    ]);
  });
});
