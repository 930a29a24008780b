import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

export interface AuditEvent {
  at: string;
  /** e.g. `card.enroll`, `otp.generate`, `login.pin`. */
  action: string;
  outcome: 'success' | 'failure' | 'denied';
  /** Who acted: `user:ada`, `admin-token:ops`, `terminal:Lobby`, `system`. */
  actor: string | null;
  /** Whom it concerned, e.g. the account a card was bound to. */
  subject: string | null;
  terminal: string | null;
  /** Masked card number, never the full one. */
  card: string | null;
  /** A reason code or other non-secret context. */
  detail: string | null;
}

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

/** The audit trail of credential and card events. Callers never pass secrets. */
export class AuditRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async record(event: AuditEvent): Promise<void> {
    await this.db.insertInto('audit_events').values(event).execute();
  }

  async list(query: AuditQuery): Promise<Array<AuditEvent & { id: number }>> {
    let q = this.db.selectFrom('audit_events').selectAll();
    if (query.action) q = q.where('action', '=', query.action);
    if (query.actor) q = q.where('actor', '=', query.actor);
    if (query.subject) q = q.where('subject', '=', query.subject);
    if (query.outcome) q = q.where('outcome', '=', query.outcome);
    if (query.from) q = q.where('at', '>=', query.from);
    if (query.to) q = q.where('at', '<', query.to);
    const rows = await q.orderBy('id', 'desc').limit(query.limit).offset(query.offset).execute();
    return rows.map((r) => ({ ...r, outcome: r.outcome as AuditEvent['outcome'] }));
  }
}
