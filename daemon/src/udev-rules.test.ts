import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listProfileIds, loadProfile } from './profiles.ts';

const rules = readFileSync(
  path.resolve(import.meta.dirname, '../../packaging/linux/70-cardbind-readers.rules'),
  'utf8',
)
  .split('\n')
  .filter((line) => line.trim() && !line.trimStart().startsWith('#'));

const hex = (id: number) => id.toString(16).padStart(4, '0');

describe('udev rules', () => {
  const profiles = listProfileIds().map((id) => loadProfile(id));
  const usbReaders = profiles.flatMap((p) => (p.usb ?? []).map((usb) => ({ profile: p, usb })));

  it.each(
    usbReaders.map(({ profile, usb }) => [
      profile.id,
      hex(usb.vendorId),
      hex(usb.productId),
      profile.transport,
    ]),
  )('grant the daemon the device of %s (%s:%s, %s)', (_id, vendor, product, transport) => {
    const forDevice = rules.filter(
      (r) =>
        r.includes(`ATTRS{idVendor}=="${vendor}"`) && r.includes(`ATTRS{idProduct}=="${product}"`),
    );
    const grant = 'GROUP="cardbind", MODE="0660"';
    if (transport === 'serial') {
      expect(forDevice.some((r) => r.startsWith('SUBSYSTEM=="tty"') && r.includes(grant))).toBe(
        true,
      );
      // ModemManager ignores the device, on the USB device and its tty alike.
      expect(forDevice.filter((r) => r.includes('ENV{ID_MM_DEVICE_IGNORE}="1"')).length).toBe(2);
    } else {
      expect(forDevice.some((r) => r.startsWith('SUBSYSTEM=="hidraw"') && r.includes(grant))).toBe(
        true,
      );
    }
    if (transport === 'hid-keyboard') {
      expect(
        forDevice.some(
          (r) =>
            r.startsWith('SUBSYSTEM=="input"') && r.includes('ENV{LIBINPUT_IGNORE_DEVICE}="1"'),
        ),
      ).toBe(true);
    }
  });

  it('name no device that no profile lists', () => {
    const listed = new Set(
      usbReaders.map(({ usb }) => `${hex(usb.vendorId)}:${hex(usb.productId)}`),
    );
    for (const rule of rules) {
      const ids = /ATTRS\{idVendor\}=="(\w{4})", ATTRS\{idProduct\}=="(\w{4})"/.exec(rule);
      if (ids) expect(listed).toContain(`${ids[1]}:${ids[2]}`);
    }
  });
});
