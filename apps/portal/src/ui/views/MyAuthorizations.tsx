import { useEffect, useState } from 'preact/hooks';
import type { ConnectorAuthorization } from '../api-types.ts';
import { segment } from '../api.ts';
import {
  ConfirmButton,
  Notice,
  PageHeader,
  ResourceTable,
  useAction,
  useResource,
} from '../components.tsx';
import { usePortal } from '../context.ts';
import type { MessageKey } from '../i18n/i18n.ts';

/** How the server's OAuth callback says a flow ended (`?result=`), and what to tell the user. */
const RESULTS: Record<string, { kind: 'success' | 'error'; key: MessageKey }> = {
  authorized: { kind: 'success', key: 'authorizations.resultAuthorized' },
  denied: { kind: 'error', key: 'authorizations.resultDenied' },
  invalid_state: { kind: 'error', key: 'authorizations.resultInvalidState' },
  provider_unreachable: { kind: 'error', key: 'authorizations.resultUnreachable' },
  token_rejected: { kind: 'error', key: 'authorizations.resultRejected' },
  provider_error: { kind: 'error', key: 'authorizations.resultProviderError' },
  not_configured: { kind: 'error', key: 'authorizations.resultNotConfigured' },
};

/** A result this portal does not know (a newer server): a general error. */
const UNKNOWN_RESULT = { kind: 'error', key: 'authorizations.resultProviderError' } as const;

const STATUS: Record<ConnectorAuthorization['status'], MessageKey> = {
  authorized: 'authorizations.statusAuthorized',
  not_authorized: 'authorizations.statusNotAuthorized',
  expired: 'authorizations.statusExpired',
};

/** My authorizations for connector types, with Authorize (OAuth 2.0, at the provider) and Revoke. */
export function MyAuthorizations(props: { result?: string; connector?: string }) {
  const { t, api, can, navigate, formatDate } = usePortal();
  const resource = useResource(
    () =>
      api
        .get<{ authorizations: ConnectorAuthorization[] }>('/me/authorizations')
        .then((r) => r.authorizations),
    [],
  );
  // The outcome arrives once in the URL; keep it on screen, but not in the address bar.
  const [outcome] = useState(() =>
    props.result ? { result: props.result, connector: props.connector } : null,
  );
  useEffect(() => {
    if (props.result) navigate({ name: 'myAuthorizations' }, { replace: true });
  }, []);
  const action = useAction();

  const nameOf = (type: string | undefined) =>
    resource.data?.find((a) => a.type === type)?.name ?? type ?? '';
  // The result comes from the URL: only the table's own entries count (not "constructor").
  const known =
    outcome && (Object.hasOwn(RESULTS, outcome.result) ? RESULTS[outcome.result] : undefined);
  const shown = known ?? UNKNOWN_RESULT;
  const outcomeNotice = outcome && (
    <Notice kind={shown.kind}>{t(shown.key, { name: nameOf(outcome.connector) })}</Notice>
  );

  const authorize = async (authorization: ConnectorAuthorization) => {
    const started = await action.run(() =>
      api.post<{ redirectUrl: string }>(`/me/authorizations/${segment(authorization.type)}/start`),
    );
    if (started) window.location.assign(started.redirectUrl);
  };
  const revoke = async (authorization: ConnectorAuthorization) => {
    const done = await action.succeeds(
      () => api.delete(`/me/authorizations/${segment(authorization.type)}`),
      'authorizations.revoked',
    );
    if (done) resource.reload();
  };

  const columns = [
    t('authorizations.connector'),
    t('authorizations.status'),
    t('authorizations.since'),
    t('common.actions'),
  ];
  return (
    <>
      <PageHeader title={t('authorizations.title')} intro={t('authorizations.intro')} />
      {outcomeNotice}
      {action.message}
      <ResourceTable
        resource={resource}
        columns={columns}
        caption={t('authorizations.title')}
        empty={t('authorizations.none')}
        row={(a) => (
          <tr key={a.type} data-connector={a.type}>
            <td data-label={columns[0]}>{a.name}</td>
            <td data-label={columns[1]}>
              <span class={`status status-${a.status}`}>{t(STATUS[a.status])}</span>
            </td>
            <td data-label={columns[2]}>
              {a.authorizedAt ? formatDate(a.authorizedAt) : t('common.none')}
            </td>
            <td data-label={columns[3]}>
              {can('ModifyMyProfile') && (
                <span class="row-actions">
                  <button
                    type="button"
                    class={a.status === 'authorized' ? 'secondary' : 'primary'}
                    disabled={action.busy}
                    onClick={() => void authorize(a)}
                  >
                    {a.status === 'not_authorized'
                      ? t('authorizations.authorize')
                      : t('authorizations.reauthorize')}
                  </button>
                  {a.status !== 'not_authorized' && (
                    <ConfirmButton
                      label={t('authorizations.revoke')}
                      question={t('authorizations.revokeQuestion')}
                      disabled={action.busy}
                      onConfirm={() => void revoke(a)}
                    />
                  )}
                </span>
              )}
            </td>
          </tr>
        )}
      />
    </>
  );
}
