import { EventEmitter } from 'node:events';
import { HidReportDecoder } from './hid-report-decoder.ts';
import { nodeHid, openHidDevice, type HidApi, type HidDevice } from './hid-source.ts';
import type { LineSource, LineSourceEvents, LineSourceOpener } from './line-source.ts';
import type { HidReportReaderProfile } from './profiles.ts';

/**
 * Card ids from a HID reader in SDK/raw mode, decoded from its vendor reports per the profile.
 * `input` readers send a report per read. `feature` readers are polled: the daemon sends the
 * profile's request and reads the answer every `intervalMs`; a card held on such a reader is
 * reported when it appears, not on every poll.
 */
export function hidReportLineSource(
  profile: HidReportReaderProfile,
  options: { path?: string; hid?: HidApi } = {},
): LineSourceOpener {
  const hid = options.hid ?? nodeHid;
  return async () => {
    const device = await openHidDevice(profile, hid, options.path);
    const decoder = new HidReportDecoder(profile.report);
    const source = new EventEmitter<LineSourceEvents>() as LineSource;
    let malformed = 0;
    const onReport = (report: Uint8Array): string | null => {
      const cardId = decoder.decode(report);
      if (decoder.stats.malformed !== malformed) {
        malformed = decoder.stats.malformed;
        source.emit('dropped', 'malformed', { ...decoder.stats });
      }
      return cardId;
    };
    let poll: NodeJS.Timeout | undefined;
    let closed: Promise<void> | undefined;
    // One way down for an error, an unplug and close(): the device is closed once, then `end`.
    const end = (error?: Error): Promise<void> =>
      (closed ??= (async () => {
        clearInterval(poll);
        await device.close().catch(() => {});
        source.emit('end', error);
      })());
    device.on('error', (error: Error) => void end(error));
    if (profile.report.source === 'input') {
      device.on('data', (report: Buffer) => {
        const cardId = onReport(report);
        if (cardId !== null) source.emit('line', cardId);
      });
    } else {
      try {
        poll = startPolling(
          device,
          profile,
          onReport,
          (cardId) => source.emit('line', cardId),
          end,
        );
      } catch (error) {
        // The device is open already: do not leave it open behind a failed start.
        await device.close().catch(() => {});
        throw error;
      }
    }
    source.close = () => end();
    return source;
  };
}

function startPolling(
  device: HidDevice,
  profile: HidReportReaderProfile,
  decode: (report: Uint8Array) => string | null,
  onCard: (cardId: string) => void,
  fail: (error: Error) => unknown,
): NodeJS.Timeout {
  const poll = profile.report.poll;
  if (!poll || !device.sendFeatureReport || !device.getFeatureReport) {
    throw new Error(`profile ${profile.id}: this HID device cannot be polled for feature reports`);
  }
  const sendFeatureReport = device.sendFeatureReport.bind(device);
  const getFeatureReport = device.getFeatureReport.bind(device);
  let last: string | null = null;
  let busy = false;
  const timer = setInterval(() => {
    // A slow device must not pile up requests.
    if (busy) return;
    busy = true;
    sendFeatureReport(poll.request)
      .then(() => getFeatureReport(poll.reportId, poll.length))
      .then((report) => {
        const cardId = decode(report);
        if (cardId !== null && cardId !== last) onCard(cardId);
        last = cardId;
      })
      .catch((error: unknown) => fail(error instanceof Error ? error : new Error(String(error))))
      .finally(() => (busy = false));
  }, poll.intervalMs);
  return timer;
}
