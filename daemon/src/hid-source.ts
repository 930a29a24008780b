import { EventEmitter } from 'node:events';
import { KeyboardReportDecoder } from './keyboard-report-decoder.ts';
import type { LineSource, LineSourceEvents, LineSourceOpener } from './line-source.ts';
import type { HidKeyboardReaderProfile, HidReaderProfile } from './profiles.ts';

/** What the daemon needs of node-hid; tests give a fake that replays recorded reports. */
export interface HidDeviceInfo {
  vendorId: number;
  productId: number;
  path?: string | undefined;
  interface: number;
  usagePage?: number | undefined;
  usage?: number | undefined;
  product?: string | undefined;
}

export interface HidDevice extends EventEmitter {
  close(): Promise<void>;
  /** For readers polled through feature reports (SDK mode); the first byte is the report id. */
  sendFeatureReport?(data: number[]): Promise<number>;
  getFeatureReport?(reportId: number, length: number): Promise<Buffer>;
}

export interface HidApi {
  devices(): Promise<HidDeviceInfo[]>;
  open(path: string): Promise<HidDevice>;
}

/** The real node-hid, loaded on first use so that serial-only daemons never need libusb. */
export const nodeHid: HidApi = {
  async devices() {
    const hid = await import('node-hid');
    return hid.devicesAsync();
  },
  async open(path) {
    const hid = await import('node-hid');
    return hid.HIDAsync.open(path);
  },
};

/**
 * The HID interface a profile selects: the reader's USB ids, then the usage page and usage (or
 * an explicit interface number) of the interface that carries its reads — the keyboard
 * interface of a keyboard-emulation reader, the vendor interface of one in SDK mode.
 */
export function matchesHidProfile(device: HidDeviceInfo, profile: HidReaderProfile): boolean {
  const usbMatch = (profile.usb ?? []).some(
    (id) => id.vendorId === device.vendorId && id.productId === device.productId,
  );
  if (!usbMatch) return false;
  if (profile.hid.interface !== undefined) return device.interface === profile.hid.interface;
  // hidraw reports usage page/usage on Linux; where it does not, the interface cannot be told apart.
  return (
    device.usagePage === undefined ||
    (device.usagePage === profile.hid.usagePage && device.usage === profile.hid.usage)
  );
}

/** Opens the given hidraw path, or the first attached interface the profile selects. */
export async function openHidDevice(
  profile: HidReaderProfile,
  hid: HidApi,
  path: string | undefined,
): Promise<HidDevice> {
  if (path === undefined) {
    const device = (await hid.devices()).find((d) => matchesHidProfile(d, profile));
    if (!device?.path) throw new Error(`no HID device matching profile ${profile.id} is attached`);
    path = device.path;
  }
  return hid.open(path);
}

/** Lines typed by a reader in keyboard-emulation mode, read from its HID interface. */
export function hidKeyboardLineSource(
  profile: HidKeyboardReaderProfile,
  options: { path?: string; hid?: HidApi; now?: () => number } = {},
): LineSourceOpener {
  const hid = options.hid ?? nodeHid;
  const now = options.now ?? (() => Date.now());
  return async () => {
    const device = await openHidDevice(profile, hid, options.path);
    const decoder = new KeyboardReportDecoder(profile.keyboard);
    const source = new EventEmitter<LineSourceEvents>() as LineSource;
    let ended = false;
    const dropped = { ...decoder.stats };
    device.on('data', (report: Buffer) => {
      for (const line of decoder.push(report, now())) source.emit('line', line);
      for (const reason of ['overlong', 'partial', 'malformed'] as const) {
        if (decoder.stats[reason] !== dropped[reason]) {
          dropped[reason] = decoder.stats[reason];
          source.emit('dropped', reason, { ...decoder.stats });
        }
      }
    });
    device.on('error', (error: Error) => {
      if (ended) return;
      ended = true;
      void device
        .close()
        .catch(() => {})
        .then(() => source.emit('end', error));
    });
    source.close = async () => {
      if (ended) return;
      ended = true;
      await device.close().catch(() => {});
      source.emit('end');
    };
    return source;
  };
}
