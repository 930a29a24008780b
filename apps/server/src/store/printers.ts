import type { Kysely, Selectable } from 'kysely';
import type { Database, PrinterContainersTable } from './schema.ts';
import { DuplicateError, isUniqueViolation } from './store.ts';

export interface ContainerRecord {
  id: number;
  name: string;
  /** null: at the top of the tree. */
  parentId: number | null;
  createdAt: string;
}

export interface QueueRecord {
  id: number;
  name: string;
  /** null: at the top of the tree. */
  containerId: number | null;
  /** Every user who sees the queue has it, checked and fixed (SAFEQ "Available by default"). */
  availableByDefault: boolean;
  /** Names of the groups that see the queue; null: everybody. */
  groups: string[] | null;
  createdAt: string;
}

export interface NewQueue {
  name: string;
  containerId: number | null;
  availableByDefault: boolean;
  groups: string[] | null;
  createdAt: string;
}

export type QueueChanges = Partial<
  Pick<NewQueue, 'name' | 'containerId' | 'availableByDefault' | 'groups'>
>;

/** A container or queue that a new row points at is gone (deleted meanwhile). */
export class MissingReferenceError extends Error {
  constructor(readonly entity: string) {
    super(`${entity} does not exist`);
    this.name = 'MissingReferenceError';
  }
}

/** SQLite reports `SQLITE_CONSTRAINT_FOREIGNKEY`; PostgreSQL reports SQLSTATE 23503. */
export function isForeignKeyViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || code === '23503';
}

/**
 * Print queues in a tree of containers, who may see each queue, and each user's favourites.
 * Group names that do not exist are skipped when stored: the service checks them first.
 */
