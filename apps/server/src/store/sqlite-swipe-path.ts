import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { AuditEvent } from './audit.ts';
import type { Database } from './schema.ts';
import {
  AUDIT_COLUMNS,
  positionalSql,
  SWIPE_SQL,
  type CardOwnerRow,
  type SwipeQueries,
  type TerminalRow,
} from './swipe-path.ts';

/**
 * The swipe's queries as better-sqlite3 statements prepared once, on the connection Kysely uses.
 *
 * Kysely serializes that single connection with a mutex, held across awaits for the whole of a
 * transaction. A statement run straight on the connection while such a transaction is open would
 * join it (reading its uncommitted rows, or losing audit rows if it rolls back). better-sqlite3 is
 * synchronous, so when no transaction is open a statement runs and completes before anything else
 * can start one; only while one is open do these queries queue on Kysely's mutex.
 */
export function sqliteSwipeQueries(
  sqlite: BetterSqlite3.Database,
  db: Kysely<Database>,
): SwipeQueries {
  // Prepared on first use: the tables exist only once the store has migrated.
  let statements: ReturnType<typeof prepare> | undefined;
  const prepared = () => (statements ??= prepare(sqlite));

  const outsideTransactions = <T>(run: () => T): Promise<T> =>
    sqlite.inTransaction
      ? db.connection().execute(async () => run())
      : // Errors of `run` become rejections, as they would from Kysely.
        new Promise<T>((resolve) => resolve(run()));

  return {
    terminalByTokenHash: (tokenHash) =>
      outsideTransactions(() => prepared().terminal.get(tokenHash, tokenHash)),
    cardWithOwner: (cardId) => outsideTransactions(() => prepared().card.get(cardId)),
    insertAuditEvents: (events) => outsideTransactions(() => prepared().insertAll(events)),
  };
}

function prepare(sqlite: BetterSqlite3.Database) {
  const insertAudit = sqlite.prepare<unknown[]>(
    `INSERT INTO audit_events (${AUDIT_COLUMNS.join(', ')}) ` +
      `VALUES (${AUDIT_COLUMNS.map(() => '?').join(', ')})`,
  );
  return {
    // `$1` appears twice (current and revoked hash), so two `?` here.
    terminal: sqlite.prepare<[string, string], TerminalRow>(
      positionalSql(SWIPE_SQL.terminalByTokenHash),
    ),
    card: sqlite.prepare<[string], CardOwnerRow>(positionalSql(SWIPE_SQL.cardWithOwner)),
    insertAll: sqlite.transaction((events: readonly AuditEvent[]) => {
      for (const event of events) insertAudit.run(AUDIT_COLUMNS.map((column) => event[column]));
    }),
  };
}
