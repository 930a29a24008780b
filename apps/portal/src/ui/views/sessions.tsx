import type { SessionInfo } from '../api-types.ts';
import { ConfirmButton, Table } from '../components.tsx';
import { usePortal } from '../context.ts';

/** Sessions as a table (cards on phones); the current one is marked and ends by logging out. */
export function SessionTable(props: {
  sessions: SessionInfo[];
  endLabel: string;
  onEnd: (session: SessionInfo) => void;
  busy: boolean;
  canEnd: boolean;
}) {
  const { t, formatDate } = usePortal();
  const columns = [
    t('sessions.client'),
    t('sessions.userAgent'),
    t('sessions.created'),
    t('sessions.expires'),
    t('common.actions'),
  ];
  return (
    <Table columns={columns}>
      {props.sessions.map((s) => (
        <tr key={s.id} class={s.current ? 'current' : undefined} data-session={s.id}>
          <td data-label={columns[0]}>
            <span>
              {s.clientId}
              {s.current && <span class="badge">{t('sessions.current')}</span>}
            </span>
          </td>
          <td data-label={columns[1]} class="user-agent">
            {s.userAgent ?? t('sessions.unknownAgent')}
          </td>
          <td data-label={columns[2]}>{formatDate(s.createdAt)}</td>
          <td data-label={columns[3]}>{formatDate(s.expiresAt)}</td>
          <td data-label={columns[4]}>
            {props.canEnd && (
              <ConfirmButton
                label={s.current ? t('nav.logout') : props.endLabel}
                question={t('sessions.end')}
                disabled={props.busy}
                onConfirm={() => props.onEnd(s)}
              />
            )}
          </td>
        </tr>
      ))}
    </Table>
  );
}
