import { open } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';

/**
 * What the reader benches share: card reads written into the device end of a PTY, timed to
 * the card event on the daemon's SSE stream, and a process's CPU time from /proc.
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
  const stream = await request(`http://127.0.0.1:${port}/v1/events`);
  let buffer = '';
  stream.body.setEncoding('utf8');
  stream.body.on('data', (chunk: string) => {
    const at = performance.now();
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
  return {
    arrival(cardId) {
      return new Promise<number>((resolve) =>
        waiters.set(cardId, (at) => {
          waiters.delete(cardId);
          resolve(at);
        }),
      );
    },
    close: () => stream.body.destroy(),
  };
}

/** The first reads warm up the JIT (daemon and bench) and are not counted. */
const WARM_UP_READS = 50;

/**
 * Writes `reads` card numbers (after the warm-up) as CR LF lines into the device end of the PTY,
 * one at a time, and returns the time from each write to its event, sorted, in ms.
 */
export async function timeSerialReads(
  events: CardEvents,
  deviceEnd: string,
  reads: number,
): Promise<{ sortedMs: number[]; lineBytes: number }> {
  const device = await open(deviceEnd, 'w');
  const latencies: number[] = [];
  let lineBytes = 0;
  try {
    for (let i = 0; i < reads + WARM_UP_READS; i++) {
      const cardId = `04${(0xa1b2c300 + i).toString(16).toUpperCase()}`;
      const line = `${cardId}\r\n`;
      const arrived = events.arrival(cardId);
      await device.write(line);
      const written = performance.now();
      const at = await arrived;
      if (i >= WARM_UP_READS) latencies.push(at - written);
      lineBytes = line.length;
    }
  } finally {
    await device.close();
  }
  return { sortedMs: latencies.sort((a, b) => a - b), lineBytes };
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
