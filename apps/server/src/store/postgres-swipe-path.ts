import type pg from 'pg';
import {
  AUDIT_COLUMNS,
  SWIPE_SQL,
  type CardOwnerRow,
  type SwipeQueries,
  type TerminalRow,
} from './swipe-path.ts';

/**
 * The swipe's queries as named statements: `pg` parses and plans each once per pooled
 * connection, then only binds values. Audit rows go in as one array per column through
 * `unnest`, so any number of rows is a single statement (one transaction) with one plan.
 */
export function postgresSwipeQueries(pool: pg.Pool): SwipeQueries {
  const insertAudit =
    `INSERT INTO audit_events (${AUDIT_COLUMNS.join(', ')}) ` +
    `SELECT * FROM unnest(${AUDIT_COLUMNS.map((_, i) => `$${i + 1}::text[]`).join(', ')})`;
  return {
    async terminalByTokenHash(tokenHash) {
      const result = await pool.query<TerminalRow>({
        name: 'cardbind_swipe_terminal',
        text: SWIPE_SQL.terminalByTokenHash,
        values: [tokenHash],
      });
      return result.rows[0];
    },
    async cardWithOwner(cardId) {
      const result = await pool.query<CardOwnerRow>({
        name: 'cardbind_swipe_card',
        text: SWIPE_SQL.cardWithOwner,
        values: [cardId],
      });
      return result.rows[0];
    },
    async insertAuditEvents(events) {
      if (events.length === 0) return;
      await pool.query({
        name: 'cardbind_audit_insert',
        text: insertAudit,
        values: AUDIT_COLUMNS.map((column) => events.map((event) => event[column])),
      });
    },
  };
}