export class PrinterRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async listContainers(): Promise<ContainerRecord[]> {
    const rows = await this.db.selectFrom('printer_containers').selectAll().orderBy('id').execute();
    return rows.map(toContainer);
  }

  async findContainer(id: number): Promise<ContainerRecord | undefined> {
    const row = await this.db
      .selectFrom('printer_containers')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toContainer(row);
  }

  /** Throws `MissingReferenceError` when the parent is gone. */
  async createContainer(container: Omit<ContainerRecord, 'id'>): Promise<ContainerRecord> {
    try {
      const row = await this.db
        .insertInto('printer_containers')
        .values({
          name: container.name,
          parent_id: container.parentId,
          created_at: container.createdAt,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toContainer(row);
    } catch (error) {
      if (isForeignKeyViolation(error)) throw new MissingReferenceError('container');
      throw error;
    }
  }

  async renameContainer(id: number, name: string): Promise<boolean> {
    const result = await this.db
      .updateTable('printer_containers')
      .set({ name })
      .where('id', '=', id)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Deletes an empty container in one statement, so nothing can slip into it meanwhile. */
  async deleteContainer(id: number): Promise<'deleted' | 'not_found' | 'not_empty'> {
    try {
      const result = await this.db
        .deleteFrom('printer_containers')
        .where('id', '=', id)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('printer_containers as child')
                .select('child.id')
                .where('child.parent_id', '=', id),
            ),
          ),
        )
        .where(({ not, exists, selectFrom }) =>
          not(exists(selectFrom('print_queues').select('id').where('container_id', '=', id))),
        )
        .executeTakeFirst();
      if (result.numDeletedRows > 0n) return 'deleted';
    } catch (error) {
      // Something was added to it by a concurrent request.
      if (isForeignKeyViolation(error)) return 'not_empty';
      throw error;
    }
    return (await this.findContainer(id)) ? 'not_empty' : 'not_found';
  }

  async listQueues(): Promise<QueueRecord[]> {
    const rows = await this.db.selectFrom('print_queues').selectAll().orderBy('id').execute();
    const groups = await this.db
      .selectFrom('print_queue_groups')
      .innerJoin('groups', 'groups.id', 'print_queue_groups.group_id')
      .select(['print_queue_groups.queue_id', 'groups.name'])
      .orderBy('groups.name')
      .execute();
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      containerId: row.container_id,
      availableByDefault: row.available_by_default === 1,
      groups:
        row.visible_to_all === 1
          ? null
          : groups.filter((g) => g.queue_id === row.id).map((g) => g.name),
      createdAt: row.created_at,
    }));
  }

  async findQueue(id: number): Promise<QueueRecord | undefined> {
    // Queue lists are short (tens to a few thousand): one code path for one and for all.
    return (await this.listQueues()).find((q) => q.id === id);
  }

  /** Throws `DuplicateError` for a taken name, `MissingReferenceError` for a gone container. */
  async createQueue(queue: NewQueue): Promise<QueueRecord> {
    const id = await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('print_queues')
        .values({
          name: queue.name,
          container_id: queue.containerId,
          available_by_default: queue.availableByDefault ? 1 : 0,
          visible_to_all: queue.groups === null ? 1 : 0,
          created_at: queue.createdAt,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
        .catch((error: unknown) => {
          throw storeError(error, queue.name);
        });
      await setQueueGroups(trx, row.id, queue.groups);
      return row.id;
    });
    const created = await this.findQueue(id);
    if (!created) throw new MissingReferenceError('queue');
    return created;
  }

  /** False when there is no such queue; same errors as `createQueue`. */
  async updateQueue(id: number, changes: QueueChanges): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const set = {
        ...(changes.name === undefined ? {} : { name: changes.name }),
        ...(changes.containerId === undefined ? {} : { container_id: changes.containerId }),
        ...(changes.availableByDefault === undefined
          ? {}
          : { available_by_default: changes.availableByDefault ? 1 : 0 }),
        ...(changes.groups === undefined
          ? {}
          : { visible_to_all: changes.groups === null ? 1 : 0 }),
      };
      const exists = await trx
        .selectFrom('print_queues')
        .select('id')
        .where('id', '=', id)
        .executeTakeFirst();
      if (!exists) return false;
      if (Object.keys(set).length > 0) {
        await trx
          .updateTable('print_queues')
          .set(set)
          .where('id', '=', id)
          .execute()
          .catch((error: unknown) => {
            throw storeError(error, changes.name ?? '');
          });
      }
      if (changes.groups !== undefined) {
        await trx.deleteFrom('print_queue_groups').where('queue_id', '=', id).execute();
        await setQueueGroups(trx, id, changes.groups);
      }
      return true;
    });
  }

  async deleteQueue(id: number): Promise<boolean> {
    const result = await this.db.deleteFrom('print_queues').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async favouritesOf(userId: number): Promise<number[]> {
    const rows = await this.db
      .selectFrom('favourite_queues')
      .select('queue_id')
      .where('user_id', '=', userId)
      .orderBy('queue_id')
      .execute();
    return rows.map((r) => r.queue_id);
  }

  /** Makes exactly these queues the user's favourites. */
  async setFavourites(userId: number, queueIds: number[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('favourite_queues').where('user_id', '=', userId).execute();
      const unique = [...new Set(queueIds)];
      if (unique.length === 0) return;
      await trx
        .insertInto('favourite_queues')
        .values(unique.map((queue_id) => ({ user_id: userId, queue_id })))
        .execute()
        .catch((error: unknown) => {
          if (isForeignKeyViolation(error)) throw new MissingReferenceError('queue');
          throw error;
        });
    });
  }
}

async function setQueueGroups(
  trx: Kysely<Database>,
  queueId: number,
  groups: string[] | null,
): Promise<void> {
  if (groups === null || groups.length === 0) return;
  const ids = await trx.selectFrom('groups').select('id').where('name', 'in', groups).execute();
  if (ids.length === 0) return;
  await trx
    .insertInto('print_queue_groups')
    .values(ids.map((g) => ({ queue_id: queueId, group_id: g.id })))
    .execute();
}

function storeError(error: unknown, name: string): unknown {
  if (isUniqueViolation(error)) return new DuplicateError('print queue', name);
  if (isForeignKeyViolation(error)) return new MissingReferenceError('container');
  return error;
}

function toContainer(row: Selectable<PrinterContainersTable>): ContainerRecord {
  return { id: row.id, name: row.name, parentId: row.parent_id, createdAt: row.created_at };
}
