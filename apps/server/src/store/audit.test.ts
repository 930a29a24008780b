import type { Logger } from '@cardbind/shared';
import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AuditRepository, type AuditEvent } from './audit.ts';
import type { Database } from './schema.ts';

const event = (n: number, action = 'card.auth'): AuditEvent => ({
  at: `2026-01-01T10:00:0${n}.000Z`,
  action,
  outcome: 'success',
  actor: 'terminal:Lobby',
  subject: `user:u${n}`,
  terminal: 'Lobby',
  card: '******C3D4',
  detail: null,
});

/** The repository over a fake database: `writes` holds each insert's events, or its failure. */
function setup(options: { maxBatch?: number; maxBacklog?: number } = {}) {
  const writes: AuditEvent[][] = [];
  let failNext = 0;
  const logged: Array<{ message: string; context: unknown }> = [];
  const log = (message: string, context?: unknown) => logged.push({ message, context });
  const logger = { debug: log, info: log, warn: log, error: log } as unknown as Logger;
  const audit = new AuditRepository(
    {} as Kysely<Database>, // only list() reads, and these tests do not list
    async (events) => {
      if (failNext > 0) {
        failNext--;
        throw new Error('database is locked');
      }
      writes.push([...events]);
    },
    { flushIntervalMs: 20, logger, ...options },
  );
  return { audit, writes, logged, failTimes: (n: number) => (failNext = n) };
}

describe('AuditRepository batching', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('writes appended events together once the interval has passed', async () => {
    const { audit, writes } = setup();
    audit.append(event(1));
    audit.append(event(2));
    await vi.advanceTimersByTimeAsync(19);
    expect(writes).toEqual([]);
    audit.append(event(3));
    await vi.advanceTimersByTimeAsync(1);
    expect(writes).toEqual([[event(1), event(2), event(3)]]);
    await vi.advanceTimersByTimeAsync(100);
    expect(writes).toHaveLength(1);
  });

  it('writes at once when a batch is full', async () => {
    const { audit, writes } = setup({ maxBatch: 3 });
    for (const n of [1, 2, 3]) audit.append(event(n));
    await vi.advanceTimersByTimeAsync(0);
    expect(writes).toEqual([[event(1), event(2), event(3)]]);
    audit.append(event(4));
    await vi.advanceTimersByTimeAsync(20);
    expect(writes).toEqual([[event(1), event(2), event(3)], [event(4)]]);
  });

  it('writes the buffered events ahead of a recorded one, in one write, before it resolves', async () => {
    const { audit, writes } = setup();
    audit.append(event(1));
    await audit.record(event(2, 'login.pin'));
    expect(writes).toEqual([[event(1), event(2, 'login.pin')]]);
  });

  it('keeps appended events through a failed write, logs it, and retries', async () => {
    const { audit, writes, logged, failTimes } = setup();
    audit.append(event(1));
    failTimes(1);
    await expect(audit.record(event(2, 'login.pin'))).rejects.toThrow('database is locked');
    expect(logged).toEqual([
      {
        message: 'could not write audit events',
        context: {
          error: 'database is locked',
          events: 2,
          actions: 'card.auth,login.pin',
          from: event(1).at,
          to: event(2).at,
          kept: 1,
        },
      },
    ]);
    // The caller of record() was told; the appended event is tried again, by itself.
    await vi.advanceTimersByTimeAsync(1_000);
    expect(writes).toEqual([[event(1)]]);
  });

  it('drops the oldest appended events beyond the backlog while writes fail', async () => {
    const { audit, writes, logged, failTimes } = setup({ maxBacklog: 2 });
    failTimes(1);
    for (const n of [1, 2, 3]) audit.append(event(n));
    await expect(audit.flush()).rejects.toThrow();
    expect(logged[0]?.context).toMatchObject({ events: 3, kept: 2, lost: 1 });
    await audit.flush();
    expect(writes).toEqual([[event(2), event(3)]]);
  });

  it('writes everything on close and refuses events after', async () => {
    const { audit, writes } = setup();
    audit.append(event(1));
    await audit.close();
    expect(writes).toEqual([[event(1)]]);
    expect(() => audit.append(event(2))).toThrow(/closed/);
    await expect(audit.record(event(3))).rejects.toThrow(/closed/);
  });

  it('never writes an empty batch', async () => {
    const { audit, writes } = setup();
    await audit.flush();
    await audit.close();
    expect(writes).toEqual([]);
  });
});
