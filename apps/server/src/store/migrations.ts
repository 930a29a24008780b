import type { ColumnDefinitionBuilder, Kysely, Migration, MigrationProvider } from 'kysely';

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
  };
}

export function migrationProvider(dialect: SqlDialectName): MigrationProvider {
  return { getMigrations: async () => migrationsFor(dialect) };
}
