import type { Logger } from '@cardbind/shared';
import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AuditRepository, type AuditEvent } from './audit.ts';
import { auditEvent } from './contract-fixtures.ts';
import type { Database } from './schema.ts';

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
    audit.append(auditEvent(1));
    audit.append(auditEvent(2));
    await vi.advanceTimersByTimeAsync(19);
    expect(writes).toEqual([]);
    audit.append(auditEvent(3));
    await vi.advanceTimersByTimeAsync(1);
    expect(writes).toEqual([[auditEvent(1), auditEvent(2), auditEvent(3)]]);
    await vi.advanceTimersByTimeAsync(100);
    expect(writes).toHaveLength(1);
  });

  it('writes at once when a batch is full', async () => {
    const { audit, writes } = setup({ maxBatch: 3 });
    for (const n of [1, 2, 3]) audit.append(auditEvent(n));
    await vi.advanceTimersByTimeAsync(0);
    expect(writes).toEqual([[auditEvent(1), auditEvent(2), auditEvent(3)]]);
    audit.append(auditEvent(4));
    await vi.advanceTimersByTimeAsync(20);
    expect(writes).toEqual([[auditEvent(1), auditEvent(2), auditEvent(3)], [auditEvent(4)]]);
  });

  it('writes the buffered events ahead of a recorded one, in one write, before it resolves', async () => {
    const { audit, writes } = setup();
    audit.append(auditEvent(1));
    await audit.record(auditEvent(2, { action: 'login.pin' }));
    expect(writes).toEqual([[auditEvent(1), auditEvent(2, { action: 'login.pin' })]]);
  });

  it('keeps appended events through a failed write, logs it, and retries', async () => {
    const { audit, writes, logged, failTimes } = setup();
    audit.append(auditEvent(1));
    failTimes(1);
    await expect(audit.record(auditEvent(2, { action: 'login.pin' }))).rejects.toThrow(
      'database is locked',
    );
    expect(logged).toEqual([
      {
        message: 'could not write audit events',
        context: {
          error: 'database is locked',
          events: 2,
          actions: 'card.auth,login.pin',
          from: auditEvent(1).at,
          to: auditEvent(2).at,
          kept: 1,
        },
      },
    ]);
    // The caller of record() was told; the appended event is tried again, by itself.
    await vi.advanceTimersByTimeAsync(1_000);
    expect(writes).toEqual([[auditEvent(1)]]);
  });

  it('drops the oldest appended events beyond the backlog while writes fail', async () => {
    const { audit, writes, logged, failTimes } = setup({ maxBacklog: 2 });
    failTimes(1);
    for (const n of [1, 2, 3]) audit.append(auditEvent(n));
    await expect(audit.flush()).rejects.toThrow();
    expect(logged[0]?.context).toMatchObject({ events: 3, kept: 2, lost: 1 });
    await audit.flush();
    expect(writes).toEqual([[auditEvent(2), auditEvent(3)]]);
  });

  it('writes everything on close and refuses events after', async () => {
    const { audit, writes } = setup();
    audit.append(auditEvent(1));
    await audit.close();
    expect(writes).toEqual([[auditEvent(1)]]);
    expect(() => audit.append(auditEvent(2))).toThrow(/closed/);
    await expect(audit.record(auditEvent(3))).rejects.toThrow(/closed/);
  });

  it('never writes an empty batch', async () => {
    const { audit, writes } = setup();
    await audit.flush();
    await audit.close();
    expect(writes).toEqual([]);
  });
});
