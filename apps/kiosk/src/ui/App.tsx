import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { KioskApiError } from '../errors.ts';
import type { KioskEvent, KioskSnapshot } from '../machine.ts';
import { en, type KioskStrings } from './strings.ts';

export interface AppProps {
  snapshot: KioskSnapshot;
  send: (event: KioskEvent) => void;
  readerOffline: boolean;
  strings?: KioskStrings;
}

/** Maps the machine's state to one screen; every button only sends an event. */
export function App({ snapshot, send, readerOffline, strings = en }: AppProps) {
  const { context } = snapshot;
  const state = snapshot.value;
  return (
    <div class="kiosk" data-state={state}>
      {readerOffline && (
        <p class="reader-offline" role="status">
          {strings.readerOffline}
        </p>
      )}
      {(() => {
        switch (state) {
          case 'idle':
            return (
              <Screen title={strings.idle.title} focusKey={state}>
                <CardIcon />
                <p class="hint">{strings.idle.hint}</p>
              </Screen>
            );
          case 'lookingUp':
            return <Busy text={strings.lookingUp} />;
          case 'enrolling':
            return <Busy text={strings.enrolling} />;
          case 'welcome':
            return (
              <Screen title={strings.welcome.title(context.user?.fullName ?? '')} focusKey={state}>
                <p class="hint">{strings.welcome.hint}</p>
                <Actions>
                  <button class="primary" onClick={() => send({ type: 'LOGOUT' })}>
                    {strings.welcome.logout}
                  </button>
                </Actions>
              </Screen>
            );
          case 'offerEnrollment':
            return (
              <Screen title={strings.offer.title} focusKey={state}>
                <p class="hint">{strings.offer.hint}</p>
                <Actions>
                  <button class="primary" onClick={() => send({ type: 'ENROLL' })}>
                    {strings.offer.enroll}
                  </button>
                  <button class="secondary" onClick={() => send({ type: 'CANCEL' })}>
                    {strings.offer.cancel}
                  </button>
                </Actions>
              </Screen>
            );
          case 'enrollForm':
            return (
              <EnrollForm
                initialUsername={context.username}
                error={context.error}
                send={send}
                strings={strings}
              />
            );
          case 'lookupError':
          case 'enrollError':
            return (
              <Screen
                title={
                  state === 'lookupError' ? strings.error.lookupTitle : strings.error.enrollTitle
                }
                focusKey={state}
                variant="error"
              >
                <ErrorText error={context.error} strings={strings} />
                {context.error && showsDetails(context.error) && (
                  <p class="details">{context.error.message}</p>
                )}
                <Actions>
                  {snapshot.can({ type: 'RETRY' }) && (
                    <button class="primary" onClick={() => send({ type: 'RETRY' })}>
                      {strings.error.retry}
                    </button>
                  )}
                  <button class="secondary" onClick={() => send({ type: 'CANCEL' })}>
                    {strings.error.cancel}
                  </button>
                </Actions>
              </Screen>
            );
        }
      })()}
    </div>
  );
}

/** Technicians need the host's own words when the setup is wrong; others get the catalog text only. */
function showsDetails(error: KioskApiError): boolean {
  return ['server_unreachable', 'unauthorized', 'not_found', 'network'].includes(error.code);
}

/** One screen: a heading that takes focus when the screen appears, so screen readers announce it. */
function Screen(props: {
  title: string;
  focusKey: string;
  variant?: 'error';
  children: ComponentChildren;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [props.focusKey]);
  return (
    <main class={props.variant === 'error' ? 'screen error-screen' : 'screen'}>
      <h1 ref={heading} tabIndex={-1}>
        {props.title}
      </h1>
      {props.children}
    </main>
  );
}

function Actions(props: { children: ComponentChildren }) {
  return <div class="actions">{props.children}</div>;
}

function Busy({ text }: { text: string }) {
  return (
    <main class="screen busy" aria-busy="true">
      <div class="spinner" aria-hidden="true" />
      <p class="busy-text" role="status">
        {text}
      </p>
    </main>
  );
}

function ErrorText({ error, strings }: { error: KioskApiError | null; strings: KioskStrings }) {
  if (!error) return null;
  const wait = error.details.retryAfterSeconds;
  return (
    <p class="error" role="alert">
      {strings.error.byCode[error.code]}
      {wait !== undefined && ` ${strings.error.waitSeconds(wait)}`}
    </p>
  );
}

function EnrollForm(props: {
  initialUsername: string;
  error: KioskApiError | null;
  send: (event: KioskEvent) => void;
  strings: KioskStrings;
}) {
  const { error, send, strings } = props;
  const [username, setUsername] = useState(props.initialUsername);
  const [password, setPassword] = useState('');
  const usernameInput = useRef<HTMLInputElement>(null);
  const passwordInput = useRef<HTMLInputElement>(null);
  useEffect(() => {
    // After a wrong password the username is still right: start at the password.
    (props.initialUsername ? passwordInput : usernameInput).current?.focus();
  }, []);
  const attemptsLeft =
    error?.code === 'invalid_credentials' ? error.details.attemptsLeft : undefined;
  return (
    <main class="screen form-screen">
      <h1>{strings.form.title}</h1>
      {error ? (
        <p class="error" role="alert">
          {strings.error.byCode[error.code]}
          {attemptsLeft !== undefined && ` ${strings.form.attemptsLeft(attemptsLeft)}`}
        </p>
      ) : (
        <p class="hint">{strings.form.hint}</p>
      )}
      <form
        class="enroll-form"
        method="post"
        onSubmit={(event) => {
          event.preventDefault();
          send({ type: 'SUBMIT', username, secret: password });
        }}
      >
        <div class="field">
          <label for="username">{strings.form.username}</label>
          <input
            ref={usernameInput}
            id="username"
            name="username"
            type="text"
            required
            autocomplete="off"
            autocapitalize="none"
            spellcheck={false}
            value={username}
            onInput={(event) => {
              setUsername(event.currentTarget.value);
              send({ type: 'ACTIVITY' });
            }}
          />
        </div>
        <div class="field">
          <label for="password">{strings.form.password}</label>
          <input
            ref={passwordInput}
            id="password"
            name="password"
            type="password"
            required
            autocomplete="off"
            value={password}
            onInput={(event) => {
              setPassword(event.currentTarget.value);
              send({ type: 'ACTIVITY' });
            }}
          />
        </div>
        <div class="actions">
          <button class="primary" type="submit">
            {strings.form.submit}
          </button>
          <button class="secondary" type="button" onClick={() => send({ type: 'CANCEL' })}>
            {strings.form.cancel}
          </button>
        </div>
      </form>
    </main>
  );
}

function CardIcon() {
  return (
    <svg class="card-icon" viewBox="0 0 120 80" aria-hidden="true">
      <rect
        x="4"
        y="14"
        width="76"
        height="52"
        rx="8"
        fill="none"
        stroke="currentColor"
        stroke-width="5"
      />
      <rect x="14" y="26" width="18" height="14" rx="2" fill="currentColor" />
      <path
        d="M92 22a30 30 0 0 1 0 36M102 14a42 42 0 0 1 0 52"
        fill="none"
        stroke="currentColor"
        stroke-width="5"
        stroke-linecap="round"
      />
    </svg>
  );
}
