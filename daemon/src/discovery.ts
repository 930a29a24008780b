import { readFileSync, readdirSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { SerialPort } from 'serialport';
import { matchesHidProfile, nodeHid, type HidApi } from './hid-source.ts';
import { listProfileIds, loadProfile, unconfirmedFacts, type ReaderProfile } from './profiles.ts';

export interface AttachedDevice {
  transport: 'serial' | 'hid';
  path: string;
  vendorId: number | null;
  productId: number | null;
  product: string | null;
  /** Profiles that fit this device. */
  profiles: string[];
  /**
   * For each profile that fits, the facts its `sources` mark unconfirmed: what a technician
   * checks first when the reader's cards come out wrong.
   */
  unconfirmed: Record<string, string[]>;
  /** For HID devices: which interface this is (a reader may have several). */
  hid?: { interface: number; usagePage?: number | undefined; usage?: number | undefined };
}

export interface SerialPortInfo {
  path: string;
  vendorId?: string | undefined;
  productId?: string | undefined;
  manufacturer?: string | undefined;
}

export interface DiscoveryOptions {
  hid?: HidApi;
  listSerialPorts?: () => Promise<SerialPortInfo[]>;
  profilesDir?: string;
}

/** Attached serial and HID devices, each with the hardware profiles that match it. */
export async function listAttachedReaders(
  options: DiscoveryOptions = {},
): Promise<AttachedDevice[]> {
  const profiles: ReaderProfile[] = listProfileIds(options.profilesDir).map((id) =>
    loadProfile(id, options.profilesDir),
  );
  const usbMatch = (p: ReaderProfile, vendorId: number | null, productId: number | null) =>
    (p.usb ?? []).some((u) => u.vendorId === vendorId && u.productId === productId);
  const fitting = (matches: (p: ReaderProfile) => boolean) => {
    const fit = profiles.filter(matches);
    return {
      profiles: fit.map((p) => p.id),
      unconfirmed: Object.fromEntries(fit.map((p) => [p.id, unconfirmedFacts(p)])),
    };
  };

  let serial: SerialPortInfo[];
  try {
    serial = await (options.listSerialPorts ?? (() => SerialPort.list()))();
  } catch {
    // node-serialport lists ports through `udevadm`, which minimal systems and containers lack.
    serial = listUsbSerialFromSysfs();
  }
  const devices: AttachedDevice[] = serial.map((port) => {
    const vendorId = port.vendorId ? parseInt(port.vendorId, 16) : null;
    const productId = port.productId ? parseInt(port.productId, 16) : null;
    return {
      transport: 'serial',
      path: port.path,
      vendorId,
      productId,
      product: port.manufacturer ?? null,
      ...fitting((p) => p.transport === 'serial' && usbMatch(p, vendorId, productId)),
    };
  });

  let hid: Awaited<ReturnType<HidApi['devices']>> = [];
  try {
    hid = await (options.hid ?? nodeHid).devices();
  } catch {
    // No HID support on this machine (libusb missing): serial devices are still worth listing.
  }
  for (const device of hid) {
    if (!device.path) continue;
    devices.push({
      transport: 'hid',
      path: device.path,
      vendorId: device.vendorId,
      productId: device.productId,
      product: device.product ?? null,
      ...fitting((p) => p.transport !== 'serial' && matchesHidProfile(device, p)),
      hid: { interface: device.interface, usagePage: device.usagePage, usage: device.usage },
    });
  }
  return devices;
}

/** USB serial / CDC ports and their USB ids, read from sysfs (Linux) without udev. */
export function listUsbSerialFromSysfs(sysClassTty = '/sys/class/tty'): SerialPortInfo[] {
  let names: string[];
  try {
    names = readdirSync(sysClassTty).filter((name) => /^tty(ACM|USB)\d+$/.test(name));
  } catch {
    return [];
  }
  return names.sort().map((name) => {
    const port: SerialPortInfo = { path: `/dev/${name}` };
    try {
      // device -> the USB interface; its parent directory is the USB device with the ids.
      const usbDevice = path.dirname(realpathSync(path.join(sysClassTty, name, 'device')));
      port.vendorId = readFileSync(path.join(usbDevice, 'idVendor'), 'utf8').trim();
      port.productId = readFileSync(path.join(usbDevice, 'idProduct'), 'utf8').trim();
    } catch {
      // not a USB device, or sysfs without the ids: listed without them
    }
    return port;
  });
}
