import { useState } from 'preact/hooks';
import { segment } from '../api.ts';
import {
  ALL_USERS_GROUP,
  type GeneratedOtp,
  type GeneratedPin,
  type Group,
  type SessionInfo,
  type UserDetail as User,
} from '../api-types.ts';
import {
  Checkbox,
  ConfirmButton,
  Link,
  Loaded,
  Notice,
  PageHeader,
  Section,
  SelectField,
  Table,
  TextField,
  useAction,
  useResource,
} from '../components.tsx';
import { usePortal } from '../context.ts';
import { accountLanguageOptions, type MessageKey } from '../i18n/i18n.ts';
import { GenerateSecrets } from './secrets.tsx';
import { SessionTable } from './sessions.tsx';

/** One user as an administrator manages them. */
export function UserDetail(props: { username: string }) {
  const { t, api } = usePortal();
  const path = `/users/${segment(props.username)}`;
  const user = useResource(() => api.get<User>(path), [path]);
  return (
    <>
      <PageHeader title={props.username}>
        <Link route={{ name: 'users', query: { page: 1 } }} class="button secondary">
          {t('user.back')}
        </Link>
      </PageHeader>
      <Loaded resource={user}>
        {(data) => <UserPanels key={data.username} user={data} path={path} reload={user.reload} />}
      </Loaded>
    </>
  );
}

function UserPanels(props: { user: User; path: string; reload: () => void }) {
  const { t, api, can, formatDate } = usePortal();
  const { user, path, reload } = props;
  return (
    <>
      {user.disabled && <Notice kind="warning">{t('user.disabledNote')}</Notice>}
      <DetailsPanel user={user} path={path} reload={reload} />
      <Section title={t('user.credentials')}>
        <p>
          <strong>{t('credentials.pin')}: </strong>
          {user.pin
            ? `${t('credentials.pinStatus', {
                length: user.pin.length,
                created: formatDate(user.pin.createdAt),
              })}, ${
                user.pin.expiresAt
                  ? t('credentials.pinExpires', { date: formatDate(user.pin.expiresAt) })
                  : t('credentials.pinNoExpiry')
              }`
            : t('credentials.noPin')}
        </p>
        <GenerateSecrets
          forUser={user.username}
          onGenerated={reload}
          otp={{
            label: t('user.generateOtp'),
            request: () => api.post<GeneratedOtp>(`${path}/otp`),
          }}
          pin={{
            label: t('user.generatePin'),
            request: () => api.post<GeneratedPin>(`${path}/pin`),
          }}
        />
        <UnlockButton path={path} />
      </Section>
      {user.source === 'local' && <PasswordPanel path={path} />}
      <GroupsPanel user={user} path={path} reload={reload} />
      {(can('ManageCards') || user.cards.length > 0) && (
        <CardsPanel user={user} path={path} reload={reload} />
      )}
      <SessionsPanel path={path} />
    </>
  );
}

