import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import {
  ALL_USERS_GROUP,
  type AdminQueue,
  type Group,
  type PrinterContainer,
  type PrinterTree,
} from '../api-types.ts';
import {
  Checkbox,
  ConfirmButton,
  Loaded,
  PageHeader,
  SaveOrCancel,
  Section,
  SelectField,
  TextField,
  useAction,
  useResource,
} from '../components.tsx';
import { usePortal } from '../context.ts';
import {
  containerPaths,
  PrinterTreeView,
  queuePlaces,
  TreeTools,
  useTreeExpansion,
} from './printer-tree.tsx';

const TOP = '';

/**
 * Containers and print queues: create; per queue, toggle "available by default", edit its name,
 * container and who sees it; delete (containers only when empty), each after a question that
 * says what deleting does.
 */
export function AdminPrinters() {
  const { t, api } = usePortal();
  const resource = useResource(() => api.get<PrinterTree<AdminQueue>>('/printers'), []);
  const groups = useResource(() => api.get<{ groups: Group[] }>('/groups'), []);
  return (
    <>
      <PageHeader title={t('adminPrinters.title')} intro={t('adminPrinters.intro')} />
      <Loaded resource={resource}>
        {(tree) => (
          <PrinterAdmin
            tree={tree}
            groups={(groups.data?.groups ?? []).map((g) => g.name)}
            onChanged={resource.reload}
          />
        )}
      </Loaded>
    </>
  );
}

function PrinterAdmin(props: {
  tree: PrinterTree<AdminQueue>;
  groups: string[];
  onChanged: () => void;
}) {
  const { t, api } = usePortal();
  const action = useAction();
  // New containers show up open.
  const expansion = useTreeExpansion(props.tree.containers, 'all');
  /** The queue whose editor is open. */
  const [editing, setEditing] = useState<number | null>(null);
  const editorId = useId();
  const placeOf = queuePlaces(props.tree);
  const places = [
    { value: TOP, label: t('adminPrinters.topLevel') },
    ...containerPaths(props.tree.containers).map((c) => ({ value: String(c.id), label: c.path })),
  ];
  /** Sends one change; true once it is saved and the tree reloads. */
  const change = async (task: () => Promise<unknown>) => {
    const done = await action.succeeds(task, 'adminPrinters.saved');
    if (done) props.onChanged();
    return done;
  };
  /** Delete, after a question whose confirming button says "Delete …" again. */
  const deleteButton = (label: string, question: string, path: string) => (
    <ConfirmButton
      label={label}
      question={question}
      confirmLabel={label}
      disabled={action.busy}
      onConfirm={() => void change(() => api.delete(path))}
    />
  );

  return (
    <>
      {/* While a queue is edited, its editor shows how saving went, where the admin looks. */}
      {editing === null && action.message}
      <div class="printer-forms">
        <NewContainer
          places={places}
          onCreate={(body) => change(() => api.post('/printers/containers', body))}
          busy={action.busy}
        />
        <NewQueue
          places={places}
          groups={props.groups}
          busy={action.busy}
          onCreate={(body) => change(() => api.post('/printers/queues', body))}
        />
      </div>
      <Section title={t('adminPrinters.treeTitle')}>
        {props.tree.containers.length === 0 && props.tree.queues.length === 0 ? (
          <p class="empty">{t('adminPrinters.none')}</p>
        ) : (
          <>
            <TreeTools expansion={expansion} />
            <PrinterTreeView
              tree={props.tree}
              label={t('adminPrinters.treeTitle')}
              expanded={expansion.expanded}
              onToggle={expansion.toggle}
              renderContainerActions={(container) =>
                isEmpty(container) ? (
                  deleteButton(
                    t('adminPrinters.deleteContainer'),
                    t('adminPrinters.deleteContainerQuestion', { name: container.name }),
                    `/printers/containers/${container.id}`,
                  )
                ) : (
                  // Nothing to confirm: the server would refuse. Say why at once.
                  <button
                    type="button"
                    class="danger"
                    disabled={action.busy}
                    onClick={() => action.fail('adminPrinters.containerNotEmpty')}
                  >
                    {t('adminPrinters.deleteContainer')}
                  </button>
                )
              }
              renderQueue={(queue) => (
                <>
                  <div class="tree-row queue-admin" data-queue={queue.name}>
                    <span class="queue-name">{queue.name}</span>
                    <span class="hint">
                      {t('adminPrinters.visibleTo')}:{' '}
                      {queue.groups === null
                        ? t('adminPrinters.allUsers')
                        : queue.groups.join(', ') || t('common.none')}
                    </span>
                    <Checkbox
                      label={t('adminPrinters.availableByDefault')}
                      checked={queue.availableByDefault}
                      disabled={action.busy}
                      onChange={(availableByDefault) =>
                        void change(() =>
                          api.patch(`/printers/queues/${queue.id}`, { availableByDefault }),
                        )
                      }
                    />
                    <button
                      type="button"
                      class="secondary"
                      aria-expanded={editing === queue.id}
                      aria-controls={editing === queue.id ? editorId : undefined}
                      disabled={action.busy}
                      onClick={() => {
                        // An earlier outcome would read as this editor's.
                        action.clear();
                        setEditing(editing === queue.id ? null : queue.id);
                      }}
                    >
                      {t('adminPrinters.edit')}
                    </button>
                    {deleteButton(
                      t('adminPrinters.deleteQueue'),
                      t('adminPrinters.deleteQueueQuestion', { name: queue.name }),
                      `/printers/queues/${queue.id}`,
                    )}
                  </div>
                  {editing === queue.id && (
                    <QueueEditor
                      id={editorId}
                      message={action.message}
                      queue={queue}
                      containerId={placeOf.get(queue.id) ?? null}
                      places={places}
                      groups={props.groups}
                      busy={action.busy}
                      onCancel={() => setEditing(null)}
                      onSave={async (changes) => {
                        const saved =
                          Object.keys(changes).length === 0 ||
                          (await change(() => api.patch(`/printers/queues/${queue.id}`, changes)));
                        if (saved) setEditing(null);
                      }}
                    />
                  )}
                </>
              )}
            />
          </>
        )}
      </Section>
    </>
  );
}

