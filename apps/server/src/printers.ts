import { ApiError } from './errors.ts';
import { ALL_USERS_GROUP } from './permissions.ts';
import {
  MissingReferenceError,
  type ContainerRecord,
  type QueueChanges,
  type QueueRecord,
} from './store/printers.ts';
import { DuplicateError, type Store, type UserRecord } from './store/store.ts';

/** A container with what it holds, sorted by name. */
export interface ContainerNode<Q> {
  id: number;
  name: string;
  containers: ContainerNode<Q>[];
  queues: Q[];
}

/** The top level of the tree: containers and queues outside any container. */
export interface PrinterTree<Q> {
  containers: ContainerNode<Q>[];
  queues: Q[];
}

/** A queue as a user sees it in "My profile → Printers". */
export interface UserQueueView {
  id: number;
  name: string;
  availableByDefault: boolean;
  /** Chosen by the user; queues available by default are always reported as favourites. */
  favourite: boolean;
}

/** A queue as an administrator manages it. */
export interface AdminQueueView {
  id: number;
  name: string;
  availableByDefault: boolean;
  groups: string[] | null;
}

const byName = (a: { name: string; id: number }, b: { name: string; id: number }) =>
  a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) || a.id - b.id;

/**
 * Nests queues into their containers. Only what hangs from the top is reachable, so a broken
 * parent link (a cycle, a missing parent) hides a branch instead of looping. With `prune`,
 * containers that hold no queue at any depth are left out (a user has no use for them).
 */
export function buildPrinterTree<Q extends { id: number; name: string }>(
  containers: readonly ContainerRecord[],
  queues: ReadonlyArray<{ containerId: number | null; view: Q }>,
  options: { prune: boolean },
): PrinterTree<Q> {
  const childrenOf = new Map<number | null, ContainerRecord[]>();
  for (const container of containers) {
    const siblings = childrenOf.get(container.parentId) ?? [];
    siblings.push(container);
    childrenOf.set(container.parentId, siblings);
  }
  const queuesOf = new Map<number | null, Q[]>();
  for (const { containerId, view } of queues) {
    const list = queuesOf.get(containerId) ?? [];
    list.push(view);
    queuesOf.set(containerId, list);
  }
  const visited = new Set<number>();
  const nodesUnder = (parentId: number | null): ContainerNode<Q>[] => {
    const nodes: ContainerNode<Q>[] = [];
    for (const container of [...(childrenOf.get(parentId) ?? [])].sort(byName)) {
      if (visited.has(container.id)) continue;
      visited.add(container.id);
      const node: ContainerNode<Q> = {
        id: container.id,
        name: container.name,
        containers: nodesUnder(container.id),
        queues: [...(queuesOf.get(container.id) ?? [])].sort(byName),
      };
      if (!options.prune || node.containers.length > 0 || node.queues.length > 0) nodes.push(node);
    }
    return nodes;
  };
  return {
    containers: nodesUnder(null),
    queues: [...(queuesOf.get(null) ?? [])].sort(byName),
  };
}

/** Whether a member of these groups sees the queue; everybody is in ALL USERS. */
export function canSeeQueue(queue: Pick<QueueRecord, 'groups'>, userGroups: readonly string[]) {
  return (
    queue.groups === null ||
    queue.groups.some((group) => group === ALL_USERS_GROUP || userGroups.includes(group))
  );
}

export interface NewQueueInput {
  name: string;
  containerId: number | null;
  availableByDefault: boolean;
  groups: string[] | null;
}

/** Print queues and containers: what admins manage and which favourites users pick. */
export class PrinterService {
  constructor(
    private readonly store: Store,
    private readonly now: () => Date,
  ) {}

  async adminTree(): Promise<PrinterTree<AdminQueueView>> {
    const { printers } = this.store;
    const [containers, queues] = await Promise.all([
      printers.listContainers(),
      printers.listQueues(),
    ]);
    return buildPrinterTree(
      containers,
      queues.map((q) => ({
        containerId: q.containerId,
        view: {
          id: q.id,
          name: q.name,
          availableByDefault: q.availableByDefault,
          groups: q.groups,
        },
      })),
      { prune: false },
    );
  }

  /** The queues this user may see, in their containers, with the user's favourites marked. */
  async treeFor(user: UserRecord): Promise<PrinterTree<UserQueueView>> {
    const { printers } = this.store;
    const [containers, visible, favourites] = await Promise.all([
      printers.listContainers(),
      this.visibleQueues(user),
      printers.favouritesOf(user.id),
    ]);
    const chosen = new Set(favourites);
    return buildPrinterTree(
      containers,
      visible.map((q) => ({
        containerId: q.containerId,
        view: {
          id: q.id,
          name: q.name,
          availableByDefault: q.availableByDefault,
          favourite: q.availableByDefault || chosen.has(q.id),
        },
      })),
      { prune: true },
    );
  }

