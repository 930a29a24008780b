import { statSync } from 'node:fs';
import { EventEmitter } from 'node:events';
import { createFramer } from './framers.ts';
import type { LineSource, LineSourceEvents, LineSourceOpener } from './line-source.ts';
import type { SerialReaderProfile } from './profiles.ts';
import { openSerialPort, type PortOpener } from './serial-port.ts';

const DEVICE_CHECK_MS = 500;

/** The device node a path leads to now (through links), or null when there is none. */
function deviceIdentity(path: string): string | null {
  try {
    const stat = statSync(path);
    return `${stat.dev}:${stat.ino}:${stat.rdev}`;
  } catch {
    return null;
  }
}

/** Reads from a serial / USB CDC reader, framed per its profile (lines, STX/ETX). */
export function serialLineSource(
  path: string,
  profile: SerialReaderProfile,
  openPort: PortOpener = openSerialPort,
): LineSourceOpener {
  return async () => {
    const port = await openPort(path, profile.serial);
    const openedDevice = deviceIdentity(path);
    const framer = createFramer(profile.framing);
    const source = new EventEmitter<LineSourceEvents>() as LineSource;
    let ended = false;
    // A vanished device does not always wake a pending read (no hang-up on some USB-serial
    // chips and PTYs), so the device node is watched too: gone or replaced means unplugged.
    const watchdog = setInterval(() => {
      if (deviceIdentity(path) !== openedDevice) end(new Error(`${path} vanished`));
    }, DEVICE_CHECK_MS);
    watchdog.unref();
    const end = (error?: Error) => {
      if (ended) return;
      ended = true;
      clearInterval(watchdog);
      port.data.unpipe(framer);
      void port.close().then(() => source.emit('end', error));
    };
    framer.on('data', (line: string) => source.emit('line', line));
    framer.on('dropped', (reason: string) => source.emit('dropped', reason, { ...framer.stats }));
    port.data.on('close', () => end());
    port.data.on('end', () => end());
    port.data.on('error', (error: Error) => end(error));
    port.data.pipe(framer);
    source.close = async () => {
      if (ended) return;
      ended = true;
      clearInterval(watchdog);
      port.data.unpipe(framer);
      await port.close();
      source.emit('end');
    };
    return source;
  };
}
