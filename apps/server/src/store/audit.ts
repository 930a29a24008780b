import { silentLogger, type Logger } from '@cardbind/shared';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from './schema.ts';

/** One entry of the audit trail; the descriptions end up in the API document. */
export const AuditEvent = z.object({
  at: z.string().describe('When it happened (ISO 8601, UTC).'),
  action: z.string().describe('What happened, e.g. `card.enroll`, `otp.generate`, `login.pin`.'),
  outcome: z.enum(['success', 'failure', 'denied']),
  actor: z
    .string()
    .nullable()
    .describe('Who acted: `user:ada`, `admin-token:ops`, `terminal:Lobby`, `system`.'),
  subject: z
    .string()
    .nullable()
    .describe('Whom it concerned, e.g. `user:ada`, the account a card was bound to.'),
  terminal: z.string().nullable().describe('The terminal it happened at, by name.'),
  card: z.string().nullable().describe('Masked card number, never the full one.'),
  detail: z.string().nullable().describe('A reason code or other non-secret context.'),
});
export type AuditEvent = z.infer<typeof AuditEvent>;

/** An audit event as stored and listed: with its id, in the order events were written. */
export const StoredAuditEvent = AuditEvent.extend({ id: z.number().int() });
export type StoredAuditEvent = z.infer<typeof StoredAuditEvent>;

export interface AuditQuery {
  action?: string;
  actor?: string;
  subject?: string;
  outcome?: AuditEvent['outcome'];
  from?: string;
  to?: string;
  limit: number;
  offset: number;
}

export interface AuditBatching {
  /** Longest time an appended event waits before it is written. */
  flushIntervalMs?: number;
  /** Appended events that trigger a write at once. */
  maxBatch?: number;
  /** Appended events kept for a retry while the database refuses them; older ones are dropped. */
  maxBacklog?: number;
  logger?: Logger;
}

/** The events of one `recordMany` call: written together, and their caller told how it went. */
interface RecordedBatch {
  events: readonly AuditEvent[];
  written(): void;
  refused(error: unknown): void;
}

interface Pending {
  event: AuditEvent;
  /** The `recordMany` call it came from; none for an appended event (nobody waits for it). */
  recorded?: RecordedBatch;
}

/** Rows per insert statement: SQLite binds at most 32766 values, 8 per row here. */
const INSERT_CHUNK = 500;

/**
 * Inserts audit events with the given connection or transaction, e.g. inside a transaction that
 * also changes what the events describe, so that both are stored or neither.
 */
export async function insertAuditEvents(
  db: Kysely<Database>,
  events: readonly AuditEvent[],
): Promise<void> {
  for (let start = 0; start < events.length; start += INSERT_CHUNK) {
    await db
      .insertInto('audit_events')
      .values(events.slice(start, start + INSERT_CHUNK))
      .execute();
  }
}

/**
 * The audit trail of credential and card events. Callers never pass secrets.
 *
 * Two ways in. `record` (`recordMany`) writes before it resolves, as most actions need. `append` is for the
 * card swipe, thousands a second: its events are buffered and written in one transaction every
 * `flushIntervalMs` (20 ms) or `maxBatch` events, so that a swipe neither commits nor waits for
 * a commit (bench/README.md). The price: if the process dies without closing the store, the
 * swipe events of the last ~20 ms (and of a write in flight) are lost; `close()` writes them all.
 * While writes succeed, order is kept: `record` writes the buffer ahead of its own event, and
 * `list` writes the buffer first, so a reader sees every event of this instance (another
 * instance's within ~20 ms). After a failed write, recorded events may be stored before older
 * swipe rows that wait in the backlog.
 *
 * Appended events the database refused wait in a backlog, written in a transaction of their own
 * ahead of each later write: one row the database will never take (a poisoned row) must not make
 * every later `record()`, and every read, fail with it.
 */