type Places = Array<{ value: string; label: string }>;
const placeId = (value: string) => (value === TOP ? null : Number(value));
const placeValue = (id: number | null) => (id === null ? TOP : String(id));
const isEmpty = (container: PrinterContainer<AdminQueue>) =>
  container.containers.length === 0 && container.queues.length === 0;

interface QueueChanges {
  name?: string;
  containerId?: number | null;
  groups?: string[] | null;
}

/** Changes one queue: name, container, who sees it. Only what changed is sent. */
function QueueEditor(props: {
  id: string;
  message: ComponentChildren;
  queue: AdminQueue;
  containerId: number | null;
  places: Places;
  groups: string[];
  busy: boolean;
  onSave: (changes: QueueChanges) => Promise<void>;
  onCancel: () => void;
}) {
  const { t } = usePortal();
  const [name, setName] = useState(props.queue.name);
  const [place, setPlace] = useState(placeValue(props.containerId));
  const [groups, setGroups] = useState<string[] | null>(props.queue.groups);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => form.current?.querySelector('input')?.focus(), []);
  const sameGroups = (a: string[] | null, b: string[] | null) =>
    a === null || b === null ? a === b : [...a].sort().join('\n') === [...b].sort().join('\n');
  return (
    <form
      id={props.id}
      ref={form}
      class="form queue-editor"
      aria-label={t('adminPrinters.editQueue', { name: props.queue.name })}
      onSubmit={(e) => {
        e.preventDefault();
        const changes: QueueChanges = {};
        if (name.trim() !== props.queue.name) changes.name = name;
        if (placeId(place) !== props.containerId) changes.containerId = placeId(place);
        if (!sameGroups(groups, props.queue.groups)) changes.groups = groups;
        void props.onSave(changes);
      }}
    >
      {props.message}
      <TextField label={t('adminPrinters.queueName')} value={name} onValue={setName} required />
      <PlaceField places={props.places} value={place} onValue={setPlace} />
      <VisibilityChoice groups={props.groups} value={groups} onChange={setGroups} />
      <SaveOrCancel busy={props.busy} onCancel={props.onCancel} />
    </form>
  );
}

