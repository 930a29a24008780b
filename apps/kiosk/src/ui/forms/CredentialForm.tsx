import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useId, useLayoutEffect, useRef, useState } from 'preact/hooks';
import {
  applyEditKey,
  clampSelection,
  sanitizeForKind,
  type EditKey,
  type FieldText,
} from '../input/keys.ts';
import { OnScreenKeyboard, type KeyboardLabels } from '../input/OnScreenKeyboard.tsx';
import type { Catalog } from '../i18n/catalog.ts';
import './forms.css';

/**
 * The secret a person types: a password, a one-time password (server-issued, letters and
 * digits, see `OTP_ALPHABET` in apps/server/src/credentials.ts) or a PIN / short ID (digits).
 */
export type SecretKind = 'password' | 'otp' | 'pin';

export interface CredentialFormLabels {
  username: string;
  /** The secret field's label, per kind. */
  secret: Record<SecretKind, string>;
  submit: string;
  cancel: string;
  /** The reveal toggle's name while the secret is masked, and while it is shown. */
  show: string;
  hide: string;
  keyboard: KeyboardLabels;
}

export interface CredentialFormProps {
  title: string;
  /** A hint, or an error (announced as an alert; a new error also clears the secret). */
  message?: { text: string; tone: 'hint' | 'error' };
  /** False for PIN-only login: only the secret is asked; `initialUsername` is submitted as is. */
  askUsername: boolean;
  initialUsername?: string;
  secretKind: SecretKind;
  labels: CredentialFormLabels;
  /** The panel has a physical keyboard: the on-screen one starts hidden, a button shows it. */
  physicalKeyboard: boolean;
  /** Username trimmed of surrounding spaces; the secret exactly as typed. */
  onSubmit(values: { username: string; secret: string }): void;
  onCancel(): void;
  /** Every key, tap and typed character: for the inactivity timer. */
  onActivity(): void;
  /** Shown above the fields, e.g. a secret-method chooser; keep it to one row of buttons. */
  children?: ComponentChildren;
}

/** The form's words from a kiosk catalog, with the submit button's for this use of the form. */
export function credentialFormLabels(
  catalog: Pick<Catalog, 'form' | 'keyboard'>,
  submit: string,
): CredentialFormLabels {
  const { username, secret, cancel, show, hide } = catalog.form;
  return { username, secret, submit, cancel, show, hide, keyboard: catalog.keyboard };
}

type FieldName = 'username' | 'secret';

/**
 * Username and secret for a touch panel: real inputs (labelled, so screen readers and
 * Playwright find them by name) with `inputmode="none"` so no OS keyboard covers the screen,
 * and an on-screen keyboard (a digit pad for PINs) that types into whichever field has focus.
 * Physical keyboards type into the same inputs; Enter in the username moves to the secret.
 */
