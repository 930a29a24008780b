import { useState } from 'preact/hooks';
import { queryString } from '../api.ts';
import type { AuditEvent } from '../api-types.ts';
import {
  Loaded,
  PageHeader,
  Pager,
  SelectField,
  Table,
  TextField,
  useResource,
} from '../components.tsx';
import { usePortal } from '../context.ts';
import type { AuditFilters } from '../router.ts';
import type { MessageKey } from '../i18n/i18n.ts';

export const AUDIT_PAGE_SIZE = 50;

const OUTCOMES: Record<string, MessageKey> = {
  success: 'audit.success',
  failure: 'audit.failure',
  denied: 'audit.denied',
};

/** `2026-01-01T10:00` (a datetime-local field, local time) as an ISO instant, or undefined. */
export function localToIso(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** An ISO instant as a datetime-local field shows it (local time, minutes). */
export function isoToLocal(value: string | undefined): string {
  if (!value) return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The audit log with filters; newest first, paged. */
export function Audit(props: { filters: AuditFilters }) {
  const { t, api, navigate, formatDate } = usePortal();
  const { filters } = props;
  const [draft, setDraft] = useState({
    action: filters.action ?? '',
    actor: filters.actor ?? '',
    subject: filters.subject ?? '',
    outcome: filters.outcome ?? '',
    from: isoToLocal(filters.from),
    to: isoToLocal(filters.to),
  });
  const set = (key: keyof typeof draft) => (value: string) =>
    setDraft((d) => ({ ...d, [key]: value }));
  const events = useResource(
    () =>
      api.get<{ events: AuditEvent[]; total: number }>(
        `/audit${queryString({
          action: filters.action,
          actor: filters.actor,
          subject: filters.subject,
          outcome: filters.outcome,
          from: filters.from,
          to: filters.to,
          limit: AUDIT_PAGE_SIZE,
          offset: (filters.page - 1) * AUDIT_PAGE_SIZE,
        })}`,
      ),
    [
      filters.action,
      filters.actor,
      filters.subject,
      filters.outcome,
      filters.from,
      filters.to,
      filters.page,
    ],
  );
  const apply = (event: Event) => {
    event.preventDefault();
    navigate({
      name: 'audit',
      filters: {
        action: draft.action.trim() || undefined,
        actor: draft.actor.trim() || undefined,
        subject: draft.subject.trim() || undefined,
        outcome: draft.outcome || undefined,
        from: localToIso(draft.from),
        to: localToIso(draft.to),
        page: 1,
      },
    });
  };
  const columns = [
    t('audit.at'),
    t('audit.action'),
    t('audit.outcome'),
    t('audit.actor'),
    t('audit.subject'),
    t('audit.terminal'),
    t('audit.card'),
    t('audit.detail'),
  ];
  const none = t('common.none');
  return (
    <>
      <PageHeader title={t('audit.title')} />
      <form class="filters" role="search" onSubmit={apply}>
        <TextField
          label={t('audit.action')}
          value={draft.action}
          onValue={set('action')}
          placeholder="pin.generate"
        />
        <TextField
          label={t('audit.actor')}
          value={draft.actor}
          onValue={set('actor')}
          placeholder="user:ada"
        />
        <TextField
          label={t('audit.subject')}
          value={draft.subject}
          onValue={set('subject')}
          placeholder="user:ada"
        />
        <SelectField
          label={t('audit.outcome')}
          value={draft.outcome}
          onValue={set('outcome')}
          options={[
            { value: '', label: t('common.any') },
            ...Object.entries(OUTCOMES).map(([value, key]) => ({ value, label: t(key) })),
          ]}
        />
        <TextField
          label={t('audit.from')}
          type="datetime-local"
          value={draft.from}
          onValue={set('from')}
        />
        <TextField
          label={t('audit.to')}
          type="datetime-local"
          value={draft.to}
          onValue={set('to')}
        />
        <div class="filter-actions">
          <button type="submit" class="primary">
            {t('audit.apply')}
          </button>
        </div>
      </form>
      <Loaded resource={events}>
        {({ events: rows, total }) => (
          <>
            {rows.length === 0 ? (
              <p class="empty">{t('audit.none')}</p>
            ) : (
              <Table columns={columns} caption={t('audit.title')}>
                {rows.map((e) => {
                  const outcome = OUTCOMES[e.outcome];
                  return (
                    <tr key={e.id} class={`outcome-${e.outcome}`}>
                      <td data-label={columns[0]}>{formatDate(e.at)}</td>
                      <td data-label={columns[1]}>
                        <code>{e.action}</code>
                      </td>
                      <td data-label={columns[2]}>{outcome ? t(outcome) : e.outcome}</td>
                      <td data-label={columns[3]}>{e.actor ?? none}</td>
                      <td data-label={columns[4]}>{e.subject ?? none}</td>
                      <td data-label={columns[5]}>{e.terminal ?? none}</td>
                      <td data-label={columns[6]}>{e.card ?? none}</td>
                      <td data-label={columns[7]}>{e.detail ?? none}</td>
                    </tr>
                  );
                })}
              </Table>
            )}
            <Pager
              page={filters.page}
              pageSize={AUDIT_PAGE_SIZE}
              shown={rows.length}
              total={total}
              onPage={(page) => navigate({ name: 'audit', filters: { ...filters, page } })}
            />
          </>
        )}
      </Loaded>
    </>
  );
}