export class AuditRepository {
  private pending: Pending[] = [];
  /** Appended events a write refused, oldest first, tried again with each later write. */
  private backlog: AuditEvent[] = [];
  /** Writes run one after another; this is the last one queued. */
  private writing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  /** A write for a full batch is queued and has not started: the next append need not queue one. */
  private fullBatchQueued = false;
  private closed = false;
  private readonly flushIntervalMs: number;
  private readonly maxBatch: number;
  private readonly maxBacklog: number;
  private readonly logger: Logger;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly insert: (events: readonly AuditEvent[]) => Promise<void>,
    batching: AuditBatching = {},
  ) {
    this.flushIntervalMs = batching.flushIntervalMs ?? 20;
    this.maxBatch = batching.maxBatch ?? 500;
    this.maxBacklog = batching.maxBacklog ?? 10_000;
    this.logger = batching.logger ?? silentLogger;
  }

  /** Writes the event (after any appended ones); resolves once it is stored. */
  record(event: AuditEvent): Promise<void> {
    return this.recordMany([event]);
  }

  /**
   * Writes the events in order, in one transaction: all are stored or none (the caller gets the
   * error). One commit for a batch, e.g. each card an import moved. Appended events buffered
   * meanwhile usually share the transaction; when it fails, these events are written alone, so
   * that only a failure of their own reaches the caller.
   */
  async recordMany(events: readonly AuditEvent[]): Promise<void> {
    this.assertOpen();
    if (events.length === 0) return;
    const stored = new Promise<void>((written, refused) => {
      const batch: RecordedBatch = { events, written, refused };
      for (const event of events) this.pending.push({ event, recorded: batch });
    });
    // The flush rejects for refused appended events only: those are logged and kept, not ours.
    this.flush().catch(() => {});
    await stored;
  }

  /** Buffers a high-volume event; it is written within `flushIntervalMs`, nobody waits for it. */
  append(event: AuditEvent): void {
    this.assertOpen();
    this.pending.push({ event });
    if (this.pending.length >= this.maxBatch) {
      if (!this.fullBatchQueued) void this.flush().catch(() => {});
      this.fullBatchQueued = true;
    } else this.timer ??= setTimeout(() => void this.flush().catch(() => {}), this.flushIntervalMs);
  }

  /**
   * Writes everything buffered so far. Rejects if the database refused appended events (logged,
   * and kept for a retry); recorded events' failures go to their `recordMany` callers.
   */
  flush(): Promise<void> {
    const write = this.writing.then(() => this.writePending());
    this.writing = write.catch(() => {});
    return write;
  }

  /**
   * Writes what is buffered and refuses further events: call before closing the database.
   * Appended events the database still refuses are lost then (logged with their number).
   */
  async close(): Promise<void> {
    this.closed = true;
    try {
      await this.flush();
    } catch (error) {
      this.logger.error('audit events lost: the database refused them until the store closed', {
        error: messageOf(error),
        lost: this.backlog.length,
      });
      this.backlog = [];
    } finally {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  private async writePending(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.fullBatchQueued = false;
    const backlog = this.backlog;
    const batch = this.pending;
    this.backlog = [];
    this.pending = [];
    let refused: { error: unknown } | undefined;
    if (backlog.length > 0) {
      try {
        await this.insert(backlog);
      } catch (error) {
        this.keepForRetry(backlog, error);
        refused = { error };
      }
    }
    if (batch.length > 0) {
      const error = await this.writeBatch(batch);
      refused ??= error;
    }
    if (refused && isRowRefusal(refused.error) && this.backlog.length > 0) {
      await this.sortOutBacklog();
    }
    if (refused && this.backlog.length > 0 && !this.closed) {
      // Unreferenced: a database that stays down must not keep the process from exiting.
      this.timer ??= setTimeout(() => void this.flush().catch(() => {}), 1_000).unref();
    }
    if (refused && this.backlog.length > 0) throw refused.error;
  }

  /**
   * The database refused rows of the backlog themselves (a constraint, a value): such rows would
   * be retried until `maxBacklog` pushed them out, and the good rows with them. Halves the
   * backlog until the refused rows stand alone: the rest is written, they are dropped, and the log
   * says which actions and times they had. A failure of another kind (the database busy or down)
   * stops the sorting and keeps every row not yet written for the next retry: none is dropped
   * for a database that cannot write just now.
   */
  private async sortOutBacklog(): Promise<void> {
    const rows = this.backlog;
    const kept: AuditEvent[] = [];
    const refusedAlone: AuditEvent[] = [];
    let lastError: unknown;
    /** The database failed otherwise than by refusing rows: keep the rest as it is. */
    let stopped = false;
    const write = async (part: readonly AuditEvent[]): Promise<void> => {
      if (stopped) return void kept.push(...part);
      try {
        await this.insert(part);
      } catch (error) {
        lastError = error;
        stopped = !isRowRefusal(error);
        if (stopped) kept.push(...part);
        else if (part.length === 1) refusedAlone.push(...part);
        else {
          const middle = Math.ceil(part.length / 2);
          await write(part.slice(0, middle));
          await write(part.slice(middle));
        }
      }
    };
    await write(rows);
    this.backlog = kept;
    if (refusedAlone.length > 0) {
      this.logger.error('dropped audit events the database refuses on their own', {
        error: messageOf(lastError),
        ...summaryOf(refusedAlone),
      });
    }
  }

  /**
   * Writes fresh events in one transaction. If it fails and mixes appended events with recorded
   * ones (or several `recordMany` calls), each call's events are tried alone: a row of someone
   * else's must not fail them. Returns the error when appended events were refused (and kept).
   */
  private async writeBatch(batch: Pending[]): Promise<{ error: unknown } | undefined> {
    const recorded = [...new Set(batch.flatMap((p) => (p.recorded ? [p.recorded] : [])))];
    try {
      await this.insert(batch.map((p) => p.event));
      for (const r of recorded) r.written();
      return undefined;
    } catch (error) {
      const appended = batch.flatMap((p) => (p.recorded ? [] : [p.event]));
      const events = batch.map((p) => p.event);
      if (appended.length > 0) this.keepForRetry(appended, error, events);
      else this.logRefused(events, error);
      if (appended.length === 0 && recorded.length === 1) recorded[0]?.refused(error);
      else for (const r of recorded) await this.writeAlone(r);
      return appended.length > 0 ? { error } : undefined;
    }
  }

  private async writeAlone(recorded: RecordedBatch): Promise<void> {
    try {
      await this.insert(recorded.events);
      recorded.written();
    } catch (error) {
      this.logRefused(recorded.events, error);
      recorded.refused(error);
    }
  }

  /**
   * Appended events go to the end of the backlog and are tried again with the next write (or in
   * a second), up to `maxBacklog` of them: the oldest beyond are dropped. `written` is what the
   * failed write held (recorded events too), for the log.
   */
  private keepForRetry(
    events: readonly AuditEvent[],
    error: unknown,
    written: readonly AuditEvent[] = events,
  ): void {
    this.backlog.push(...events);
    const dropped = this.backlog.length - this.maxBacklog;
    if (dropped > 0) this.backlog.splice(0, dropped);
    this.logRefused(written, error, {
      kept: this.backlog.length,
      ...(dropped > 0 ? { lost: dropped } : {}),
    });
  }

  private logRefused(
    events: readonly AuditEvent[],
    error: unknown,
    retry: { kept?: number; lost?: number } = {},
  ): void {
    this.logger.error('could not write audit events', {
      error: messageOf(error),
      ...summaryOf(events),
      ...retry,
    });
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('The audit log is closed: the store was closed.');
  }

  async list(query: AuditQuery): Promise<StoredAuditEvent[]> {
    await this.flushBeforeReading();
    const rows = await this.filtered(query)
      .selectAll()
      .orderBy('id', 'desc')
      .limit(query.limit)
      .offset(query.offset)
      .execute();
    return rows.map((r) => ({ ...r, outcome: r.outcome as AuditEvent['outcome'] }));
  }

  /** How many events match the query's filters (for paging). */
  async count(query: Omit<AuditQuery, 'limit' | 'offset'>): Promise<number> {
    await this.flushBeforeReading();
    const row = await this.filtered(query)
      .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /**
   * Reads go on when buffered appended events cannot be written (already logged with their
   * context, and kept for a retry): the log is read without them rather than not at all.
   */
  private async flushBeforeReading(): Promise<void> {
    try {
      await this.flush();
    } catch (error) {
      this.logger.warn('reading the audit log without appended events the database refused', {
        error: messageOf(error),
        unwritten: this.backlog.length,
      });
    }
  }

  private filtered(query: Omit<AuditQuery, 'limit' | 'offset'>) {
    let q = this.db.selectFrom('audit_events');
    if (query.action) q = q.where('action', '=', query.action);
    if (query.actor) q = q.where('actor', '=', query.actor);
    if (query.subject) q = q.where('subject', '=', query.subject);
    if (query.outcome) q = q.where('outcome', '=', query.outcome);
    if (query.from) q = q.where('at', '>=', query.from);
    if (query.to) q = q.where('at', '<', query.to);
    return q;
  }
}

/**
 * The database refused the rows themselves — a constraint (SQLite `SQLITE_CONSTRAINT_*`,
 * PostgreSQL class 23) or a value (`SQLITE_MISMATCH`, `SQLITE_TOOBIG`, PostgreSQL class 22) —
 * rather than the write: trying the same rows again cannot succeed.
 */
function isRowRefusal(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  return (
    code.startsWith('SQLITE_CONSTRAINT') ||
    code === 'SQLITE_MISMATCH' ||
    code === 'SQLITE_TOOBIG' ||
    /^2[23][0-9A-Z]{3}$/.test(code)
  );
}

/** What the log says of events it could not store: how many, which actions, from when to when. */
function summaryOf(events: readonly AuditEvent[]) {
  return {
    events: events.length,
    actions: [...new Set(events.map((e) => e.action))].join(','),
    from: events[0]?.at,
    to: events.at(-1)?.at,
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
