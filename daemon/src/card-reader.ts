import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { maskCardId, type Logger } from '@cardbind/shared';
import type { LineSource, LineSourceOpener } from './line-source.ts';
import { normalizeCardId, type ReaderProfile } from './profiles.ts';

export type ReaderState = 'connected' | 'disconnected';

export interface CardReaderEvents {
  read: [{ cardId: string; raw: string }];
  /** Emitted when the state changes; `disconnected` also when the device is missing at start. */
  status: [ReaderState];
}

export interface CardReaderOptions {
  readerId: string;
  profile: ReaderProfile;
  open: LineSourceOpener;
  logger: Logger;
  /** The device path, for the logs. */
  device?: string;
  /**
   * Waits between reopening attempts; the last repeats. Each at most 2 s, so a replugged
   * reader is back quickly.
   */
  retryDelaysMs?: number[];
}

const DEFAULT_RETRY_DELAYS_MS = [250, 500, 1000, 2000];
const MAX_RETRY_DELAY_MS = 2000;

/**
 * A card reader on any transport. It keeps its device open: when the device goes away
 * (unplugged, port error) or is not there yet, it reports `disconnected` and reopens it until
 * it is back.
 */
export class CardReader extends EventEmitter<CardReaderEvents> {
  private readonly stop = new AbortController();
  private readonly retryDelaysMs: number[];
  private state: ReaderState | undefined;
  private source: LineSource | undefined;
  private loop: Promise<void> | undefined;
  private readonly log: Logger;

  constructor(private readonly options: CardReaderOptions) {
    super();
    const delays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    if (
      delays.length === 0 ||
      !delays.every((d) => Number.isFinite(d) && d >= 0 && d <= MAX_RETRY_DELAY_MS)
    ) {
      throw new RangeError(
        `"retryDelaysMs" must be a non-empty list of waits from 0 to ${MAX_RETRY_DELAY_MS} ms`,
      );
    }
    this.retryDelaysMs = delays;
    this.log = options.logger.child({
      readerId: options.readerId,
      profile: options.profile.id,
      ...(options.device === undefined ? {} : { device: options.device }),
    });
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** Stops reopening, closes the device, and resolves once nothing of the reader runs. */
  async close(): Promise<void> {
    this.stop.abort();
    await this.source?.close();
    await this.loop;
  }

  private get stopped(): boolean {
    return this.stop.signal.aborted;
  }

  private setState(state: ReaderState): void {
    if (this.state === state) return;
    this.state = state;
    this.emit('status', state);
  }

  private async run(): Promise<void> {
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
        this.setState('connected');
        await this.readUntilGone(source);
        this.source = undefined;
        if (this.stopped) break;
        this.log.warn('reader disconnected; reopening');
        this.setState('disconnected');
      } catch (error) {
        // Log the first failure only: an unplugged reader would otherwise fill the log.
        if (attempt === 0) this.log.warn('cannot open reader; retrying', { error });
        this.setState('disconnected');
      }
      const delay = this.retryDelaysMs[Math.min(attempt, this.retryDelaysMs.length - 1)];
      await sleep(delay, undefined, { signal: this.stop.signal }).catch(() => {});
      attempt++;
    }
    this.log.info('reader closed');
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