export function CredentialForm(props: CredentialFormProps): JSX.Element {
  const { labels, secretKind, askUsername } = props;
  const ids = { username: useId(), secret: useId(), message: useId() };
  const [username, setUsername] = useState(props.initialUsername ?? '');
  const [secret, setSecret] = useState('');
  const [active, setActive] = useState<FieldName>(
    askUsername && !props.initialUsername ? 'username' : 'secret',
  );
  const [revealed, setRevealed] = useState(false);
  const [keyboardShown, setKeyboardShown] = useState(!props.physicalKeyboard);
  const inputs = {
    username: useRef<HTMLInputElement>(null),
    secret: useRef<HTMLInputElement>(null),
  };
  /** Caret to restore after an on-screen key re-renders the field. */
  const pendingCaret = useRef<{ field: FieldName; at: number } | null>(null);

  const filled = (!askUsername || username.trim() !== '') && secret !== '';
  const secretSyntax = secretKind === 'pin' ? 'digits' : 'text';

  const focusField = (field: FieldName) => {
    setActive(field);
    inputs[field].current?.focus();
  };

  useEffect(() => focusField(active), []);

  // A new error (wrong secret, say) starts the secret over; the username usually was right.
  // A layout effect, so the error is never painted beside the secret it refused: a passive
  // effect waits for the next frame, which a busy panel can delay long enough to be seen.
  const errorText = props.message?.tone === 'error' ? props.message.text : null;
  const firstRender = useRef(true);
  useLayoutEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    if (errorText === null) return;
    setSecret('');
    focusField(askUsername && username.trim() === '' ? 'username' : 'secret');
  }, [errorText]);

  useLayoutEffect(() => {
    const pending = pendingCaret.current;
    if (!pending) return;
    pendingCaret.current = null;
    const input = inputs[pending.field].current;
    if (!input) return;
    input.focus();
    input.setSelectionRange(pending.at, pending.at);
  });

  const values = { username, secret };
  const setters = { username: setUsername, secret: setSecret };

  const edit = (key: EditKey) => {
    const input = inputs[active].current;
    const before: FieldText = clampSelection(
      values[active],
      input?.selectionStart,
      input?.selectionEnd,
    );
    const after = applyEditKey(before, key);
    const value = active === 'secret' ? sanitizeForKind(after.value, secretSyntax) : after.value;
    pendingCaret.current = {
      field: active,
      at: value === after.value ? after.selectionStart : value.length,
    };
    setters[active](value);
  };

  const submit = () => {
    if (!filled) return;
    props.onSubmit({ username: askUsername ? username.trim() : username, secret });
  };

  /** Done / Enter: on to the next empty field, or submit when both are filled. */
  const advance = () => {
    if (active === 'username' && secret === '') focusField('secret');
    else if (askUsername && username.trim() === '') focusField('username');
    else if (secret === '') focusField('secret');
    else submit();
  };

  const onTyped = (field: FieldName) => (event: JSX.TargetedEvent<HTMLInputElement>) => {
    const input = event.currentTarget;
    const value = field === 'secret' ? sanitizeForKind(input.value, secretSyntax) : input.value;
    // Preact skips re-rendering when state does not change, so a rejected character is
    // removed from the DOM here rather than left showing in a digits-only field.
    if (value !== input.value) input.value = value;
    setters[field](value);
    props.onActivity();
  };

  /** What both inputs share: no OS keyboard or autocorrection, the message as description. */
  const inputProps = (field: FieldName): JSX.InputHTMLAttributes<HTMLInputElement> => ({
    ref: inputs[field],
    id: ids[field],
    name: field,
    inputMode: 'none',
    autoComplete: 'off',
    autoCapitalize: 'none',
    spellcheck: false,
    'aria-describedby': props.message ? ids.message : undefined,
    value: values[field],
    onFocus: () => setActive(field),
    onInput: onTyped(field),
  });

  const keepFocus = (event: MouseEvent) => event.preventDefault();
  const numeric = secretKind === 'pin' && active === 'secret';

  return (
    <main
      class={`cf${keyboardShown ? ' cf-with-keyboard' : ''}`}
      data-secret-kind={secretKind}
      onKeyDown={props.onActivity}
    >
      <header class="cf-header">
        <div class="cf-heading">
          <h1>{props.title}</h1>
          {props.message && (
            <p
              id={ids.message}
              class={props.message.tone === 'error' ? 'cf-message cf-error' : 'cf-message'}
              role={props.message.tone === 'error' ? 'alert' : undefined}
            >
              {props.message.text}
            </p>
          )}
        </div>
        {props.physicalKeyboard && (
          <button
            type="button"
            class="cf-button cf-secondary cf-keyboard-toggle"
            aria-expanded={keyboardShown}
            onMouseDown={keepFocus}
            onClick={() => {
              setKeyboardShown((shown) => !shown);
              props.onActivity();
            }}
          >
            {labels.keyboard.label}
          </button>
        )}
      </header>
      <div class="cf-body">
        <form
          class="cf-fields"
          method="post"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            submit();
          }}
        >
          {props.children}
          {askUsername && (
            <div class="cf-field">
              <label for={ids.username}>{labels.username}</label>
              <input
                {...inputProps('username')}
                type="text"
                enterKeyHint="next"
                onKeyDown={(event) => {
                  if (event.key !== 'Enter') return;
                  event.preventDefault();
                  advance();
                }}
              />
            </div>
          )}
          <div class="cf-field">
            <label for={ids.secret}>{labels.secret[secretKind]}</label>
            <div class="cf-secret">
              <input
                {...inputProps('secret')}
                type={revealed ? 'text' : 'password'}
                enterKeyHint="done"
              />
              <button
                type="button"
                class="cf-button cf-secondary cf-reveal"
                onMouseDown={keepFocus}
                onClick={() => {
                  setRevealed((shown) => !shown);
                  props.onActivity();
                }}
              >
                {revealed ? labels.hide : labels.show}
              </button>
            </div>
          </div>
          <div class="cf-actions">
            <button type="submit" class="cf-button cf-primary" disabled={!filled}>
              {labels.submit}
            </button>
            <button type="button" class="cf-button cf-secondary" onClick={props.onCancel}>
              {labels.cancel}
            </button>
          </div>
        </form>
        {keyboardShown && (
          <OnScreenKeyboard
            // A fresh keyboard per mode: the PIN pad has no layers, an OTP starts in capitals.
            key={numeric ? 'numeric' : `full-${active}`}
            mode={numeric ? 'numeric' : 'full'}
            initialShift={secretKind === 'otp' && active === 'secret' ? 'locked' : 'off'}
            labels={labels.keyboard}
            onEdit={edit}
            onDone={advance}
            onActivity={props.onActivity}
          />
        )}
      </div>
    </main>
  );
}
