import { maskCardId, silentLogger, type Logger, type ReaderStatus } from '@cardbind/shared';
import { startEventServer } from './event-server.ts';
import { loadProfile, normalizeCardId } from './profiles.ts';
import { RepeatSuppressor } from './repeat-suppressor.ts';
import { CardReader } from './card-reader.ts';
import { hidKeyboardLineSource, type HidApi } from './hid-source.ts';
import { hidReportLineSource } from './hid-report-source.ts';
import type { ReaderProfile } from './profiles.ts';
import type { LineSourceOpener } from './line-source.ts';
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
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`"port" must be a TCP port number from 0 to 65535 (got ${port})`);
  }
  const repeatWindowMs = options.repeatWindowMs ?? 1500;
  if (!Number.isFinite(repeatWindowMs) || repeatWindowMs < 0) {
    throw new RangeError(`"repeatWindowMs" must be a number ≥ 0 (got ${repeatWindowMs})`);
  }
  const suppressor = new RepeatSuppressor(repeatWindowMs);
  // Check every reader before opening anything: a typo should fail at start, not at the first swipe.
  const setups = readerSetups(options);
  const states = new Map<string, ReaderStatus>();

  const publish = (readerId: string, profile: string, cardId: string) => {
    if (!suppressor.accept(readerId, cardId)) {
      logger.debug('repeat suppressed', { readerId, card: maskCardId(cardId) });
      return;
    }
    logger.info('card', { readerId, card: maskCardId(cardId) });
    server.publishCard({ cardId, readerId, profile, at: new Date().toISOString() });
  };

  const server = await startEventServer({
    port,
    ...(options.token === undefined ? {} : { token: options.token }),
    logger,
    readers: () => [...states.values()],
    onSimulate: (request) => {
      // A simulated read is normalized like a read from generic-serial, and suppressed alike.
      const cardId = normalizeCardId(SIMULATED_NORMALIZATION, request.cardId);
      if (cardId === null) return false;
      publish(request.readerId ?? SIMULATED_READER_ID, SIMULATED_PROFILE_ID, cardId);
      return true;
    },
  });

  const readers = setups.map(({ readerId, profile, device, open }) => {
    const reader = new CardReader({
      readerId,
      profile,
      logger,
      open,
      ...(device === undefined ? {} : { device }),
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
  logger.info('reader daemon started', {
    url: `http://127.0.0.1:${server.port}`,
    readers: setups.map(({ readerId, profile, device }) => ({
      readerId,
      profile: profile.id,
      device,
    })),
  });

  let closing: Promise<void> | undefined;
  return {
    port: server.port,
    url: `http://127.0.0.1:${server.port}`,
    close() {
      closing ??= (async () => {
        await Promise.all(readers.map((r) => r.close()));
        await server.close();
        logger.info('reader daemon stopped');
      })();
      return closing;
    },
  };
}

const SIMULATED_PROFILE_ID = 'simulated';
const SIMULATED_NORMALIZATION = { normalize: { trim: true, case: 'upper' } } as const;

/** Each configured reader with its profile, id and opener; throws naming the reader at fault. */
function readerSetups(options: ReaderDaemonOptions) {
  const seen = new Set<string>();
  return (options.readers ?? []).map((config, index) => {
    const profile = loadProfile(config.profile, options.profilesDir);
    const readerId = config.readerId ?? defaultReaderId(config, profile);
    // No upper bound: default ids carry device paths, and /dev/serial/by-id/ names are long.
    if (readerId.length === 0) {
      throw new RangeError(`"readers[${index}].readerId" must not be empty`);
    }
    if (seen.has(readerId)) {
      throw new Error(
        `"readers[${index}]": reader id "${readerId}" is used twice; give each reader its own readerId (or device).`,
      );
    }
    seen.add(readerId);
    return { readerId, profile, device: config.path, open: openerFor(config, profile, options) };
  });
}

function defaultReaderId(config: ReaderConfig, profile: ReaderProfile): string {
  if (profile.transport === 'serial') return `serial:${config.path}`;
  return config.path ? `hid:${config.path}` : `hid:${profile.id}`;
}

/** How to open the device of a configured reader, per its profile's transport. */
export function openerFor(
  config: ReaderConfig,
  profile: ReaderProfile,
  options: Pick<ReaderDaemonOptions, 'openPort' | 'hid'>,
): LineSourceOpener {
  if (profile.transport === 'serial') {
    if (!config.path)
      throw new Error(`Reader profile ${profile.id} is a serial reader: give its device path.`);
    return serialLineSource(config.path, profile, options.openPort);
  }
  const hidOptions = {
    ...(config.path ? { path: config.path } : {}),
    ...(options.hid ? { hid: options.hid } : {}),
  };
  return profile.transport === 'hid-report'
    ? hidReportLineSource(profile, hidOptions)
    : hidKeyboardLineSource(profile, hidOptions);
}
