import type { SessionInfo } from '../api-types.ts';
import { Loaded, PageHeader, useAction, useResource } from '../components.tsx';
import { usePortal } from '../context.ts';
import { SessionTable } from './sessions.tsx';

/** Where I am logged in; I can end any session (the current one logs me out). */
export function MySessions(props: { onLogout: () => void }) {
  const { t, api, can } = usePortal();
  const resource = useResource(
    () => api.get<{ sessions: SessionInfo[] }>('/me/sessions').then((r) => r.sessions),
    [],
  );
  const action = useAction();
  const end = async (session: SessionInfo) => {
    if (session.current) return props.onLogout();
    const done = await action.succeeds(
      () => api.delete(`/me/sessions/${session.id}`),
      'sessions.ended',
    );
    if (done) resource.reload();
  };
  return (
    <>
      <PageHeader title={t('sessions.title')} intro={t('sessions.intro')} />
      {action.message}
      <Loaded resource={resource}>
        {(sessions) =>
          sessions.length === 0 ? (
            <p class="empty">{t('sessions.none')}</p>
          ) : (
            <SessionTable
              sessions={sessions}
              endLabel={t('sessions.end')}
              busy={action.busy}
              canEnd={can('ModifyMyProfile')}
              onEnd={(s) => void end(s)}
            />
          )
        }
      </Loaded>
    </>
  );
}
