import { EventEmitter } from 'node:events';
import type { HidApi, HidDevice, HidDeviceInfo } from '../hid-source.ts';

/** An open device of {@link FakeHid}: the test emits its `data` and `error` events. */
export type FakeHidDevice = HidDevice & { path: string };

/**
 * For tests: a fake of node-hid. The test sets the attached devices, drives the ones the code
 * opened, and records the feature-report answers a reader polled in SDK mode would give.
 */
export class FakeHid implements HidApi {
  attached: HidDeviceInfo[] = [];
  opened: FakeHidDevice[] = [];
  /** Answers to successive GET_REPORT(feature) requests; the last one repeats. */
  featureAnswers: number[][] = [];
  /** What was sent with SET_REPORT(feature), in order. */
  requests: number[][] = [];

  async devices() {
    return this.attached;
  }

  async open(path: string): Promise<FakeHidDevice> {
    if (!this.attached.some((d) => d.path === path)) throw new Error(`cannot open ${path}`);
    const device = Object.assign(new EventEmitter(), {
      path,
      close: async () => {},
      sendFeatureReport: async (data: number[]) => {
        this.requests.push([...data]);
        return data.length;
      },
      getFeatureReport: async (_id: number, length: number) => {
        const answer =
          this.featureAnswers.length > 1 ? this.featureAnswers.shift() : this.featureAnswers[0];
        if (!answer) throw new Error('FakeHid: the test gave no feature report answers');
        return Buffer.from(answer.slice(0, length));
      },
    });
    this.opened.push(device);
    return device;
  }

  /** The device the code opened last: the one a test sends reports into. */
  get current(): FakeHidDevice {
    const device = this.opened.at(-1);
    if (!device) throw new Error('FakeHid: no device has been opened yet');
    return device;
  }

  /** The reader sends these input reports (typed keys, or card data) on the current device. */
  send(reports: Array<Uint8Array | number[]>) {
    for (const report of reports) this.current.emit('data', Buffer.from(report));
  }
}
