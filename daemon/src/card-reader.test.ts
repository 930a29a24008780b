import { EventEmitter } from 'node:events';
import { createLogger, silentLogger } from '@cardbind/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { CardReader } from './card-reader.ts';
import type { LineSource, LineSourceEvents } from './line-source.ts';
import { loadProfile } from './profiles.ts';
import { until } from './testing/until.ts';

const profile = loadProfile('generic-serial');

/** A device the test plugs in and out: `open` fails while it is unplugged. */
class FakeDevice {
  plugged = false;
  opens = 0;
  current: LineSource | undefined;
  readonly open = async (): Promise<LineSource> => {
    this.opens++;
    if (!this.plugged) throw Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' });
    const source = new EventEmitter<LineSourceEvents>() as LineSource;
    source.close = async () => {
      source.emit('end');
    };
    this.current = source;
    return source;
  };
  send(line: string) {
    this.current!.emit('line', line);
  }
  unplug() {
    this.plugged = false;
    this.current!.emit('end', new Error('EIO'));
  }
}

/** Resolves once `events` holds `count` entries. */
const eventCount = (events: unknown[], count: number) =>
  until(() => events.length >= count, `${count} events`);

describe('CardReader', () => {
  const readers: CardReader[] = [];
  afterEach(async () => {
    for (const r of readers.splice(0)) await r.close();
  });
  const startReader = (device: FakeDevice, logLines: string[] = []) => {
    const reader = new CardReader({
      readerId: 'front',
      device: '/dev/ttyACM0',
      profile,
      open: device.open,
      logger: createLogger({ level: 'debug', write: (line) => logLines.push(line) }),
      retryDelaysMs: [0],
    });
    readers.push(reader);
    const events: string[] = [];
    reader.on('status', (status) => events.push(status));
    reader.on('read', ({ cardId, raw }) => events.push(`read ${cardId} ${JSON.stringify(raw)}`));
    reader.start();
    return { reader, events };
  };

  it('reports a missing device as disconnected, once, and connects when it appears', async () => {
    const device = new FakeDevice();
    const { events } = startReader(device);
    await eventCount(events, 1);
    await until(() => device.opens >= 3, 'three attempts to open the device');
    device.plugged = true;
    await eventCount(events, 2);
    device.send(' 04a1b2c3d4 ');
    await eventCount(events, 3);
    expect(events).toEqual(['disconnected', 'connected', 'read 04A1B2C3D4 " 04a1b2c3d4 "']);
  });

  it('reopens an unplugged device and drops reads that are no card id', async () => {
    const device = new FakeDevice();
    device.plugged = true;
    const logLines: string[] = [];
    const { events } = startReader(device, logLines);
    await eventCount(events, 1);
    device.send('04A1 B2C3'); // inner space: not a card id
    device.send('0000112233');
    await eventCount(events, 2);
    device.unplug();
    await eventCount(events, 3);
    device.plugged = true;
    await eventCount(events, 4);
    device.send('2233');
    await eventCount(events, 5);
    expect(events).toEqual([
      'connected',
      'read 0000112233 "0000112233"',
      'disconnected',
      'connected',
      'read 2233 "2233"',
    ]);
    const logs = logLines.join('\n');
    expect(logs).toContain('"device":"/dev/ttyACM0"');
    expect(logs).toContain('read dropped: not a card id');
    // Card numbers reach the log masked, never whole.
    expect(logs).toContain('"card":"******2233"');
    expect(logs).not.toMatch(/04A1|0000112233/);
  });

  it('stops reopening once closed', async () => {
    const device = new FakeDevice();
    const { reader, events } = startReader(device);
    await eventCount(events, 1);
    await reader.close();
    const opens = device.opens;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(device.opens).toBe(opens);
  });

  it('names bad retry delays', () => {
    const make = (retryDelaysMs: number[]) =>
      new CardReader({
        readerId: 'r',
        profile,
        open: new FakeDevice().open,
        logger: silentLogger,
        retryDelaysMs,
      });
    expect(() => make([])).toThrow(/"retryDelaysMs"/);
    expect(() => make([250, 5000])).toThrow(/"retryDelaysMs"/);
  });
});
