import { useState } from 'preact/hooks';
import { segment } from '../api.ts';
import type { Group } from '../api-types.ts';
import {
  Checkbox,
  Notice,
  PageHeader,
  ResourceTable,
  SaveOrCancel,
  useAction,
  useResource,
} from '../components.tsx';
import { usePortal } from '../context.ts';

/** The roles the server knows (`ROLES` in apps/server/src/permissions.ts). */
const ROLE_NAMES = [
  'self-service',
  'card-manager',
  'user-manager',
  'auditor',
  'administrator',
] as const;

/** Groups with their roles and member counts; changing roles needs ManageSettings. */
export function Groups() {
  const { t, api, can } = usePortal();
  const groups = useResource(
    () => api.get<{ groups: Group[] }>('/groups').then((r) => r.groups),
    [],
  );
  const [editing, setEditing] = useState<{ name: string; roles: string[] } | null>(null);
  const action = useAction();
  const mayEdit = can('ManageSettings');

  const save = async (event: Event) => {
    event.preventDefault();
    if (!editing) return;
    const done = await action.succeeds(
      () => api.put(`/groups/${segment(editing.name)}/roles`, { roles: editing.roles }),
      'groups.saved',
    );
    if (done) {
      setEditing(null);
      groups.reload();
    }
  };
  const toggle = (role: string, on: boolean) =>
    editing &&
    setEditing({
      ...editing,
      // Kept in the server's order, so the list reads the same after saving.
      roles: ROLE_NAMES.filter((r) => (r === role ? on : editing.roles.includes(r))),
    });

  const columns = [
    t('groups.name'),
    t('groups.members'),
    t('groups.roles'),
    ...(mayEdit ? [t('common.actions')] : []),
  ];
  return (
    <>
      <PageHeader title={t('groups.title')} intro={t('groups.intro')} />
      {!mayEdit && <Notice kind="info">{t('groups.readOnly')}</Notice>}
      {action.message}
      {editing && (
        <form class="panel" onSubmit={(e) => void save(e)}>
          <fieldset class="choices">
            <legend>{t('groups.editTitle', { name: editing.name })}</legend>
            {ROLE_NAMES.map((role) => (
              <Checkbox
                key={role}
                label={role}
                checked={editing.roles.includes(role)}
                onChange={(on) => toggle(role, on)}
              />
            ))}
          </fieldset>
          <SaveOrCancel busy={action.busy} onCancel={() => setEditing(null)} />
        </form>
      )}
      <ResourceTable
        resource={groups}
        columns={columns}
        caption={t('groups.title')}
        empty={t('groups.none')}
        row={(group) => (
          <tr key={group.name} class={editing?.name === group.name ? 'current' : undefined}>
            <td data-label={columns[0]}>
              {group.name}
              {group.builtin && <span class="badge">{t('groups.builtin')}</span>}
            </td>
            <td data-label={columns[1]}>{group.members}</td>
            <td data-label={columns[2]}>
              {group.roles.length > 0 ? group.roles.join(', ') : t('groups.noRoles')}
            </td>
            {mayEdit && (
              <td data-label={columns[3]}>
                <button
                  type="button"
                  class="secondary"
                  aria-label={`${t('groups.edit')}: ${group.name}`}
                  onClick={() => {
                    action.clear();
                    setEditing({ name: group.name, roles: [...group.roles] });
                  }}
                >
                  {t('groups.edit')}
                </button>
              </td>
            )}
          </tr>
        )}
      />
    </>
  );
}
