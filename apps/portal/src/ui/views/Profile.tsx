import { useState } from 'preact/hooks';
import type { GeneratedOtp, GeneratedPin, Me } from '../api-types.ts';
import { Notice, PageHeader, Section, SelectField, TextField, useAction } from '../components.tsx';
import { usePortal } from '../context.ts';
import { accountLanguageOptions, isLanguage } from '../i18n/i18n.ts';
import { GenerateSecrets } from './secrets.tsx';

/** "My profile": who I am, my details (local accounts), my password, my PIN and OTPs. */
export function Profile() {
  const { t, me, can, formatDate } = usePortal();
  const local = me.source === 'local';
  const canModify = can('ModifyMyProfile');
  const canOtp = canModify && can('GenerateOTP');
  const canPin = canModify && can('GenerateShortID');
  return (
    <>
      <PageHeader title={t('profile.title')} />
      <Section title={me.fullName}>
        <dl class="facts">
          <dt>{t('profile.username')}</dt>
          <dd>{me.username}</dd>
          <dt>{t('profile.email')}</dt>
          <dd>{me.email ?? t('profile.noEmail')}</dd>
          <dt>{t('profile.source')}</dt>
          <dd>
            {local ? t('profile.sourceLocal') : t('profile.sourceDirectory', { source: me.source })}
          </dd>
          <dt>{t('profile.groups')}</dt>
          <dd>{me.groups.join(', ') || t('common.none')}</dd>
        </dl>
        {!local && <Notice kind="info">{t('profile.directoryNote', { source: me.source })}</Notice>}
      </Section>
      {(canOtp || canPin || me.pin) && (
        <Section title={t('credentials.title')}>
          <p>
            <strong>{t('credentials.pin')}: </strong>
            {me.pin
              ? `${t('credentials.pinStatus', {
                  length: me.pin.length,
                  created: formatDate(me.pin.createdAt),
                })}, ${
                  me.pin.expiresAt
                    ? t('credentials.pinExpires', { date: formatDate(me.pin.expiresAt) })
                    : t('credentials.pinNoExpiry')
                }`
              : t('credentials.noPin')}
          </p>
          {canOtp && <p class="hint">{t('credentials.otpIntro')}</p>}
          {canPin && (
            <p class="hint">
              {t('credentials.pinIntro')} {t('credentials.pinReplaces')}
            </p>
          )}
          <MySecrets canOtp={canOtp} canPin={canPin} />
        </Section>
      )}
      {canModify && <LanguageForm />}
      {local && canModify && <DetailsForm me={me} />}
      {local && canModify && <PasswordForm />}
    </>
  );
}

/**
 * The user's language, kept on the server (e-mails use it too) and applied here at once; or none
 * (value `''`, sent as null): the portal follows the browser, e-mails the site's default.
 */
function LanguageForm() {
  const { t, api, me, chooseLanguage, followBrowserLanguage, reloadMe } = usePortal();
  const [value, setValue] = useState<string>(isLanguage(me.language) ? me.language : '');
  const action = useAction();
  const save = async (event: Event) => {
    event.preventDefault();
    const language = isLanguage(value) ? value : null;
    const done = await action.succeeds(
      () => api.patch('/me', { language }),
      'profile.languageSaved',
    );
    if (done) {
      if (language) chooseLanguage(language);
      else followBrowserLanguage();
      await reloadMe();
    }
  };
  return (
    <Section title={t('profile.language')}>
      <form class="inline-form" onSubmit={(e) => void save(e)}>
        <SelectField
          label={t('profile.language')}
          value={value}
          onValue={setValue}
          options={accountLanguageOptions(t, 'profile.languageFollowBrowser')}
        />
        <button type="submit" class="primary" disabled={action.busy}>
          {t('profile.saveLanguage')}
        </button>
      </form>
      <p class="hint">{t('profile.languageHint')}</p>
      {action.message}
    </Section>
  );
}

function MySecrets(props: { canOtp: boolean; canPin: boolean }) {
  const { t, api, reloadMe } = usePortal();
  return (
    <GenerateSecrets
      {...(props.canOtp
        ? {
            otp: {
              label: t('credentials.generateOtp'),
              request: () => api.post<GeneratedOtp>('/me/otp'),
            },
          }
        : {})}
      {...(props.canPin
        ? {
            pin: {
              label: t('credentials.generatePin'),
              request: () => api.post<GeneratedPin>('/me/pin'),
            },
          }
        : {})}
      onGenerated={() => void reloadMe()}
    />
  );
}

function DetailsForm({ me }: { me: Me }) {
  const { t, api, reloadMe } = usePortal();
  const [fullName, setFullName] = useState(me.fullName);
  const [email, setEmail] = useState(me.email ?? '');
  const action = useAction();
  const save = async (event: Event) => {
    event.preventDefault();
    const done = await action.succeeds(
      () => api.patch('/me', { fullName: fullName.trim(), email: email.trim() || null }),
      'profile.saved',
    );
    if (done) await reloadMe();
  };
  return (
    <Section title={t('profile.editTitle')}>
      <form onSubmit={(e) => void save(e)} class="form">
        <TextField
          label={t('profile.fullName')}
          value={fullName}
          onValue={setFullName}
          autocomplete="name"
          required
          maxLength={200}
        />
        <TextField
          label={t('profile.email')}
          type="email"
          value={email}
          onValue={setEmail}
          autocomplete="email"
        />
        {action.message}
        <button type="submit" class="primary" disabled={action.busy}>
          {action.busy ? t('common.saving') : t('common.save')}
        </button>
      </form>
    </Section>
  );
}

function PasswordForm() {
  const { t, api } = usePortal();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const action = useAction();
  const submit = async (event: Event) => {
    event.preventDefault();
    if (next.length < 8) return action.fail('password.tooShort');
    if (next !== repeat) return action.fail('password.mismatch');
    const done = await action.succeeds(
      () => api.put('/me/password', { currentPassword: current, newPassword: next }),
      'password.changed',
    );
    setCurrent('');
    if (done) {
      setNext('');
      setRepeat('');
    }
  };
  return (
    <Section title={t('password.title')}>
      <form onSubmit={(e) => void submit(e)} class="form">
        <TextField
          label={t('password.current')}
          type="password"
          value={current}
          onValue={setCurrent}
          autocomplete="current-password"
          required
        />
        <TextField
          label={t('password.new')}
          type="password"
          value={next}
          onValue={setNext}
          autocomplete="new-password"
          hint={t('password.hint')}
          required
        />
        <TextField
          label={t('password.repeat')}
          type="password"
          value={repeat}
          onValue={setRepeat}
          autocomplete="new-password"
          required
        />
        {action.message}
        <button type="submit" class="primary" disabled={action.busy}>
          {t('password.submit')}
        </button>
      </form>
    </Section>
  );
}
