import type { Readable } from 'node:stream';
import { SerialPort } from 'serialport';
import type { SerialReaderProfile } from './profiles.ts';

/** An open serial port as the reader logic needs it: bytes in, and a way to close it. */
export interface OpenedPort {
  readonly data: Readable;
  close(): Promise<void>;
}

/** Opens a serial device with the profile's line settings; rejects when it cannot. */
export type PortOpener = (
  path: string,
  settings: SerialReaderProfile['serial'],
) => Promise<OpenedPort>;

/** The real opener, through node-serialport. */
export const openSerialPort: PortOpener = (path, settings) =>
  new Promise((resolve, reject) => {
    const port = new SerialPort({
      path,
      baudRate: settings.baudRate,
      dataBits: settings.dataBits,
      parity: settings.parity,
      stopBits: settings.stopBits,
      autoOpen: false,
    });
    port.open((error) => {
      if (error) return reject(error);
      resolve({
        data: port,
        close: () =>
          new Promise<void>((done) => {
            if (!port.isOpen) return done();
            port.close(() => done());
          }),
      });
    });
  });
