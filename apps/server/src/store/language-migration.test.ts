import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type TestPostgres } from '../../../../test/support/postgres.ts';
import { migrationProvider, type SqlDialectName } from './migrations.ts';

interface OldUsers {
  users: {
    username: string;
    username_key: string;
    full_name: string;
    created_at: string;
    language?: string;
  };
}

/**
 * Until 0005 every account got 'en' and the portal read 'en' as "never chosen". The migration
 * turns those into null and keeps every other choice, on both databases.
 */
async function checkLanguageMigration(db: Kysely<OldUsers>, dialect: SqlDialectName) {
  const migrator = new Migrator({ db, provider: migrationProvider(dialect) });
  expect((await migrator.migrateTo('0004_printers_authorizations')).error).toBeUndefined();
  const user = (username: string, language?: string) => ({
    username,
    username_key: username,
    full_name: username,
    created_at: '2026-01-01T00:00:00.000Z',
    ...(language ? { language } : {}),
  });
  // One row at a time: SQLite has no DEFAULT in a multi-row insert.
  for (const row of [user('defaulted'), user('english', 'en'), user('german', 'de')]) {
    await db.insertInto('users').values(row).execute();
  }

  expect((await migrator.migrateToLatest()).error).toBeUndefined();

  const rows = await db
    .selectFrom('users')
    .select(['username', 'language'])
    .orderBy('username')
    .execute();
  expect(rows).toEqual([
    { username: 'defaulted', language: null },
    { username: 'english', language: null },
    { username: 'german', language: 'de' },
  ]);
  // A new account has no language until its user chooses one.
  await db.insertInto('users').values(user('newcomer')).execute();
  const newcomer = await db
    .selectFrom('users')
    .select('language')
    .where('username', '=', 'newcomer')
    .executeTakeFirstOrThrow();
  expect(newcomer.language).toBeNull();
}

describe('migration 0005: the account language is null until chosen', () => {
  let cluster: TestPostgres | undefined;
  beforeAll(async () => {
    cluster = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  it('on SQLite', async () => {
    const db = new Kysely<OldUsers>({
      dialect: new SqliteDialect({ database: new BetterSqlite3(':memory:') }),
    });
    try {
      await checkLanguageMigration(db, 'sqlite');
    } finally {
      await db.destroy();
    }
  });

  it('on PostgreSQL', async () => {
    if (!cluster) throw new Error('PostgreSQL did not start');
    const pool = new pg.Pool({ connectionString: await cluster.createDatabase(), max: 2 });
    const db = new Kysely<OldUsers>({ dialect: new PostgresDialect({ pool }) });
    try {
      await checkLanguageMigration(db, 'postgres');
    } finally {
      await db.destroy();
    }
  });
});
