import type { Kysely, Selectable } from 'kysely';
import type { Database, SessionsTable } from './schema.ts';

export interface SessionRecord {
  id: number;
  userId: number;
  clientId: string;
  userAgent: string | null;
  createdAt: string;
  expiresAt: string;
  accessExpiresAt: string;
  revokedAt: string | null;
}

export interface NewSession {
  userId: number;
  clientId: string;
  userAgent: string | null;
  createdAt: string;
  expiresAt: string;
  accessHash: string;
  accessExpiresAt: string;
  refreshHash: string;
}

export type RotateResult =
  | { kind: 'rotated'; session: SessionRecord }
  | { kind: 'reused'; sessionId: number }
  | { kind: 'unknown' };

/** OAuth-style sessions: a short-lived access token and a rotating refresh token, both hashed. */
export class SessionRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(session: NewSession): Promise<SessionRecord> {
    const row = await this.db
      .insertInto('sessions')
      .values({
        user_id: session.userId,
        client_id: session.clientId,
        user_agent: session.userAgent,
        created_at: session.createdAt,
        expires_at: session.expiresAt,
        access_hash: session.accessHash,
        access_expires_at: session.accessExpiresAt,
        refresh_hash: session.refreshHash,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toSession(row);
  }

  /** The live session an access token belongs to, if the token is current. */
  async findByAccessHash(accessHash: string, at: string): Promise<SessionRecord | undefined> {
    const row = await this.db
      .selectFrom('sessions')
      .selectAll()
      .where('access_hash', '=', accessHash)
      .where('revoked_at', 'is', null)
      .where('access_expires_at', '>', at)
      .where('expires_at', '>', at)
      .executeTakeFirst();
    return row && toSession(row);
  }

  /** The live session holding this refresh token. */
  async findByRefreshHash(refreshHash: string, at: string): Promise<SessionRecord | undefined> {
    const row = await this.db
      .selectFrom('sessions')
      .selectAll()
      .where('refresh_hash', '=', refreshHash)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', at)
      .executeTakeFirst();
    return row && toSession(row);
  }

  /**
   * Swaps the refresh token for new tokens in one conditional UPDATE, so a refresh token works
   * once. A refresh token that was already rotated away means two parties hold it: the caller
   * revokes the session (reuse detection, RFC 6819 §5.2.2.3).
   */
  async rotate(
    refreshHash: string,
    next: { accessHash: string; accessExpiresAt: string; refreshHash: string },
    at: string,
  ): Promise<RotateResult> {
    const row = await this.db
      .updateTable('sessions')
      .set({
        access_hash: next.accessHash,
        access_expires_at: next.accessExpiresAt,
        refresh_hash: next.refreshHash,
        previous_refresh_hash: refreshHash,
      })
      .where('refresh_hash', '=', refreshHash)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', at)
      .returningAll()
      .executeTakeFirst();
    if (row) return { kind: 'rotated', session: toSession(row) };
    const reused = await this.db
      .selectFrom('sessions')
      .select('id')
      .where('previous_refresh_hash', '=', refreshHash)
      .executeTakeFirst();
    return reused ? { kind: 'reused', sessionId: reused.id } : { kind: 'unknown' };
  }

  async listForUser(userId: number, at: string): Promise<SessionRecord[]> {
    const rows = await this.db
      .selectFrom('sessions')
      .selectAll()
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', at)
      .orderBy('created_at', 'desc')
      .execute();
    return rows.map(toSession);
  }

  async find(id: number): Promise<SessionRecord | undefined> {
    const row = await this.db
      .selectFrom('sessions')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toSession(row);
  }

  async revoke(id: number, at: string): Promise<boolean> {
    const result = await this.db
      .updateTable('sessions')
      .set({ revoked_at: at })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }
}

function toSession(row: Selectable<SessionsTable>): SessionRecord {
  return {
    id: row.id,
    userId: row.user_id,
    clientId: row.client_id,
    userAgent: row.user_agent,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    accessExpiresAt: row.access_expires_at,
    revokedAt: row.revoked_at,
  };
}