function DetailsPanel(props: { user: User; path: string; reload: () => void }) {
  const { t, api, formatDate } = usePortal();
  const { user, path } = props;
  const local = user.source === 'local';
  const [fullName, setFullName] = useState(user.fullName);
  const [email, setEmail] = useState(user.email ?? '');
  const [language, setLanguage] = useState(user.language ?? '');
  const action = useAction();
  const save = async (event: Event) => {
    event.preventDefault();
    const done = await action.succeeds(
      () =>
        api.patch(path, {
          ...(local ? { fullName: fullName.trim(), email: email.trim() || null } : {}),
          language: language || null,
        }),
      'user.saved',
    );
    if (done) props.reload();
  };
  const toggle = async () => {
    const disabled = !user.disabled;
    const done = await action.succeeds(() => api.patch(path, { disabled }));
    if (done) props.reload();
  };
  return (
    <Section title={t('user.details')}>
      <p class="hint">
        {t('user.created', { date: formatDate(user.createdAt) })} ·{' '}
        {local ? t('profile.sourceLocal') : t('profile.sourceDirectory', { source: user.source })}
      </p>
      {!local && <Notice kind="info">{t('user.directoryNote', { source: user.source })}</Notice>}
      <form class="form" onSubmit={(e) => void save(e)}>
        <TextField
          label={t('users.fullName')}
          value={fullName}
          onValue={setFullName}
          disabled={!local}
          maxLength={200}
          required
        />
        <TextField
          label={t('users.email')}
          type="email"
          value={email}
          onValue={setEmail}
          disabled={!local}
        />
        <SelectField
          label={t('user.language')}
          value={language}
          onValue={setLanguage}
          options={accountLanguageOptions(t)}
        />
        {action.message}
        <div class="actions">
          <button type="submit" class="primary" disabled={action.busy}>
            {t('common.save')}
          </button>
          {user.disabled ? (
            <button
              type="button"
              class="secondary"
              disabled={action.busy}
              onClick={() => void toggle()}
            >
              {t('user.enable')}
            </button>
          ) : (
            <ConfirmButton
              label={t('user.disable')}
              question={t('user.disable')}
              disabled={action.busy}
              onConfirm={() => void toggle()}
            />
          )}
        </div>
      </form>
    </Section>
  );
}

function UnlockButton(props: { path: string }) {
  const { t, api } = usePortal();
  const action = useAction();
  return (
    <div class="unlock">
      <p class="hint">{t('user.unlockHint')}</p>
      <button
        type="button"
        class="secondary"
        disabled={action.busy}
        onClick={() => void action.run(() => api.post(`${props.path}/unlock`), 'user.unlocked')}
      >
        {t('user.unlock')}
      </button>
      {action.message}
    </div>
  );
}

function PasswordPanel(props: { path: string }) {
  const { t, api } = usePortal();
  const [password, setPassword] = useState('');
  const action = useAction();
  const submit = async (event: Event) => {
    event.preventDefault();
    if (password.length < 8) return action.fail('password.tooShort');
    const done = await action.succeeds(
      () => api.put(`${props.path}/password`, { password }),
      'user.passwordDone',
    );
    if (done) setPassword('');
  };
  return (
    <Section title={t('user.password')}>
      <form class="form" onSubmit={(e) => void submit(e)}>
        <TextField
          label={t('user.newPassword')}
          type="password"
          value={password}
          onValue={setPassword}
          autocomplete="new-password"
          hint={t('password.hint')}
          required
        />
        {action.message}
        <button type="submit" class="primary" disabled={action.busy}>
          {t('user.password')}
        </button>
      </form>
    </Section>
  );
}

function GroupsPanel(props: { user: User; path: string; reload: () => void }) {
  const { t, api } = usePortal();
  const groupList = useResource(() => api.get<{ groups: Group[] }>('/groups'), []);
  const [chosen, setChosen] = useState(props.user.groups.filter((g) => g !== ALL_USERS_GROUP));
  const action = useAction();
  const save = async (event: Event) => {
    event.preventDefault();
    const done = await action.succeeds(
      () => api.put(`${props.path}/groups`, { groups: chosen }),
      'user.groupsSaved',
    );
    if (done) props.reload();
  };
  const names = [
    ...new Set([
      ...(groupList.data?.groups ?? []).map((g) => g.name).filter((n) => n !== ALL_USERS_GROUP),
      ...chosen,
    ]),
  ];
  return (
    <Section title={t('user.groups')}>
      <p class="hint">
        {t('user.roles', { roles: props.user.roles.join(', ') || t('common.none') })}
      </p>
      <form class="form" onSubmit={(e) => void save(e)}>
        <fieldset class="choices">
          <legend class="visually-hidden">{t('user.groups')}</legend>
          {names.map((name) => (
            <Checkbox
              key={name}
              label={name}
              checked={chosen.includes(name)}
              onChange={(on) =>
                setChosen((list) => (on ? [...list, name] : list.filter((n) => n !== name)))
              }
            />
          ))}
        </fieldset>
        {action.message}
        <button type="submit" class="primary" disabled={action.busy}>
          {t('user.saveGroups')}
        </button>
      </form>
    </Section>
  );
}

