import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listAttachedReaders, listUsbSerialFromSysfs } from './discovery.ts';

describe('listAttachedReaders', () => {
  it('lists serial and HID devices, and no profile for unknown USB ids', async () => {
    const devices = await listAttachedReaders({
      listSerialPorts: async () => [
        { path: '/dev/ttyACM0', vendorId: '09d8', productId: '0420', manufacturer: 'Elatec' },
        { path: '/dev/ttyS0' },
      ],
      hid: {
        devices: async () => [
          {
            vendorId: 0x1234,
            productId: 0x5678,
            path: '/dev/hidraw0',
            interface: 0,
            usagePage: 1,
            usage: 6,
            product: 'Keyboard',
          },
        ],
        open: async () => {
          throw new Error('not used');
        },
      },
    });
    expect(devices.map((d) => [d.transport, d.path, d.vendorId, d.profiles])).toEqual([
      ['serial', '/dev/ttyACM0', 0x09d8, expect.any(Array)],
      ['serial', '/dev/ttyS0', null, []],
      ['hid', '/dev/hidraw0', 0x1234, []],
    ]);
  });

  it('matches the shipped vendor profiles by USB ids and HID interface', async () => {
    const pcprox = { vendorId: 0x0c27, productId: 0x3bfa, interface: 0, usagePage: 1, usage: 6 };
    const devices = await listAttachedReaders({
      listSerialPorts: async () => [{ path: '/dev/ttyACM0', vendorId: '09d8', productId: '0420' }],
      hid: {
        devices: async () => [
          { ...pcprox, path: '/dev/hidraw0' },
          {
            vendorId: 0x076b,
            productId: 0x5427,
            path: '/dev/hidraw1',
            interface: 1,
            usagePage: 1,
            usage: 6,
          },
          // The OMNIKEY's other (vendor) interface carries no keystrokes: no profile.
          {
            vendorId: 0x076b,
            productId: 0x5427,
            path: '/dev/hidraw2',
            interface: 2,
            usagePage: 0xff00,
            usage: 1,
          },
          {
            vendorId: 0x09d8,
            productId: 0x0410,
            path: '/dev/hidraw3',
            interface: 0,
            usagePage: 1,
            usage: 6,
          },
        ],
        open: async () => {
          throw new Error('not used');
        },
      },
    });
    expect(Object.fromEntries(devices.map((d) => [d.path, d.profiles]))).toEqual({
      '/dev/ttyACM0': ['elatec-twn4-cdc'],
      '/dev/hidraw0': ['rfideas-pcprox-keyboard', 'rfideas-pcprox-sdk'],
      '/dev/hidraw1': ['hid-omnikey-5427ck-keyboard'],
      '/dev/hidraw2': [],
      '/dev/hidraw3': ['elatec-twn4-keyboard'],
    });
    expect(devices[1]?.hid).toEqual({ interface: 0, usagePage: 1, usage: 6 });
    // What nobody could confirm for a matching profile is listed for the technician to check.
    expect(devices.find((d) => d.path === '/dev/hidraw0')?.unconfirmed).toEqual({
      'rfideas-pcprox-keyboard': ['hid'],
      'rfideas-pcprox-sdk': ['hid', 'output'],
    });
    expect(devices.find((d) => d.path === '/dev/hidraw2')?.unconfirmed).toEqual({});
  });

  it('still lists serial ports when HID is unavailable', async () => {
    const devices = await listAttachedReaders({
      listSerialPorts: async () => [{ path: '/dev/ttyUSB0' }],
      hid: {
        devices: async () => {
          throw new Error('libusb-1.0.so.0: cannot open shared object file');
        },
        open: async () => {
          throw new Error('not used');
        },
      },
    });
    expect(devices.map((d) => d.path)).toEqual(['/dev/ttyUSB0']);
  });

  it('reads USB serial ports and their ids from sysfs where udevadm is missing', () => {
    const sys = mkdtempSync(path.join(tmpdir(), 'cardbind-sysfs-'));
    try {
      // /sys/class/tty/ttyACM0/device -> .../usb1/1-1/1-1:1.0, ids in .../usb1/1-1
      const usbDevice = path.join(sys, 'devices/usb1/1-1');
      mkdirSync(path.join(usbDevice, '1-1:1.0'), { recursive: true });
      writeFileSync(path.join(usbDevice, 'idVendor'), '09d8\n');
      writeFileSync(path.join(usbDevice, 'idProduct'), '0420\n');
      const tty = path.join(sys, 'class/tty');
      mkdirSync(path.join(tty, 'ttyACM0'), { recursive: true });
      symlinkSync(path.join(usbDevice, '1-1:1.0'), path.join(tty, 'ttyACM0/device'));
      mkdirSync(path.join(tty, 'ttyUSB1'));
      mkdirSync(path.join(tty, 'tty1'));
      expect(listUsbSerialFromSysfs(tty)).toEqual([
        { path: '/dev/ttyACM0', vendorId: '09d8', productId: '0420' },
        { path: '/dev/ttyUSB1' },
      ]);
      expect(listUsbSerialFromSysfs(path.join(sys, 'missing'))).toEqual([]);
    } finally {
      rmSync(sys, { recursive: true, force: true });
    }
  });
});
