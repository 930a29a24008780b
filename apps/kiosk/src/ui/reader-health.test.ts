import { describe, expect, it } from 'vitest';
import { READER_LINK_ID, type ReaderStatus } from '../kiosk-api.ts';
import { applyReaderStatus, initialReaderHealth, isReaderOffline } from './reader-health.ts';

const at = '2030-01-01T00:00:00.000Z';
const status = (readerId: string, value: ReaderStatus['status']): ReaderStatus => ({
  readerId,
  status: value,
  at,
});
const apply = (...statuses: ReaderStatus[]) =>
  statuses.reduce(applyReaderStatus, initialReaderHealth);

describe('reader health', () => {
  it('warns about nothing before the first status', () => {
    expect(isReaderOffline(initialReaderHealth)).toBe(false);
  });

  it('is offline while the link to the reader daemon is down', () => {
    expect(isReaderOffline(apply(status(READER_LINK_ID, 'disconnected')))).toBe(true);
    expect(
      isReaderOffline(
        apply(status(READER_LINK_ID, 'disconnected'), status(READER_LINK_ID, 'connected')),
      ),
    ).toBe(false);
  });

  it('is offline while any reader is disconnected', () => {
    const health = apply(
      status(READER_LINK_ID, 'connected'),
      status('usb-1', 'connected'),
      status('usb-2', 'disconnected'),
    );
    expect(isReaderOffline(health)).toBe(true);
    expect(isReaderOffline(applyReaderStatus(health, status('usb-2', 'connected')))).toBe(false);
  });

  it('forgets reader statuses when the link changes, since they may be stale', () => {
    const health = apply(
      status(READER_LINK_ID, 'connected'),
      status('usb-1', 'disconnected'),
      status(READER_LINK_ID, 'disconnected'),
      status(READER_LINK_ID, 'connected'),
    );
    expect(health).toEqual({ link: 'connected', readers: {} });
    expect(isReaderOffline(health)).toBe(false);
  });
});
