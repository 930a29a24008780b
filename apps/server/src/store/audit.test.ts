import type { Logger } from '@cardbind/shared';
import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AuditRepository, type AuditEvent } from './audit.ts';
import { auditEvent } from './contract-fixtures.ts';
import type { Database } from './schema.ts';

const POISON = 'poison';

/** The repository over a fake database: `writes` holds each insert's events, or its failure. */
function setup(options: { maxBatch?: number; maxBacklog?: number } = {}) {
  const writes: AuditEvent[][] = [];
  let failNext = 0;
  let calls = 0;
  let lockedFrom = Infinity;
  const logged: Array<{ message: string; context: unknown }> = [];
  const log = (message: string, context?: unknown) => logged.push({ message, context });
  const logger = { debug: log, info: log, warn: log, error: log } as unknown as Logger;
  const audit = new AuditRepository(
    {} as Kysely<Database>, // only list() reads, and these tests do not list
    async (events) => {
      calls++;
      if (failNext > 0 || calls >= lockedFrom) {
        failNext--;
        throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
      }
      // A row this database will never take, as a NOT NULL column refuses a null.
      if (events.some((e) => e.detail === POISON)) {
        throw Object.assign(new Error('NOT NULL constraint failed: audit_events.detail'), {
          code: 'SQLITE_CONSTRAINT_NOTNULL',
        });
      }
      writes.push([...events]);
    },
    { flushIntervalMs: 20, logger, ...options },
  );
  return {
    audit,
    writes,
    logged,
    failTimes: (n: number) => (failNext = n),
    /** Every insert from the `call`-th on (counting from 1) finds the database locked. */
    lockFrom: (call: number) => (lockedFrom = call),
  };
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
    // The shared write fails, and so does the recorded event's own: the database is locked.
    failTimes(2);
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
      {
        message: 'could not write audit events',
        context: {
          error: 'database is locked',
          events: 1,
          actions: 'login.pin',
          from: auditEvent(2).at,
          to: auditEvent(2).at,
        },
      },
    ]);
    // The caller of record() was told; the appended event is tried again, by itself.
    await vi.advanceTimersByTimeAsync(1_000);
    expect(writes).toEqual([[auditEvent(1)]]);
  });

  it('writes recorded events alone when an appended row in their write is refused', async () => {
    const { audit, writes, logged } = setup();
    const poisoned = auditEvent(1, { detail: POISON });
    audit.append(poisoned);
    audit.append(auditEvent(2));
    await audit.record(auditEvent(3, { action: 'login.pin' }));
    await audit.flush(); // after the write under way, which goes on once record() is answered
    // The database took the recorded event, so it works: the backlog is sorted out at once, the
    // good appended row written, the one it refuses on its own dropped (not retried for ever).
    expect(writes).toEqual([[auditEvent(3, { action: 'login.pin' })], [auditEvent(2)]]);
    expect(logged).toEqual([
      {
        message: 'could not write audit events',
        context: expect.objectContaining({ events: 3, kept: 2 }),
      },
      {
        message: 'dropped audit events the database refuses on their own',
        context: expect.objectContaining({ events: 1, actions: 'card.auth', from: poisoned.at }),
      },
    ]);
    audit.append(auditEvent(4));
    await audit.recordMany([auditEvent(5, { action: 'otp.generate' })]);
    expect(writes.at(-1)).toEqual([auditEvent(4), auditEvent(5, { action: 'otp.generate' })]);
    expect(logged).toHaveLength(2);
    await expect(audit.flush()).resolves.toBeUndefined();
  });

  it('keeps refused appended rows while the database takes none, and sorts them out once it does', async () => {
    const { audit, writes, logged, failTimes } = setup();
    failTimes(Infinity); // the database is down
    audit.append(auditEvent(1, { detail: POISON }));
    audit.append(auditEvent(2));
    await expect(audit.flush()).rejects.toThrow();
    // A database that is down is not a sign of bad rows: nothing is dropped.
    await vi.advanceTimersByTimeAsync(3_000);
    expect(logged.map((l) => l.message)).not.toContain(
      'dropped audit events the database refuses on their own',
    );
    failTimes(0);
    audit.append(auditEvent(3));
    await audit.flush();
    expect(writes.flat()).toEqual(expect.arrayContaining([auditEvent(2), auditEvent(3)]));
    expect(writes.flat()).not.toContainEqual(expect.objectContaining({ detail: POISON }));
    expect(logged.at(-1)?.message).toBe('dropped audit events the database refuses on their own');
  });

  it('drops nothing when the database turns busy while the backlog is sorted out', async () => {
    const { audit, writes, logged, lockFrom } = setup();
    audit.append(auditEvent(1, { detail: POISON }));
    audit.append(auditEvent(2));
    audit.append(auditEvent(3));
    // Call 1: all three with the recorded one (refused: the poisoned row); call 2: the recorded
    // event alone (written); from call 3, the sorting out, the database is locked.
    lockFrom(3);
    await audit.record(auditEvent(4, { action: 'login.pin' }));
    await expect(audit.flush()).rejects.toThrow('locked');
    expect(writes).toEqual([[auditEvent(4, { action: 'login.pin' })]]);
    expect(logged.map((l) => l.message)).not.toContain(
      'dropped audit events the database refuses on their own',
    );
    lockFrom(Infinity);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(writes.flat()).toEqual(
      expect.arrayContaining([
        auditEvent(2),
        auditEvent(3),
        auditEvent(4, { action: 'login.pin' }),
      ]),
    );
    expect(logged.at(-1)?.message).toBe('dropped audit events the database refuses on their own');
  });

  it('tells each recorder about its own events only, when they shared a write that failed', async () => {
    const { audit, writes } = setup();
    const good = audit.record(auditEvent(1, { action: 'login.pin' }));
    const bad = audit.recordMany([auditEvent(2), auditEvent(3, { detail: POISON })]);
    await expect(good).resolves.toBeUndefined();
    await expect(bad).rejects.toThrow('NOT NULL');
    expect(writes).toEqual([[auditEvent(1, { action: 'login.pin' })]]);
  });

  it('gives up the backlog on close while the database cannot write, logging how many events are lost', async () => {
    const { audit, logged, failTimes } = setup();
    failTimes(Infinity);
    audit.append(auditEvent(1));
    await audit.close();
    expect(logged.at(-1)).toEqual({
      message: 'audit events lost: the database refused them until the store closed',
      context: { error: 'database is locked', lost: 1 },
    });
  });

  it('drops a row the database refuses on its own at once, even with nothing else to write', async () => {
    const { audit, writes, logged } = setup();
    audit.append(auditEvent(1, { detail: POISON }));
    audit.append(auditEvent(2));
    await audit.close();
    expect(writes).toEqual([[auditEvent(2)]]);
    expect(logged.at(-1)).toMatchObject({
      message: 'dropped audit events the database refuses on their own',
      context: { events: 1, error: 'NOT NULL constraint failed: audit_events.detail' },
    });
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