const SOURCE_KEYS: Record<string, MessageKey> = {
  panel: 'source.panel',
  admin: 'source.admin',
  directory: 'source.directory',
};

export function sourceLabel(t: (key: MessageKey) => string, source: string): string {
  const key = SOURCE_KEYS[source];
  return key ? t(key) : source;
}

function CardsPanel(props: { user: User; path: string; reload: () => void }) {
  const { t, api, can, formatDate } = usePortal();
  const [cardId, setCardId] = useState('');
  const action = useAction();
  const manage = can('ManageCards');
  const assign = async (event: Event) => {
    event.preventDefault();
    const done = await action.succeeds(
      () => api.post(`${props.path}/cards`, { cardId: cardId.trim() }),
      'user.cardAssigned',
    );
    if (done) {
      setCardId('');
      props.reload();
    }
  };
  const remove = async (id: string) => {
    const done = await action.succeeds(
      () => api.delete(`/cards/${segment(id)}`),
      'user.cardRemoved',
    );
    if (done) props.reload();
  };
  const columns = [
    t('adminCards.card'),
    t('adminCards.enrolled'),
    t('adminCards.terminal'),
    t('adminCards.source'),
    t('adminCards.expires'),
    t('common.actions'),
  ];
  return (
    <Section title={t('user.cards')}>
      {props.user.cards.length === 0 ? (
        <p class="empty">{t('user.noCards')}</p>
      ) : (
        <Table columns={columns}>
          {props.user.cards.map((card) => (
            <tr key={card.cardId}>
              <td data-label={columns[0]}>
                <code>{card.cardId}</code>
              </td>
              <td data-label={columns[1]}>{formatDate(card.createdAt)}</td>
              <td data-label={columns[2]}>{card.terminal ?? t('common.none')}</td>
              <td data-label={columns[3]}>{sourceLabel(t, card.source)}</td>
              <td data-label={columns[4]}>
                {card.expiresAt ? formatDate(card.expiresAt) : t('common.never')}
              </td>
              <td data-label={columns[5]}>
                {manage && (
                  <ConfirmButton
                    label={t('common.remove')}
                    question={t('common.reallyRemove')}
                    disabled={action.busy}
                    onConfirm={() => void remove(card.cardId)}
                  />
                )}
              </td>
            </tr>
          ))}
        </Table>
      )}
      {manage && (
        <form class="inline-form" onSubmit={(e) => void assign(e)}>
          <TextField
            label={t('user.cardId')}
            value={cardId}
            onValue={setCardId}
            autocomplete="off"
            autoCapitalize="characters"
            spellcheck={false}
            pattern="[\x21-\x7e]+"
            maxLength={128}
            required
          />
          <button type="submit" class="primary" disabled={action.busy}>
            {t('user.assign')}
          </button>
        </form>
      )}
      {action.message}
    </Section>
  );
}

function SessionsPanel(props: { path: string }) {
  const { t, api } = usePortal();
  const sessions = useResource(
    () => api.get<{ sessions: SessionInfo[] }>(`${props.path}/sessions`).then((r) => r.sessions),
    [props.path],
  );
  const action = useAction();
  const revoke = async (session: SessionInfo) => {
    const done = await action.succeeds(
      () => api.delete(`/sessions/${session.id}`),
      'user.sessionRevoked',
    );
    if (done) sessions.reload();
  };
  return (
    <Section title={t('user.sessions')}>
      {action.message}
      <Loaded resource={sessions}>
        {(list) =>
          list.length === 0 ? (
            <p class="empty">{t('user.noSessions')}</p>
          ) : (
            <SessionTable
              sessions={list}
              endLabel={t('user.revoke')}
              busy={action.busy}
              canEnd
              onEnd={(s) => void revoke(s)}
            />
          )
        }
      </Loaded>
    </Section>
  );
}
