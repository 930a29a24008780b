import type { Selectable } from 'kysely';
import type { AuditEvent } from './audit.ts';
import type { UsersTable } from './schema.ts';

/**
 * The queries of `POST /terminal/card-auth`, the one endpoint that runs thousands of times a
 * second: the terminal by its token hash, the card with its owner, the audit row. Building and
 * compiling them with Kysely on every call cost about a third of the server's CPU per swipe
 * (bench/README.md), so each backend prepares them once, as plain SQL. The rest of the store
 * stays on Kysely. Rows come back as the database returns them; `KyselyStore` maps them.
 */
export interface SwipeQueries {
  terminalByTokenHash(tokenHash: string): Promise<TerminalRow | undefined>;
  cardWithOwner(cardId: string): Promise<CardOwnerRow | undefined>;
  /** Inserts the events in order, in one transaction: all of them or none. */
  insertAuditEvents(events: readonly AuditEvent[]): Promise<void>;
}

/** A terminal whose current token, or whose token before it was revoked, has the hash. */
export interface TerminalRow {
  id: number;
  name: string;
  created_at: string;
  last_seen_at: string | null;
  revoked_at: string | null;
}

/**
 * Named, not `users.*`: a prepared statement's result columns are fixed, so a column added by a
 * newer server's migration must not break an older instance still serving (PostgreSQL refuses a
 * cached plan whose result type changed). A column missing here fails to compile in `toUser`.
 */
const USER_COLUMNS = [
  'id',
  'username',
  'username_key',
  'full_name',
  'email',
  'password_hash',
  'created_at',
  'source',
  'disabled_at',
  'language',
] as const satisfies ReadonlyArray<keyof UsersTable>;

export type CardOwnerRow = Pick<Selectable<UsersTable>, (typeof USER_COLUMNS)[number]> & {
  card_expires_at: string | null;
};

/** `?` placeholders for SQLite, `$1` for PostgreSQL: written once here, for both. */
export const SWIPE_SQL = {
  // Revoked hashes too, so a bad token costs one query as well: the server still tells a revoked
  // terminal apart (both columns are indexed; SQLite binds `$1` twice, as two `?`).
  terminalByTokenHash:
    'SELECT id, name, created_at, last_seen_at, revoked_at FROM terminals ' +
    'WHERE token_hash = $1 OR revoked_token_hash = $1',
  cardWithOwner:
    `SELECT ${USER_COLUMNS.map((column) => `users.${column}`).join(', ')}, ` +
    'cards.expires_at AS card_expires_at FROM cards ' +
    'INNER JOIN users ON users.id = cards.user_id WHERE cards.card_id = $1',
} as const;

/** The audit columns in the order both backends bind them. */
export const AUDIT_COLUMNS = [
  'at',
  'action',
  'outcome',
  'actor',
  'subject',
  'terminal',
  'card',
  'detail',
] as const satisfies ReadonlyArray<keyof AuditEvent>;

export function positionalSql(sql: string): string {
  return sql.replace(/\$\d+/g, '?');
}
