import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { maskCardId, type Logger } from '@cardbind/shared';
import type { LineSource, LineSourceOpener } from './line-source.ts';
import { normalizeCardId, type ReaderProfile } from './profiles.ts';

export type ReaderState = 'connected' | 'disconnected';

export interface CardReaderEvents {
  read: [{ cardId: string; raw: string }];
  status: [ReaderState];
}

export interface CardReaderOptions {
  readerId: string;
  profile: ReaderProfile;
  open: LineSourceOpener;
  logger: Logger;
  /** Waits between reopening attempts; the last repeats. At most 2 s, so a replugged reader is back quickly. */
  retryDelaysMs?: number[];
}

/**
 * A card reader on any transport. It keeps its device open: when the device goes away
 * (unplugged, port error) it reports `disconnected` and reopens it until it is back.
 */
export class CardReader extends EventEmitter<CardReaderEvents> {
  private stopped = false;
  private source: LineSource | undefined;
  private loop: Promise<void> | undefined;
  private readonly log: Logger;

  constructor(private readonly options: CardReaderOptions) {
    super();
    this.log = options.logger.child({ readerId: options.readerId, profile: options.profile.id });
  }

  start(): void {
    this.loop ??= this.run();
  }

  async close(): Promise<void> {
    this.stopped = true;
    await this.source?.close();
    await this.loop;
  }

  private async run(): Promise<void> {
    const delays = this.options.retryDelaysMs ?? [250, 500, 1000, 2000];
    let attempt = 0;
    while (!this.stopped) {
      try {
        const source = await this.options.open();
        if (this.stopped) {
          await source.close();
          break;
        }
        attempt = 0;
        this.source = source;
        this.log.info('reader connected');
        this.emit('status', 'connected');
        await this.readUntilGone(source);
        this.source = undefined;
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

  private readUntilGone(source: LineSource): Promise<void> {
    source.on('line', (line) => {
      const cardId = normalizeCardId(this.options.profile, line);
      if (cardId === null) {
        this.log.warn('read dropped: not a card id', { length: line.length });
        return;
      }
      this.log.debug('card read', { card: maskCardId(cardId) });
      this.emit('read', { cardId, raw: line });
    });
    source.on('dropped', (reason, stats) =>
      this.log.warn('reader data dropped', { reason, ...stats }),
    );
    return new Promise((resolve) =>
      source.once('end', (error) => {
        if (error) this.log.warn('reader failed', { error });
        resolve();
      }),
    );
  }
}
