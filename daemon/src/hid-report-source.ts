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
    /** The card id of a report, null for an empty one, undefined for a malformed one. */
    const onReport = (report: Uint8Array): string | null | undefined => {
      const cardId = decoder.decode(report);
      if (decoder.stats.malformed === malformed) return cardId;
      malformed = decoder.stats.malformed;
      source.emit('dropped', 'malformed', { ...decoder.stats });
      return undefined;
    };
    let poll: NodeJS.Timeout | undefined;
    let closed: Promise<void> | undefined;
    // A report already on its way when the source ends (a poll in flight, a queued `data`
    // event) must not become a card after `end`.
    const emitCard = (cardId: string) => {
      if (closed === undefined) source.emit('line', cardId);
    };
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
        if (cardId) emitCard(cardId);
      });
    } else {
      try {
        poll = startPolling(device, profile, onReport, emitCard, end);
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
  decode: (report: Uint8Array) => string | null | undefined,
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
        // A malformed answer says nothing about the card on the reader: keep the last one, or
        // a card held there would be reported again.
        if (cardId === undefined) return;
        if (cardId !== null && cardId !== last) onCard(cardId);
        last = cardId;
      })
      .catch((error: unknown) => fail(error instanceof Error ? error : new Error(String(error))))
      .finally(() => (busy = false));
  }, poll.intervalMs);
  return timer;
}
