import { useId, useMemo, useState } from 'preact/hooks';
import type { MyQueue, PrinterTree } from '../api-types.ts';
import { Loaded, PageHeader, useAction, useResource } from '../components.tsx';
import { usePortal } from '../context.ts';
import { PrinterTreeView, queuesOf, TreeTools, useTreeExpansion } from './printer-tree.tsx';

const sameSet = (a: ReadonlySet<number>, b: ReadonlySet<number>) =>
  a.size === b.size && [...a].every((x) => b.has(x));

/** My favourite print queues, picked in the tree of queues I may see (SAFEQ "Printers" tab). */
export function MyPrinters() {
  const { t, api } = usePortal();
  const resource = useResource(() => api.get<PrinterTree<MyQueue>>('/me/printers'), []);
  return (
    <>
      <PageHeader title={t('myPrinters.title')} intro={t('myPrinters.intro')} />
      <Loaded resource={resource}>{(tree) => <FavouritesForm tree={tree} />}</Loaded>
    </>
  );
}

function FavouritesForm({ tree }: { tree: PrinterTree<MyQueue> }) {
  const { t, api } = usePortal();
  const initial = useMemo(
    () =>
      new Set(
        queuesOf(tree)
          .filter((q) => q.favourite && !q.availableByDefault)
          .map((q) => q.id),
      ),
    [tree],
  );
  const [saved, setSaved] = useState<ReadonlySet<number>>(initial);
  const [chosen, setChosen] = useState<ReadonlySet<number>>(initial);
  const expansion = useTreeExpansion(tree.containers, 'first-level');
  const action = useAction();
  const idPrefix = useId();
  const dirty = !sameSet(saved, chosen);

  if (tree.containers.length === 0 && tree.queues.length === 0) {
    return <p class="empty">{t('myPrinters.none')}</p>;
  }

  const toggleQueue = (id: number, on: boolean) => {
    action.clear();
    setChosen((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  };
  const save = async (event: Event) => {
    event.preventDefault();
    const queueIds = [...chosen];
    const done = await action.succeeds(
      () => api.put('/me/printers/favourites', { queueIds }),
      'myPrinters.saved',
    );
    if (done) setSaved(new Set(queueIds));
  };

  return (
    <form class="form printers" onSubmit={(e) => void save(e)}>
      <TreeTools expansion={expansion} />
      <PrinterTreeView
        tree={tree}
        label={t('myPrinters.tree')}
        expanded={expansion.expanded}
        onToggle={expansion.toggle}
        renderQueue={(queue) => {
          const id = `${idPrefix}-q${queue.id}`;
          return (
            <div class="check tree-check">
              <input
                id={id}
                type="checkbox"
                checked={queue.availableByDefault || chosen.has(queue.id)}
                disabled={queue.availableByDefault}
                aria-describedby={queue.availableByDefault ? `${id}-hint` : undefined}
                onChange={(e) => toggleQueue(queue.id, e.currentTarget.checked)}
              />
              <label for={id}>
                {queue.name}
                {queue.availableByDefault && (
                  <span class="badge" id={`${id}-hint`}>
                    {t('myPrinters.byDefault')}
                  </span>
                )}
              </label>
            </div>
          );
        }}
      />
      {action.message}
      <div class="actions">
        <button type="submit" class="primary" disabled={!dirty || action.busy}>
          {action.busy ? t('common.saving') : t('myPrinters.save')}
        </button>
        {dirty && <span class="hint">{t('myPrinters.unsaved')}</span>}
      </div>
    </form>
  );
}