/** "Inside": the top level or a container, named by its path. */
function PlaceField(props: { places: Places; value: string; onValue: (value: string) => void }) {
  const { t } = usePortal();
  return (
    <SelectField
      label={t('adminPrinters.inside')}
      value={props.value}
      onValue={props.onValue}
      options={props.places}
    />
  );
}

/** "Visible to": all users (null), or the chosen groups. */
function VisibilityChoice(props: {
  groups: string[];
  value: string[] | null;
  onChange: (value: string[] | null) => void;
}) {
  const { t } = usePortal();
  // Ticking "All users" and back keeps the groups chosen before.
  const [lastChosen, setLastChosen] = useState<string[]>(props.value ?? []);
  const chosen = props.value ?? [];
  // A group the queue names but the list lacks (still loading, or just deleted) stays visible.
  // ALL USERS is the "All users" box already: offered twice it would only confuse.
  const offered = [...new Set([...props.groups.filter((g) => g !== ALL_USERS_GROUP), ...chosen])];
  const choose = (next: string[]) => {
    setLastChosen(next);
    props.onChange(next);
  };
  return (
    <fieldset class="choices">
      <legend>{t('adminPrinters.visibleTo')}</legend>
      <Checkbox
        label={t('adminPrinters.allUsers')}
        checked={props.value === null}
        onChange={(everybody) => props.onChange(everybody ? null : lastChosen)}
      />
      {props.value !== null && (
        <>
          {offered.map((group) => (
            <Checkbox
              key={group}
              label={group}
              checked={chosen.includes(group)}
              onChange={(on) => choose(on ? [...chosen, group] : chosen.filter((g) => g !== group))}
            />
          ))}
          {chosen.length === 0 && <p class="hint">{t('adminPrinters.nobody')}</p>}
        </>
      )}
    </fieldset>
  );
}

function NewContainer(props: {
  places: Places;
  busy: boolean;
  onCreate: (body: { name: string; parentId: number | null }) => Promise<boolean>;
}) {
  const { t } = usePortal();
  const [name, setName] = useState('');
  const [parent, setParent] = useState(TOP);
  return (
    <Section title={t('adminPrinters.newContainer')}>
      <form
        class="form"
        onSubmit={(e) => {
          e.preventDefault();
          void props.onCreate({ name, parentId: placeId(parent) }).then((ok) => ok && setName(''));
        }}
      >
        <TextField
          label={t('adminPrinters.containerName')}
          value={name}
          onValue={setName}
          required
        />
        <PlaceField places={props.places} value={parent} onValue={setParent} />
        <button type="submit" class="primary" disabled={props.busy}>
          {t('adminPrinters.createContainer')}
        </button>
      </form>
    </Section>
  );
}

function NewQueue(props: {
  places: Places;
  groups: string[];
  busy: boolean;
  onCreate: (body: {
    name: string;
    containerId: number | null;
    availableByDefault: boolean;
    groups: string[] | null;
  }) => Promise<boolean>;
}) {
  const { t } = usePortal();
  const [name, setName] = useState('');
  const [place, setPlace] = useState(TOP);
  const [byDefault, setByDefault] = useState(false);
  const [groups, setGroups] = useState<string[] | null>(null);
  return (
    <Section title={t('adminPrinters.newQueue')}>
      <form
        class="form"
        onSubmit={(e) => {
          e.preventDefault();
          void props
            .onCreate({
              name,
              containerId: placeId(place),
              availableByDefault: byDefault,
              groups,
            })
            .then((ok) => ok && setName(''));
        }}
      >
        <TextField label={t('adminPrinters.queueName')} value={name} onValue={setName} required />
        <PlaceField places={props.places} value={place} onValue={setPlace} />
        <Checkbox
          label={t('adminPrinters.availableByDefault')}
          checked={byDefault}
          onChange={setByDefault}
        />
        <VisibilityChoice groups={props.groups} value={groups} onChange={setGroups} />
        <button type="submit" class="primary" disabled={props.busy}>
          {t('adminPrinters.createQueue')}
        </button>
      </form>
    </Section>
  );
}
