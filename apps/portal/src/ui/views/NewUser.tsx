import { useState } from 'preact/hooks';
import { ALL_USERS_GROUP, type Group, type UserSummary } from '../api-types.ts';
import {
  Checkbox,
  Link,
  PageHeader,
  Section,
  SelectField,
  TextField,
  useAction,
  useResource,
} from '../components.tsx';
import { usePortal } from '../context.ts';
import { accountLanguageOptions } from '../i18n/i18n.ts';

/** Creating a local account, optionally with a password, language and groups. */
export function NewUser() {
  const { t, api, navigate } = usePortal();
  const [username, setUsername] = useState('');
  const [fullName, setFullName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  // '' leaves the language unchosen: the user's portal follows their browser until they choose.
  const [userLanguage, setUserLanguage] = useState<string>('');
  const [groups, setGroups] = useState<string[]>([]);
  const groupList = useResource(() => api.get<{ groups: Group[] }>('/groups'), []);
  const action = useAction();

  const create = async (event: Event) => {
    event.preventDefault();
    const created = await action.run(() =>
      api.post<UserSummary>('/users', {
        username: username.trim(),
        fullName: fullName.trim(),
        email: email.trim() || null,
        password: password === '' ? null : password,
        language: userLanguage || null,
        ...(groups.length > 0 ? { groups } : {}),
      }),
    );
    if (created) navigate({ name: 'user', username: created.username });
  };

  return (
    <>
      <PageHeader title={t('newUser.title')}>
        <Link route={{ name: 'users', query: { page: 1 } }} class="button secondary">
          {t('user.back')}
        </Link>
      </PageHeader>
      <Section title={t('user.details')}>
        <form class="form" onSubmit={(e) => void create(e)}>
          <TextField
            label={t('users.username')}
            value={username}
            onValue={setUsername}
            hint={t('newUser.usernameHint')}
            autocomplete="off"
            autoCapitalize="none"
            spellcheck={false}
            pattern="\S+"
            maxLength={128}
            required
          />
          <TextField
            label={t('users.fullName')}
            value={fullName}
            onValue={setFullName}
            autocomplete="off"
            maxLength={200}
            required
          />
          <TextField
            label={t('users.email')}
            type="email"
            value={email}
            onValue={setEmail}
            autocomplete="off"
          />
          <TextField
            label={t('login.password')}
            type="password"
            value={password}
            onValue={setPassword}
            hint={t('newUser.passwordHint')}
            autocomplete="new-password"
            minLength={8}
          />
          <SelectField
            label={t('newUser.language')}
            value={userLanguage}
            onValue={setUserLanguage}
            options={accountLanguageOptions(t)}
          />
          <fieldset class="choices">
            <legend>{t('newUser.groups')}</legend>
            {(groupList.data?.groups ?? [])
              .filter((g) => g.name !== ALL_USERS_GROUP)
              .map((g) => (
                <Checkbox
                  key={g.name}
                  label={g.name}
                  checked={groups.includes(g.name)}
                  onChange={(on) =>
                    setGroups((list) =>
                      on ? [...list, g.name] : list.filter((name) => name !== g.name),
                    )
                  }
                />
              ))}
          </fieldset>
          {action.message}
          <button type="submit" class="primary" disabled={action.busy}>
            {t('newUser.create')}
          </button>
        </form>
      </Section>
    </>
  );
}
