import { maskCardId, silentLogger, type Logger, type ReaderStatus } from '@cardbind/shared';
import { startEventServer } from './event-server.ts';
import { loadProfile, normalizeCardId } from './profiles.ts';
import { RepeatSuppressor } from './repeat-suppressor.ts';
import { CardReader } from './card-reader.ts';
import { hidKeyboardLineSource, type HidApi } from './hid-source.ts';
import type { ReaderProfile } from './profiles.ts';
import type { PortOpener } from './serial-port.ts';
import { serialLineSource } from './serial-source.ts';

export const SIMULATED_READER_ID = 'simulated';

export interface ReaderConfig {
  /** Serial device path; for HID readers, an optional hidraw path (found by USB ids otherwise). */
  path?: string;
  profile: string;
  /** Defaults to `serial:<path>` or `hid:<profile>`. */
  readerId?: string;
}

export interface ReaderDaemonOptions {
  /** Loopback port of the event stream; 0 picks a free one. */
  port?: number;
  readers?: ReaderConfig[];
  /**
   * Shared secret of the daemon and its kiosk: other local programs (or web pages trying
   * localhost) can then neither read card numbers from the stream nor inject swipes.
   */
  token?: string;
  /** Same card on the same reader within this window is reported once; 0 disables. */
  repeatWindowMs?: number;
  logger?: Logger;
  profilesDir?: string;
  openPort?: PortOpener;
  hid?: HidApi;
}

export interface ReaderDaemon {
  port: number;
  url: string;
  close(): Promise<void>;
}

/** Runs the readers and publishes their cards on the loopback event stream. */
export async function startReaderDaemon(options: ReaderDaemonOptions = {}): Promise<ReaderDaemon> {
  const logger = options.logger ?? silentLogger;
  const suppressor = new RepeatSuppressor(options.repeatWindowMs ?? 1500);
  const configs = options.readers ?? [];
  // Load every profile before opening anything: a typo should fail at start, not at the first swipe.
  const readerSetups = configs.map((config) => ({
    config,
    profile: loadProfile(config.profile, options.profilesDir),
  }));
  const states = new Map<string, ReaderStatus>();

  const publish = (readerId: string, profile: string, cardId: string) => {
    if (!suppressor.accept(readerId, cardId)) return;
    logger.info('card', { readerId, card: maskCardId(cardId) });
    server.publishCard({ cardId, readerId, profile, at: new Date().toISOString() });
  };

  const server = await startEventServer({
    port: options.port ?? 0,
    ...(options.token === undefined ? {} : { token: options.token }),
    logger,
    readers: () => [...states.values()],
    onSimulate: (request) => {
      const cardId = normalizeCardId({ normalize: { trim: true, case: 'upper' } }, request.cardId);
      if (cardId === null) return false;
      publish(request.readerId ?? SIMULATED_READER_ID, 'simulated', cardId);
      return true;
    },
  });

  const readers = readerSetups.map(({ config, profile }) => {
    const readerId = config.readerId ?? defaultReaderId(config, profile);
    const reader = new CardReader({
      readerId,
      profile,
      logger,
      open: openerFor(config, profile, options),
    });
    reader.on('read', ({ cardId }) => publish(readerId, profile.id, cardId));
    reader.on('status', (status) => {
      const event = { readerId, status, at: new Date().toISOString() };
      states.set(readerId, event);
      server.publishReader(event);
    });
    reader.start();
    return reader;
  });

  return {
    port: server.port,
    url: `http://127.0.0.1:${server.port}`,
    async close() {
      await Promise.all(readers.map((r) => r.close()));
      await server.close();
    },
  };
}

function defaultReaderId(config: ReaderConfig, profile: ReaderProfile): string {
  if (profile.transport === 'serial') return `serial:${config.path}`;
  return config.path ? `hid:${config.path}` : `hid:${profile.id}`;
}

/** How to open the device of a configured reader, per its profile's transport. */
export function openerFor(
  config: ReaderConfig,
  profile: ReaderProfile,
  options: ReaderDaemonOptions,
) {
  if (profile.transport === 'serial') {
    if (!config.path)
      throw new Error(`Reader profile ${profile.id} is a serial reader: give its device path.`);
    return serialLineSource(config.path, profile, options.openPort);
  }
  return hidKeyboardLineSource(profile, {
    ...(config.path ? { path: config.path } : {}),
    ...(options.hid ? { hid: options.hid } : {}),
  });
}
