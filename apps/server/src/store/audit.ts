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

interface Pending {
  event: AuditEvent;
  /** Appended (written later, nobody waits) rather than recorded (the caller awaits the write). */
  appended: boolean;
}

/**
 * The audit trail of credential and card events. Callers never pass secrets.
 *
 * Two ways in. `record` (`recordMany`) writes before it resolves, as most actions need. `append` is for the
 * card swipe, thousands a second: its events are buffered and written in one transaction every
 * `flushIntervalMs` (20 ms) or `maxBatch` events, so that a swipe neither commits nor waits for
 * a commit (bench/README.md). The price: if the process dies without closing the store, the
 * swipe events of the last ~20 ms (and of a write in flight) are lost; `close()` writes them all.
 * Order is kept: `record` writes the buffer ahead of its own event, and `list` writes the buffer
 * first, so a reader sees every event of this instance (another instance's within ~20 ms).
 */
export class AuditRepository {
  private pending: Pending[] = [];
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
   * Writes the events in order, in one transaction with any appended ones: all are stored or none
   * (the caller gets the error). One commit for a batch, e.g. each card an import moved.
   */
  async recordMany(events: readonly AuditEvent[]): Promise<void> {
    this.assertOpen();
    for (const event of events) this.pending.push({ event, appended: false });
    await this.flush();
  }

  /** Buffers a high-volume event; it is written within `flushIntervalMs`, nobody waits for it. */
  append(event: AuditEvent): void {
    this.assertOpen();
    this.pending.push({ event, appended: true });
    if (this.pending.length >= this.maxBatch) {
      if (!this.fullBatchQueued) void this.flush().catch(() => {});
      this.fullBatchQueued = true;
    } else this.timer ??= setTimeout(() => void this.flush().catch(() => {}), this.flushIntervalMs);
  }

  /** Writes everything buffered so far; rejects if the database refused it (already logged). */
  flush(): Promise<void> {
    const write = this.writing.then(() => this.writePending());
    this.writing = write.catch(() => {});
    return write;
  }

  /** Writes what is buffered and refuses further events: call before closing the database. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async writePending(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.fullBatchQueued = false;
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    try {
      await this.insert(batch.map((p) => p.event));
    } catch (error) {
      this.keepForRetry(batch, error);
      throw error;
    }
  }

  /**
   * A recorded event's caller gets the error; appended events go back to the head of the buffer
   * and are tried again with the next write (or in a second), up to `maxBacklog` of them.
   */
  private keepForRetry(batch: Pending[], error: unknown): void {
    const retry = batch.filter((p) => p.appended);
    this.pending = [...retry, ...this.pending];
    const dropped = this.pending.length - this.maxBacklog;
    if (dropped > 0) this.pending.splice(0, dropped);
    const first = batch[0]?.event;
    this.logger.error('could not write audit events', {
      error: error instanceof Error ? error.message : String(error),
      events: batch.length,
      actions: [...new Set(batch.map((p) => p.event.action))].join(','),
      from: first?.at,
      to: batch.at(-1)?.event.at,
      kept: this.pending.length,
      ...(dropped > 0 ? { lost: dropped } : {}),
    });
    if (this.pending.length > 0 && !this.closed) {
      // Unreferenced: a database that stays down must not keep the process from exiting.
      this.timer ??= setTimeout(() => void this.flush().catch(() => {}), 1_000).unref();
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('The audit log is closed: the store was closed.');
  }

  async list(query: AuditQuery): Promise<StoredAuditEvent[]> {
    await this.flush();
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
    await this.flush();
    const row = await this.filtered(query)
      .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
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