  /**
   * Replaces the user's favourites. Queues available by default need no choosing and are not
   * stored; a queue the user cannot see is refused, naming it.
   */
  async setFavourites(user: UserRecord, queueIds: readonly number[]): Promise<void> {
    const visible = new Map((await this.visibleQueues(user)).map((q) => [q.id, q]));
    const hidden = queueIds.filter((id) => !visible.has(id));
    if (hidden.length > 0) {
      throw new ApiError(
        400,
        'invalid_request',
        `Print queue ${hidden.join(', ')} is not available to you. Reload the list and choose again.`,
      );
    }
    const chosen = queueIds.filter((id) => visible.get(id)?.availableByDefault === false);
    try {
      await this.store.printers.setFavourites(user.id, chosen);
    } catch (error) {
      if (error instanceof MissingReferenceError) {
        throw new ApiError(
          409,
          'invalid_request',
          'A print queue was just deleted. Reload the list.',
        );
      }
      throw error;
    }
  }

  async createContainer(name: string, parentId: number | null): Promise<ContainerRecord> {
    if (parentId !== null) await this.requireContainer(parentId);
    try {
      return await this.store.printers.createContainer({
        name,
        parentId,
        createdAt: this.now().toISOString(),
      });
    } catch (error) {
      if (error instanceof MissingReferenceError) throw containerNotFound(parentId ?? 0);
      throw error;
    }
  }

  /** Renames the container; returns its name before and after, which the audit log shows. */
  async renameContainer(id: number, name: string): Promise<{ from: string; to: string }> {
    const container = await this.requireContainer(id);
    if (!(await this.store.printers.renameContainer(id, name))) throw containerNotFound(id);
    return { from: container.name, to: name };
  }

  async deleteContainer(id: number): Promise<ContainerRecord> {
    const container = await this.requireContainer(id);
    switch (await this.store.printers.deleteContainer(id)) {
      case 'deleted':
        return container;
      case 'not_found':
        throw containerNotFound(id);
      case 'not_empty':
        throw new ApiError(
          409,
          'invalid_request',
          `The container "${container.name}" still holds containers or print queues. Delete or move them first.`,
        );
    }
  }

  async createQueue(input: NewQueueInput): Promise<QueueRecord> {
    if (input.containerId !== null) await this.requireContainer(input.containerId);
    await this.requireGroups(input.groups);
    return this.mapQueueErrors(input.name, input.containerId, () =>
      this.store.printers.createQueue({ ...input, createdAt: this.now().toISOString() }),
    );
  }

  async updateQueue(id: number, changes: QueueChanges): Promise<QueueRecord> {
    if (changes.containerId != null) await this.requireContainer(changes.containerId);
    if (changes.groups !== undefined) await this.requireGroups(changes.groups);
    const updated = await this.mapQueueErrors(changes.name ?? '', changes.containerId ?? null, () =>
      this.store.printers.updateQueue(id, changes),
    );
    const queue = updated ? await this.store.printers.findQueue(id) : undefined;
    if (!queue) throw queueNotFound(id);
    return queue;
  }

  async deleteQueue(id: number): Promise<QueueRecord> {
    const queue = await this.store.printers.findQueue(id);
    if (!queue || !(await this.store.printers.deleteQueue(id))) throw queueNotFound(id);
    return queue;
  }

  private async visibleQueues(user: UserRecord): Promise<QueueRecord[]> {
    const [queues, groups] = await Promise.all([
      this.store.printers.listQueues(),
      this.store.groupsOfUser(user.id),
    ]);
    return queues.filter((q) => canSeeQueue(q, groups));
  }

  private async requireContainer(id: number): Promise<ContainerRecord> {
    const container = await this.store.printers.findContainer(id);
    if (!container) throw containerNotFound(id);
    return container;
  }

  private async requireGroups(groups: string[] | null): Promise<void> {
    if (groups === null) return;
    const known = new Set((await this.store.listGroups()).map((g) => g.name));
    const unknown = groups.filter((g) => !known.has(g));
    if (unknown.length > 0) {
      throw new ApiError(
        400,
        'invalid_request',
        `No such group: ${unknown.map((g) => `"${g}"`).join(', ')}. Create the group first or pick another.`,
      );
    }
  }

  private async mapQueueErrors<T>(
    name: string,
    containerId: number | null,
    task: () => Promise<T>,
  ): Promise<T> {
    try {
      return await task();
    } catch (error) {
      if (error instanceof DuplicateError) {
        throw new ApiError(
          409,
          'already_exists',
          `A print queue "${name}" already exists. Choose another name.`,
        );
      }
      if (error instanceof MissingReferenceError) throw containerNotFound(containerId ?? 0);
      throw error;
    }
  }
}

function containerNotFound(id: number): ApiError {
  return new ApiError(404, 'not_found', `There is no container ${id}. Reload the list.`);
}

function queueNotFound(id: number): ApiError {
  return new ApiError(404, 'not_found', `There is no print queue ${id}. Reload the list.`);
}
