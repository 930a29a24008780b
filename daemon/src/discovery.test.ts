import { describe, expect, it } from 'vitest';
import { listAttachedReaders } from './discovery.ts';

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
});
