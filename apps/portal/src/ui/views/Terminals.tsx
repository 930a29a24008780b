import { useState } from 'preact/hooks';
import { segment } from '../api.ts';
import type { Terminal } from '../api-types.ts';
import {
  ConfirmButton,
  PageHeader,
  ResourceTable,
  SaveOrCancel,
  SecretBox,
  Section,
  TextField,
  useAction,
  useResource,
} from '../components.tsx';
import { usePortal } from '../context.ts';

/**
 * Terminals (kiosks, MFD panels): add one (its token is shown once), rename, revoke. The token
 * lives only in this component's state until "Done" or leaving the page.
 */
export function Terminals() {
  const { t, api, formatDate } = usePortal();
  const terminals = useResource(
    () => api.get<{ terminals: Terminal[] }>('/terminals').then((r) => r.terminals),
    [],
  );
  const [name, setName] = useState('');
  const [added, setAdded] = useState<{ name: string; token: string } | null>(null);
  const [renaming, setRenaming] = useState<{ from: string; to: string } | null>(null);
  const action = useAction();

  const add = async (event: Event) => {
    event.preventDefault();
    setAdded(null);
    const result = await action.run(() =>
      api.post<{ terminal: Terminal; token: string }>('/terminals', { name }),
    );
    if (result) {
      setAdded({ name: result.terminal.name, token: result.token });
      setName('');
      terminals.reload();
    }
  };
  const rename = async (event: Event) => {
    event.preventDefault();
    if (!renaming) return;
    const done = await action.run(
      () => api.patch<Terminal>(`/terminals/${segment(renaming.from)}`, { name: renaming.to }),
      'terminals.renamed',
    );
    if (done) {
      setRenaming(null);
      terminals.reload();
    }
  };
  const revoke = async (terminal: string) => {
    const done = await action.run(
      () => api.post<Terminal>(`/terminals/${segment(terminal)}/revoke`),
      'terminals.revokedDone',
    );
    if (done) terminals.reload();
  };

  const columns = [
    t('terminals.name'),
    t('terminals.status'),
    t('terminals.lastSeen'),
    t('terminals.created'),
    t('terminals.cards'),
    t('common.actions'),
  ];
  return (
    <>
      <PageHeader title={t('terminals.title')} intro={t('terminals.intro')} />
      <Section title={t('terminals.addTitle')}>
        {added ? (
          <SecretBox
            title={t('terminals.tokenTitle', { name: added.name })}
            secret={added.token}
            details={[t('terminals.tokenHint')]}
            onDone={() => setAdded(null)}
          />
        ) : (
          <form class="inline-form" onSubmit={(e) => void add(e)}>
            <TextField
              label={t('terminals.name')}
              value={name}
              onValue={setName}
              required
              maxLength={100}
              hint={t('terminals.nameHint')}
            />
            <div class="actions">
              <button type="submit" class="primary" disabled={action.busy}>
                {t('terminals.add')}
              </button>
            </div>
          </form>
        )}
      </Section>
      {action.message}
      {renaming && (
        <form class="panel inline-form" onSubmit={(e) => void rename(e)}>
          <TextField
            label={t('terminals.newName', { name: renaming.from })}
            value={renaming.to}
            onValue={(to) => setRenaming({ ...renaming, to })}
            required
            maxLength={100}
            autoFocus
          />
          <SaveOrCancel busy={action.busy} onCancel={() => setRenaming(null)} />
        </form>
      )}
      <ResourceTable
        resource={terminals}
        columns={columns}
        caption={t('terminals.title')}
        empty={t('terminals.none')}
        row={(terminal) => (
          <tr key={terminal.name} class={terminal.revokedAt ? 'disabled' : undefined}>
            <td data-label={columns[0]}>{terminal.name}</td>
            <td data-label={columns[1]}>
              {terminal.revokedAt ? (
                <span class="badge badge-off">
                  {t('terminals.revokedAt', { date: formatDate(terminal.revokedAt) })}
                </span>
              ) : (
                <span class="badge badge-on">{t('terminals.active')}</span>
              )}
            </td>
            <td data-label={columns[2]}>
              {terminal.lastSeenAt ? formatDate(terminal.lastSeenAt) : t('common.never')}
            </td>
            <td data-label={columns[3]}>{formatDate(terminal.createdAt)}</td>
            <td data-label={columns[4]}>{terminal.cards}</td>
            <td data-label={columns[5]}>
              <span class="row-actions">
                <button
                  type="button"
                  class="secondary"
                  disabled={action.busy}
                  aria-label={`${t('terminals.rename')}: ${terminal.name}`}
                  onClick={() => {
                    action.clear();
                    setRenaming({ from: terminal.name, to: terminal.name });
                  }}
                >
                  {t('terminals.rename')}
                </button>
                {!terminal.revokedAt && (
                  <ConfirmButton
                    label={t('terminals.revoke')}
                    question={t('terminals.reallyRevoke')}
                    disabled={action.busy}
                    onConfirm={() => void revoke(terminal.name)}
                  />
                )}
              </span>
            </td>
          </tr>
        )}
      />
    </>
  );
}
