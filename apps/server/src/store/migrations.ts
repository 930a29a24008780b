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
    '0003_terminal_admin': {
      async up(db: Kysely<unknown>) {
        // Revoking keeps the row (audit, cards enrolled there) but moves the token hash aside, so
        // a lookup by token hash finds nothing; the moved hash lets the server say "revoked".
        await db.schema.alterTable('terminals').addColumn('revoked_at', 'text').execute();
        await db.schema.alterTable('terminals').addColumn('revoked_token_hash', 'text').execute();
        await db.schema
          .createIndex('terminals_revoked_token_hash')
          .on('terminals')
          .column('revoked_token_hash')
          .execute();
        await db.schema
          .createIndex('cards_terminal_id')
          .on('cards')
          .column('terminal_id')
          .execute();
      },
    },
    '0004_printers_authorizations': {
      async up(db: Kysely<unknown>) {
        // Print queues in a tree of containers. Deleting a container that still holds
        // anything fails (no cascade): an admin empties it first.
        await db.schema
          .createTable('printer_containers')
          .addColumn('id', 'integer', id)
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('parent_id', 'integer', (c) => c.references('printer_containers.id'))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('printer_containers_parent_id')
          .on('printer_containers')
          .column('parent_id')
          .execute();
        await db.schema
          .createTable('print_queues')
          .addColumn('id', 'integer', id)
          .addColumn('name', 'text', (c) => c.notNull().unique())
          .addColumn('container_id', 'integer', (c) => c.references('printer_containers.id'))
          .addColumn('available_by_default', 'integer', (c) => c.notNull().defaultTo(0))
          // 1: every user sees the queue; 0: members of its `print_queue_groups` only.
          .addColumn('visible_to_all', 'integer', (c) => c.notNull().defaultTo(1))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('print_queues_container_id')
          .on('print_queues')
          .column('container_id')
          .execute();
        await db.schema
          .createTable('print_queue_groups')
          .addColumn('queue_id', 'integer', (c) =>
            c.notNull().references('print_queues.id').onDelete('cascade'),
          )
          .addColumn('group_id', 'integer', (c) =>
            c.notNull().references('groups.id').onDelete('cascade'),
          )
          .addPrimaryKeyConstraint('print_queue_groups_pk', ['queue_id', 'group_id'])
          .execute();
        await db.schema
          .createTable('favourite_queues')
          .addColumn('user_id', 'integer', (c) =>
            c.notNull().references('users.id').onDelete('cascade'),
          )
          .addColumn('queue_id', 'integer', (c) =>
            c.notNull().references('print_queues.id').onDelete('cascade'),
          )
          .addPrimaryKeyConstraint('favourite_queues_pk', ['user_id', 'queue_id'])
          .execute();
        // OAuth 2.0 authorization-code flows in progress: single use, short-lived.
        await db.schema
          .createTable('oauth_states')
          .addColumn('state_hash', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'integer', (c) =>
            c.notNull().references('users.id').onDelete('cascade'),
          )
          .addColumn('session_id', 'integer', (c) =>
            c.notNull().references('sessions.id').onDelete('cascade'),
          )
          .addColumn('connector_type', 'text', (c) => c.notNull())
          .addColumn('sealed_verifier', 'text', (c) => c.notNull())
          .addColumn('redirect_uri', 'text', (c) => c.notNull())
          .addColumn('binding_hash', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('oauth_states_expires_at')
          .on('oauth_states')
          .column('expires_at')
          .execute();
        // Tokens are sealed (AES-GCM under a key derived from the server key).
        await db.schema
          .createTable('oauth_authorizations')
          .addColumn('user_id', 'integer', (c) =>
            c.notNull().references('users.id').onDelete('cascade'),
          )
          .addColumn('connector_type', 'text', (c) => c.notNull())
          .addColumn('sealed_tokens', 'text', (c) => c.notNull())
          .addColumn('scope', 'text')
          .addColumn('authorized_at', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text')
          .addColumn('refreshable', 'integer', (c) => c.notNull().defaultTo(0))
          .addPrimaryKeyConstraint('oauth_authorizations_pk', ['user_id', 'connector_type'])
          .execute();
      },
    },
    '0005_language_until_chosen': {
      async up(db: Kysely<unknown>) {
        // Every account started with 'en', and the portal read 'en' as "never chosen" (it
        // followed the browser), so an English choice could not stick. From now on the language
        // is null until chosen; existing 'en' meant "never chosen" and becomes null, which keeps
        // what those users saw. SQLite cannot drop NOT NULL from a column, so the column is
        // rebuilt the same way on both databases.
        await db.schema.alterTable('users').addColumn('chosen_language', 'text').execute();
        const users = db as Kysely<{
          users: { language: string; chosen_language: string | null };
        }>;
        await users
          .updateTable('users')
          .set((eb) => ({ chosen_language: eb.ref('language') }))
          .where('language', '<>', 'en')
          .execute();
        await db.schema.alterTable('users').dropColumn('language').execute();
        await db.schema.alterTable('users').renameColumn('chosen_language', 'language').execute();
      },
    },
    '0006_oauth_refresh_lease': {
      async up(db: Kysely<unknown>) {
        // Which instance is refreshing an authorization, and until when: a rotating refresh
        // token must be presented once, even with several servers on one database.
        await db.schema
          .alterTable('oauth_authorizations')
          .addColumn('refresh_lease_until', 'text')
          .execute();
      },
    },
  };
}

export function migrationProvider(dialect: SqlDialectName): MigrationProvider {
  return { getMigrations: async () => migrationsFor(dialect) };
}
