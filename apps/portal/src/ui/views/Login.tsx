import { useState } from 'preact/hooks';
import type { ApiClient, LoginGrant } from '../api.ts';
import { errorText } from '../errors.ts';
import type { MessageKey, Translate } from '../i18n/i18n.ts';
import { Notice, TextField } from '../components.tsx';

type Method = 'password' | 'pin' | 'otp';

const TABS: Array<{ method: Method; label: MessageKey }> = [
  { method: 'password', label: 'login.tabPassword' },
  { method: 'pin', label: 'login.tabPin' },
  { method: 'otp', label: 'login.tabOtp' },
];

/**
 * Logging in with a password, a PIN or a one-time password, and asking for a new PIN. Shown
 * outside the shell, so it gets its services as props.
 */
export function Login(props: {
  api: ApiClient;
  t: Translate;
  notice?: MessageKey;
  onLoggedIn: () => void;
}) {
  const { api, t } = props;
  const [method, setMethod] = useState<Method>('password');
  const [resetting, setResetting] = useState(false);
  const [username, setUsername] = useState('');
  const [secret, setSecret] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ failure: unknown } | null>(null);
  const [sent, setSent] = useState(false);

  const choose = (next: Method) => {
    setMethod(next);
    setSecret('');
    setError(null);
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const grant: LoginGrant =
      method === 'pin'
        ? { grant_type: 'pin', pin: secret.trim() }
        : method === 'otp'
          ? { grant_type: 'otp', username: username.trim(), otp: secret.trim() }
          : { grant_type: 'password', username: username.trim(), password: secret };
    try {
      await api.login(grant);
      props.onLoggedIn();
    } catch (failure) {
      setError({ failure });
      setSecret('');
      setBusy(false);
    }
  };

  const requestReset = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.requestPinReset(username.trim());
      setSent(true);
    } catch (failure) {
      setError({ failure });
    } finally {
      setBusy(false);
    }
  };

  if (resetting) {
    return (
      <div class="login-card">
        <h1>{t('pinReset.title')}</h1>
        <p class="intro">{t('pinReset.intro')}</p>
        {sent ? (
          <Notice kind="success">{t('pinReset.sent')}</Notice>
        ) : (
          <form onSubmit={(e) => void requestReset(e)}>
            <TextField
              label={t('login.username')}
              value={username}
              onValue={setUsername}
              autocomplete="username"
              autoCapitalize="none"
              spellcheck={false}
              required
            />
            {error && <Notice kind="error">{errorText(t, error.failure)}</Notice>}
            <button type="submit" class="primary wide" disabled={busy}>
              {t('pinReset.submit')}
            </button>
          </form>
        )}
        <p>
          <button
            type="button"
            class="link"
            onClick={() => {
              setResetting(false);
              setSent(false);
              setError(null);
            }}
          >
            {t('pinReset.back')}
          </button>
        </p>
      </div>
    );
  }

  return (
    <div class="login-card">
      <h1>{t('login.title')}</h1>
      <p class="intro">{t('login.intro')}</p>
      {props.notice && <Notice kind="info">{t(props.notice)}</Notice>}
      <div class="tabs" role="tablist" aria-label={t('login.methods')}>
        {TABS.map((tab) => (
          <button
            key={tab.method}
            type="button"
            role="tab"
            id={`tab-${tab.method}`}
            aria-selected={method === tab.method}
            aria-controls="login-form"
            class={method === tab.method ? 'tab selected' : 'tab'}
            onClick={() => choose(tab.method)}
          >
            {t(tab.label)}
          </button>
        ))}
      </div>
      <form
        id="login-form"
        role="tabpanel"
        aria-labelledby={`tab-${method}`}
        onSubmit={(e) => void submit(e)}
      >
        {method !== 'pin' && (
          <TextField
            label={t('login.username')}
            value={username}
            onValue={setUsername}
            autocomplete="username"
            autoCapitalize="none"
            spellcheck={false}
            required
          />
        )}
        {method === 'password' && (
          <TextField
            label={t('login.password')}
            type="password"
            value={secret}
            onValue={setSecret}
            autocomplete="current-password"
            required
          />
        )}
        {method === 'pin' && (
          <TextField
            label={t('login.pin')}
            type="password"
            inputMode="numeric"
            pattern="[0-9]{4,16}"
            value={secret}
            onValue={setSecret}
            autocomplete="off"
            required
          />
        )}
        {method === 'otp' && (
          <TextField
            label={t('login.otp')}
            value={secret}
            onValue={setSecret}
            autocomplete="one-time-code"
            autoCapitalize="characters"
            spellcheck={false}
            required
          />
        )}
        {error && <Notice kind="error">{errorText(t, error.failure)}</Notice>}
        <button type="submit" class="primary wide" disabled={busy}>
          {busy ? t('login.submitting') : t('login.submit')}
        </button>
      </form>
      <p>
        <button
          type="button"
          class="link"
          onClick={() => {
            setResetting(true);
            setError(null);
          }}
        >
          {t('login.forgotPin')}
        </button>
      </p>
    </div>
  );
}
