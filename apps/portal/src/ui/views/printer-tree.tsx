import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { PrinterContainer, PrinterTree } from '../api-types.ts';
import { usePortal } from '../context.ts';

/** Every container id of a tree, depth first. */
export function containerIds<Q>(containers: Array<PrinterContainer<Q>>): number[] {
  return containers.flatMap((c) => [c.id, ...containerIds(c.containers)]);
}

/** Every queue of a tree. */
export function queuesOf<Q>(tree: PrinterTree<Q>): Q[] {
  const inside = (containers: Array<PrinterContainer<Q>>): Q[] =>
    containers.flatMap((c) => [...c.queues, ...inside(c.containers)]);
  return [...tree.queues, ...inside(tree.containers)];
}

/** Where each queue of a tree sits: its container's id, or null at the top level. */
export function queuePlaces<Q extends { id: number }>(
  tree: PrinterTree<Q>,
): Map<number, number | null> {
  const places = new Map<number, number | null>(tree.queues.map((q) => [q.id, null]));
  const walk = (containers: Array<PrinterContainer<Q>>) => {
    for (const container of containers) {
      for (const queue of container.queues) places.set(queue.id, container.id);
      walk(container.containers);
    }
  };
  walk(tree.containers);
  return places;
}

/** Containers with their path ("Building A / Floor 1"), for choosing where something goes. */
export function containerPaths<Q>(
  containers: Array<PrinterContainer<Q>>,
  prefix = '',
): Array<{ id: number; path: string }> {
  return containers.flatMap((c) => {
    const path = prefix ? `${prefix} / ${c.name}` : c.name;
    return [{ id: c.id, path }, ...containerPaths(c.containers, path)];
  });
}

/**
 * A tree of containers as nested lists: each container is a button with `aria-expanded` that
 * shows or hides what it holds (the disclosure pattern, which screen readers and keyboards
 * handle without custom key bindings).
 */
export function PrinterTreeView<Q extends { id: number }>(props: {
  tree: PrinterTree<Q>;
  label: string;
  expanded: ReadonlySet<number>;
  onToggle: (id: number) => void;
  renderQueue: (queue: Q) => ComponentChildren;
  renderContainerActions?: (container: PrinterContainer<Q>) => ComponentChildren;
}) {
  const list = (
    containers: Array<PrinterContainer<Q>>,
    queues: Q[],
    id?: string,
    hidden?: boolean,
  ) => (
    <ul class="tree-list" id={id} hidden={hidden}>
      {containers.map((container) => {
        const open = props.expanded.has(container.id);
        const childId = `printer-container-${container.id}`;
        return (
          <li key={`c${container.id}`} class="tree-container" data-container={container.name}>
            <div class="tree-row">
              <button
                type="button"
                class="tree-toggle"
                aria-expanded={open}
                aria-controls={childId}
                onClick={() => props.onToggle(container.id)}
              >
                <span class="tree-caret" aria-hidden="true">
                  {open ? '▾' : '▸'}
                </span>
                {container.name}
              </button>
              {props.renderContainerActions?.(container)}
            </div>
            {list(container.containers, container.queues, childId, !open)}
          </li>
        );
      })}
      {queues.map((queue) => (
        <li key={`q${queue.id}`} class="tree-queue">
          {props.renderQueue(queue)}
        </li>
      ))}
    </ul>
  );
  return (
    <div class="tree" role="group" aria-label={props.label}>
      {list(props.tree.containers, props.tree.queues)}
    </div>
  );
}

/** Which containers of a printer tree are open, and the ways to change that. */
export interface TreeExpansion {
  expanded: ReadonlySet<number>;
  toggle: (id: number) => void;
  expandAll: () => void;
  collapseAll: () => void;
}

/**
 * Open and closed containers of a tree that may change under it.
 * - `'all'`: everything starts open, and so does a container that appears later (an admin who
 *   just created one wants to see it): the hook remembers what was closed.
 * - `'first-level'`: the first level starts open, as in SAFEQ Cloud; a container that appears
 *   later starts closed: the hook remembers what is open.
 */
export function useTreeExpansion<Q>(
  containers: Array<PrinterContainer<Q>>,
  initiallyOpen: 'all' | 'first-level',
): TreeExpansion {
  const openByDefault = initiallyOpen === 'all';
  /** The containers whose state differs from the default: closed ones, or open ones. */
  const [exceptions, setExceptions] = useState<ReadonlySet<number>>(
    () => new Set(openByDefault ? [] : containers.map((c) => c.id)),
  );
  const allIds = containerIds(containers);
  const setAll = (open: boolean) => setExceptions(new Set(open === openByDefault ? [] : allIds));
  return {
    expanded: new Set(allIds.filter((id) => exceptions.has(id) !== openByDefault)),
    toggle: (id) =>
      setExceptions((current) => {
        const next = new Set(current);
        if (!next.delete(id)) next.add(id);
        return next;
      }),
    expandAll: () => setAll(true),
    collapseAll: () => setAll(false),
  };
}

/** The "Expand all" and "Collapse all" buttons above a printer tree. */
export function TreeTools({ expansion }: { expansion: TreeExpansion }) {
  const { t } = usePortal();
  return (
    <div class="tree-tools">
      <button type="button" class="secondary" onClick={expansion.expandAll}>
        {t('myPrinters.expandAll')}
      </button>
      <button type="button" class="secondary" onClick={expansion.collapseAll}>
        {t('myPrinters.collapseAll')}
      </button>
    </div>
  );
}
