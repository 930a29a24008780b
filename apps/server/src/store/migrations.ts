import type {
  ColumnDefinitionBuilder,
  Generated,
  Kysely,
  Migration,
  MigrationProvider,
} from 'kysely';

export type SqlDialectName = 'sqlite' | 'postgres';
type ColumnBuilder = (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;

/**
 * Schema migrations, oldest first. Written with Kysely's schema builder only, so the same
 * migrations run on SQLite and PostgreSQL. Never edit a migration that has shipped: add one.
 */
function migrationsFor(dialect: SqlDialectName): Record<string, Migration> {
  // SQLite numbers an INTEGER PRIMARY KEY by itself; PostgreSQL needs an identity column.
  const id: ColumnBuilder =
    dialect === 'postgres'
      ? (c) => c.primaryKey().generatedByDefaultAsIdentity()
      : (c) => c.primaryKey();
  return {
    '0001_initial': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('users')
          .addColumn('id', 'integer', id)
          .addColumn('username', 'text', (c) => c.notNull())
          .addColumn('username_key', 'text', (c) => c.notNull().unique())
          .addColumn('full_name', 'text', (c) => c.notNull())
          .addColumn('email', 'text')
          .addColumn('password_hash', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('terminals')
          .addColumn('id', 'integer', id)
          .addColumn('name', 'text', (c) => c.notNull().unique())
          .addColumn('token_hash', 'text', (c) => c.notNull().unique())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('last_seen_at', 'text')
          .execute();
        await db.schema
          .createTable('cards')
          .addColumn('id', 'integer', id)
          .addColumn('card_id', 'text', (c) => c.notNull().unique())
          .addColumn('user_id', 'integer', (c) =>
            c.notNull().references('users.id').onDelete('cascade'),
          )
          .addColumn('terminal_id', 'integer', (c) =>
            c.references('terminals.id').onDelete('set null'),
          )
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('cards_user_id').on('cards').column('user_id').execute();
        await db.schema.createIndex('cards_created_at').on('cards').column('created_at').execute();
        await db.schema
          .createTable('enrollments')
          .addColumn('id', 'integer', id)
          .addColumn('token_hash', 'text', (c) => c.notNull().unique())
          .addColumn('card_id', 'text', (c) => c.notNull())
          .addColumn('terminal_id', 'integer', (c) =>
            c.notNull().references('terminals.id').onDelete('cascade'),
          )
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text', (c) => c.notNull())
          .addColumn('used_at', 'text')
          .execute();
        await db.schema
          .createIndex('enrollments_expires_at')
          .on('enrollments')
          .column('expires_at')
          .execute();
        await db.schema
          .createTable('api_tokens')
          .addColumn('id', 'integer', id)
          .addColumn('name', 'text', (c) => c.notNull().unique())
          .addColumn('token_hash', 'text', (c) => c.notNull().unique())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
      },
    },
    '0002_accounts_and_credentials': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .alterTable('users')
          .addColumn('source', 'text', (c) => c.notNull().defaultTo('local'))
          .execute();
        await db.schema.alterTable('users').addColumn('disabled_at', 'text').execute();
        // Cards enrolled as temporary expire; directory-provided cards are read-only here.
        await db.schema.alterTable('cards').addColumn('expires_at', 'text').execute();
        await db.schema
          .alterTable('cards')
          .addColumn('source', 'text', (c) => c.notNull().defaultTo('panel'))
          .execute();
        await db.schema
          .alterTable('users')
          .addColumn('language', 'text', (c) => c.notNull().defaultTo('en'))
          .execute();
        await db.schema
          .createTable('groups')
          .addColumn('id', 'integer', id)
          .addColumn('name', 'text', (c) => c.notNull().unique())
          .addColumn('builtin', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('group_members')
          .addColumn('group_id', 'integer', (c) =>
            c.notNull().references('groups.id').onDelete('cascade'),
          )
          .addColumn('user_id', 'integer', (c) =>
            c.notNull().references('users.id').onDelete('cascade'),
          )
          .addPrimaryKeyConstraint('group_members_pk', ['group_id', 'user_id'])
          .execute();
        await db.schema
          .createIndex('group_members_user_id')
          .on('group_members')
          .column('user_id')
          .execute();
        await db.schema
          .createTable('group_roles')
          .addColumn('group_id', 'integer', (c) =>
            c.notNull().references('groups.id').onDelete('cascade'),
          )
          .addColumn('role', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('group_roles_pk', ['group_id', 'role'])
          .execute();
        await db.schema
          .createTable('otps')
          .addColumn('id', 'integer', id)
          .addColumn('user_id', 'integer', (c) =>
            c.notNull().references('users.id').onDelete('cascade'),
          )
          .addColumn('secret_hash', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text', (c) => c.notNull())
          .addColumn('used_at', 'text')
          .execute();
        await db.schema
          .createIndex('otps_user_hash')
          .on('otps')
          .columns(['user_id', 'secret_hash'])
          .execute();
        await db.schema
          .createTable('pins')
          .addColumn('user_id', 'integer', (c) =>
            c.primaryKey().references('users.id').onDelete('cascade'),
          )
          .addColumn('lookup_hash', 'text', (c) => c.notNull().unique())
          .addColumn('length', 'integer', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text')
          .execute();
        await db.schema
          .createTable('throttles')
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('failures', 'integer', (c) => c.notNull())
          .addColumn('last_failure_at', 'text', (c) => c.notNull())
          .addColumn('blocked_until', 'text')
          .execute();
        await db.schema
          .createTable('audit_events')
          .addColumn('id', 'integer', id)
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('outcome', 'text', (c) => c.notNull())
          .addColumn('actor', 'text')
          .addColumn('subject', 'text')
          .addColumn('terminal', 'text')
          .addColumn('card', 'text')
          .addColumn('detail', 'text')
          .execute();
        await db.schema.createIndex('audit_events_at').on('audit_events').column('at').execute();
        await db.schema
          .createTable('settings')
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('value', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('sessions')
          .addColumn('id', 'integer', id)
          .addColumn('user_id', 'integer', (c) =>
            c.notNull().references('users.id').onDelete('cascade'),
          )
          .addColumn('client_id', 'text', (c) => c.notNull())
          .addColumn('user_agent', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text', (c) => c.notNull())
          .addColumn('revoked_at', 'text')
          .addColumn('access_hash', 'text', (c) => c.notNull().unique())
          .addColumn('access_expires_at', 'text', (c) => c.notNull())
          .addColumn('refresh_hash', 'text', (c) => c.notNull().unique())
          // The refresh token before the last rotation: presenting it again means it was stolen.
          .addColumn('previous_refresh_hash', 'text')
          .execute();
        await db.schema.createIndex('sessions_user_id').on('sessions').column('user_id').execute();
        // Built-in groups. ALL USERS holds everybody implicitly; its roles apply to every account.
        const now = new Date().toISOString();
        const builtin = db as Kysely<{
          groups: { id: Generated<number>; name: string; builtin: number; created_at: string };
          group_roles: { group_id: number; role: string };
        }>;
        for (const [name, roles] of [
          ['ALL USERS', ['self-service']],
          ['ADMINISTRATORS', ['administrator']],
          ['SELF-REGISTERED', []],
        ] as const) {
          const group = await builtin
            .insertInto('groups')
            .values({ name, builtin: 1, created_at: now })
            .returning('id')
            .executeTakeFirstOrThrow();
          for (const role of roles) {
            await builtin.insertInto('group_roles').values({ group_id: group.id, role }).execute();
          }
        }
        await db.schema
          .createIndex('sessions_previous_refresh_hash')
          .on('sessions')
          .column('previous_refresh_hash')
          .execute();
      },
    },
  };
}

export function migrationProvider(dialect: SqlDialectName): MigrationProvider {
  return { getMigrations: async () => migrationsFor(dialect) };
}
