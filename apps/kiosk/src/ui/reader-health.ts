import { READER_LINK_ID, type ReaderStatus } from '../kiosk-api.ts';

/** What the page knows about its card readers: the link to the daemon, and each reader. */
export interface ReaderHealth {
  link: 'unknown' | ReaderStatus['status'];
  readers: Readonly<Record<string, ReaderStatus['status']>>;
}

export const initialReaderHealth: ReaderHealth = { link: 'unknown', readers: {} };

export function applyReaderStatus(health: ReaderHealth, status: ReaderStatus): ReaderHealth {
  if (status.readerId === READER_LINK_ID) {
    // Reader statuses from before a link change may be stale: the host replays current ones.
    return { link: status.status, readers: {} };
  }
  return { ...health, readers: { ...health.readers, [status.readerId]: status.status } };
}

/** Offline only on evidence: before the first status arrives the page shows no warning. */
export function isReaderOffline(health: ReaderHealth): boolean {
  return (
    health.link === 'disconnected' ||
    Object.values(health.readers).some((status) => status === 'disconnected')
  );
}
