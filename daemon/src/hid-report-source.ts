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
    let ended = false;
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
    const end = (error?: Error) => {
      if (ended) return;
      ended = true;
      clearInterval(poll);
      void device
        .close()
        .catch(() => {})
        .then(() => source.emit('end', error));
    };
    device.on('error', (error: Error) => end(error));
    if (profile.report.source === 'input') {
      device.on('data', (report: Buffer) => {
        const cardId = onReport(report);
        if (cardId !== null) source.emit('line', cardId);
      });
    } else {
      poll = startPolling(device, profile, onReport, (cardId) => source.emit('line', cardId), end);
    }
    source.close = async () => {
      if (ended) return;
      ended = true;
      clearInterval(poll);
      await device.close().catch(() => {});
      source.emit('end');
    };
    return source;
  };
}

function startPolling(
  device: HidDevice,
  profile: HidReportReaderProfile,
  decode: (report: Uint8Array) => string | null,
  onCard: (cardId: string) => void,
  fail: (error: Error) => void,
): NodeJS.Timeout {
  const poll = profile.report.poll;
  if (!poll || !device.sendFeatureReport || !device.getFeatureReport) {
    throw new Error(`profile ${profile.id}: this HID device cannot be polled for feature reports`);
  }
  const { sendFeatureReport, getFeatureReport } = {
    sendFeatureReport: device.sendFeatureReport.bind(device),
    getFeatureReport: device.getFeatureReport.bind(device),
  };
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
