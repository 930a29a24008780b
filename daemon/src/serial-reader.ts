import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { maskCardId, type Logger } from '@cardbind/shared';
import { LineFramer } from './line-framer.ts';
import { normalizeCardId, type ReaderProfile } from './profiles.ts';
import { openSerialPort, type OpenedPort, type PortOpener } from './serial-port.ts';

export type ReaderState = 'connected' | 'disconnected';

export interface SerialReaderEvents {
  read: [{ cardId: string; raw: string }];
  status: [ReaderState];
}

export interface SerialReaderOptions {
  readerId: string;
  path: string;
  profile: ReaderProfile;
  logger: Logger;
  openPort?: PortOpener;
  /** Waits between reopening attempts; the last one repeats. At most 2 s, so a replugged reader is back quickly. */
  retryDelaysMs?: number[];
}

/**
 * A card reader on a serial or USB CDC port. It keeps the port open: when the device goes away
 * (unplugged, port error) it reports `disconnected` and reopens it until it is back.
 */
export class SerialReader extends EventEmitter<SerialReaderEvents> {
  private stopped = false;
  private port: OpenedPort | undefined;
  private loop: Promise<void> | undefined;
  private readonly log: Logger;

  constructor(private readonly options: SerialReaderOptions) {
    super();
    this.log = options.logger.child({ readerId: options.readerId, path: options.path });
  }

  start(): void {
    this.loop ??= this.run();
  }

  async close(): Promise<void> {
    this.stopped = true;
    await this.port?.close();
    await this.loop;
  }

  private async run(): Promise<void> {
    const delays = this.options.retryDelaysMs ?? [250, 500, 1000, 2000];
    let attempt = 0;
    while (!this.stopped) {
      try {
        const port = await (this.options.openPort ?? openSerialPort)(
          this.options.path,
          this.options.profile.serial,
        );
        if (this.stopped) {
          await port.close();
          break;
        }
        attempt = 0;
        this.port = port;
        this.log.info('reader connected');
        this.emit('status', 'connected');
        await this.readUntilGone(port);
        this.port = undefined;
        if (this.stopped) break;
        this.log.warn('reader disconnected; reopening');
        this.emit('status', 'disconnected');
      } catch (error) {
        if (attempt === 0) this.log.warn('cannot open reader; retrying', { error });
      }
      if (this.stopped) break;
      await sleep(delays[Math.min(attempt, delays.length - 1)]);
      attempt++;
    }
  }

  /** Frames and normalizes reads until the port closes or fails. */
  private readUntilGone(port: OpenedPort): Promise<void> {
    const { profile } = this.options;
    const framer = new LineFramer({ maxLength: profile.framing.maxLength });
    framer.on('data', (line: string) => {
      const cardId = normalizeCardId(profile, line);
      if (cardId === null) {
        this.log.warn('read dropped: not a card id', { length: line.length });
        return;
      }
      this.log.debug('card read', { card: maskCardId(cardId) });
      this.emit('read', { cardId, raw: line });
    });
    framer.on('dropped', (reason: string) => {
      this.log.warn('reader data dropped', { reason, ...framer.stats });
    });
    return new Promise((resolve) => {
      let done = false;
      const finish = (error?: Error) => {
        if (done) return;
        done = true;
        if (error) this.log.warn('reader port error', { error });
        port.data.unpipe(framer);
        void port.close().then(() => resolve());
      };
      port.data.on('close', () => finish());
      port.data.on('end', () => finish());
      port.data.on('error', (error: Error) => finish(error));
      port.data.pipe(framer);
    });
  }
}
