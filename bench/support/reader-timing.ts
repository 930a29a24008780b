import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { connect } from 'node:net';
import {
  monitorEventLoopDelay,
  performance,
  PerformanceObserver,
  type PerformanceEntry,
} from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * What the reader benches share: card reads written into the device end of a PTY, timed to
 * the card event on the daemon's SSE stream, and a process's CPU time from /proc.
 *
 * Both timestamps are taken as close to the kernel as JavaScript gets, so that the bench's own
 * work is not counted as the daemon's: the write is a synchronous write(2) on the PTY (no
 * thread-pool round trip), and the event is timed in the `data` callback of a plain TCP socket
 * (no HTTP client and no stream decoding in between). What the bench cannot take out, its own
 * event-loop delays (its GC, being descheduled), it measures and reports beside the latency.
 */

/** The daemon's card events, each timed with `performance.now()` as its bytes arrive. */
export interface CardEvents {
  /** Resolves with the arrival time of the next event for `cardId`. */
  arrival(cardId: string): Promise<number>;
  close(): void;
}

/** Subscribes to `GET /v1/events` of a reader daemon on 127.0.0.1:`port`. */
export async function subscribeToCardEvents(port: number): Promise<CardEvents> {
  const waiters = new Map<string, (at: number) => void>();
  const socket = connect({ host: '127.0.0.1', port, noDelay: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.write(
    `GET /v1/events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: text/event-stream\r\n\r\n`,
  );
  let buffer = '';
  let head = '';
  socket.setEncoding('latin1');
  // Chunked transfer encoding puts a size line before each frame; it never matches an event.
  socket.on('data', (chunk: string) => {
    const at = performance.now();
    if (head.length < 64) head += chunk;
    buffer += chunk;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const data = /^event: card\ndata: (.*)$/m.exec(buffer.slice(0, end))?.[1];
      buffer = buffer.slice(end + 2);
      if (data) waiters.get((JSON.parse(data) as { cardId: string }).cardId)?.(at);
    }
  });
  // Give the reader time to open its port before the first write.
  await sleep(500);
  if (!head.startsWith('HTTP/1.1 200')) {
    throw new Error(`the daemon did not open its event stream:\n${head || '(no answer)'}`);
  }
  return {
    arrival(cardId) {
      return new Promise<number>((resolve) =>
        waiters.set(cardId, (at) => {
          waiters.delete(cardId);
          resolve(at);
        }),
      );
    },
    close: () => socket.destroy(),
  };
}

/** The first reads warm up the daemon and the bench and are not counted. */
const WARM_UP_READS = 50;

const LOOP_DELAY_RESOLUTION_MS = 10;

/** The bench's own stalls while it timed reads: they count as daemon latency. */
export interface BenchStalls {
  /** Event-loop delay of the bench process beyond its 10 ms sampling timer, ms. */
  eventLoopDelayMs: { p99: number; max: number };
  /** The bench's own GC pauses during the timed reads. */
  gcPauses: number;
  gcMaxMs: number;
  /** Timed reads during which the bench paused for GC. */
  readsWithBenchGc: number;
}

export interface SerialReadTimes {
  /** Time from the write of the last byte to the SSE event, sorted, ms. */
  sortedMs: number[];
  lineBytes: number;
  bench: BenchStalls;
}

/**
 * Writes `reads` card numbers (after the warm-up) as CR LF lines into the device end of the
 * PTY, one at a time, and times each from its write to its event.
 */
export async function timeSerialReads(
  events: CardEvents,
  deviceEnd: string,
  reads: number,
): Promise<SerialReadTimes> {
  const device = openSync(deviceEnd, 'w');
  const windows: Array<[start: number, end: number]> = [];
  const gcs: PerformanceEntry[] = [];
  const gcObserver = new PerformanceObserver((list) => gcs.push(...list.getEntries()));
  const loopDelay = monitorEventLoopDelay({ resolution: LOOP_DELAY_RESOLUTION_MS });
  let lineBytes = 0;
  try {
    for (let i = 0; i < reads + WARM_UP_READS; i++) {
      if (i === WARM_UP_READS) {
        gcObserver.observe({ entryTypes: ['gc'] });
        loopDelay.enable();
      }
      const cardId = `04${(0xa1b2c300 + i).toString(16).toUpperCase()}`;
      const line = Buffer.from(`${cardId}\r\n`, 'latin1');
      const arrived = events.arrival(cardId);
      const written = performance.now();
      // Synchronous: the bytes are in the PTY when it returns; nothing else runs in between.
      writeSync(device, line);
      const at = await arrived;
      if (i >= WARM_UP_READS) windows.push([written, at]);
      lineBytes = line.length;
    }
  } finally {
    closeSync(device);
    loopDelay.disable();
  }
  // GC entries are delivered asynchronously: let the last ones arrive.
  await sleep(50);
  gcObserver.disconnect();
  const hitByGc = windows.filter(([start, end]) =>
    gcs.some((gc) => gc.startTime < end && gc.startTime + gc.duration > start),
  );
  return {
    sortedMs: windows.map(([start, end]) => end - start).sort((a, b) => a - b),
    lineBytes,
    bench: {
      eventLoopDelayMs: {
        // The histogram holds whole timer intervals: the delay is what exceeds the interval.
        p99: Math.max(0, loopDelay.percentile(99) / 1e6 - LOOP_DELAY_RESOLUTION_MS),
        max: Math.max(0, loopDelay.max / 1e6 - LOOP_DELAY_RESOLUTION_MS),
      },
      gcPauses: gcs.length,
      gcMaxMs: Math.max(0, ...gcs.map((gc) => gc.duration)),
      readsWithBenchGc: hitByGc.length,
    },
  };
}

/** The `p`th percentile of sorted numbers (nearest rank). */
export function percentile(sorted: number[], p: number): number {
  const value = sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
  if (value === undefined) throw new Error('no measurements to take a percentile of');
  return value;
}

/** CPU time (user + system) of a process, in clock ticks of 10 ms. */
export function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return Number(fields[11]) + Number(fields[12]);
}

/** Resident memory of one process (VmRSS), in MB. */
export function residentMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}
