import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.ts';

export interface ThrottleState {
  failures: number;
  blockedUntil: string | null;
}

/**
 * Failure counters for lockout and rate limiting, kept in the database so that every server
 * instance behind a load balancer sees the same counts.
 */
export class ThrottleRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async get(key: string): Promise<ThrottleState | undefined> {
    const row = await this.db
      .selectFrom('throttles')
      .select(['failures', 'blocked_until'])
      .where('key', '=', key)
      .executeTakeFirst();
    return row && { failures: row.failures, blockedUntil: row.blocked_until };
  }

  /**
   * Counts one more failure, atomically; a count whose last failure is older than `forgetBefore`
   * starts again from 1. Returns the new count.
   */
  async recordFailure(key: string, at: string, forgetBefore: string): Promise<number> {
    const row = await this.db
      .insertInto('throttles')
      .values({ key, failures: 1, last_failure_at: at, blocked_until: null })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          failures: sql<number>`CASE WHEN throttles.last_failure_at < ${forgetBefore} THEN 1 ELSE throttles.failures + 1 END`,
          last_failure_at: at,
        }),
      )
      .returning('failures')
      .executeTakeFirstOrThrow();
    return row.failures;
  }

  async block(key: string, until: string | null): Promise<void> {
    await this.db
      .updateTable('throttles')
      .set({ blocked_until: until })
      .where('key', '=', key)
      .execute();
  }

  async clear(key: string): Promise<void> {
    await this.db.deleteFrom('throttles').where('key', '=', key).execute();
  }
}
