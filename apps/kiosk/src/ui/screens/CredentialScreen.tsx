import type { EnrollmentMethod } from '@cardbind/shared';
import { failureRoute } from '../../errors.ts';
import { needsUsername, type KioskContext, type KioskEvent } from '../../machine.ts';
import { CredentialForm, credentialFormLabels } from '../forms/CredentialForm.tsx';
import { format, type Catalog } from '../i18n/index.ts';

/** The enrollment or login form: the shared credential form with this kiosk's words. */
export function CredentialScreen(props: {
  purpose: 'enroll' | 'login';
  catalog: Catalog;
  context: KioskContext;
  /** More than one method allowed: offer "Other method". */
  canChangeMethod: boolean;
  physicalKeyboard: boolean;
  send: (event: KioskEvent) => void;
}) {
  const { catalog, context, send, purpose } = props;
  const method: EnrollmentMethod = context.method ?? 'password';
  const texts = purpose === 'enroll' ? catalog.enrollForm : catalog.loginForm;
  return (
    <CredentialForm
      // A new form for each method, so nothing typed for one method lingers in the other.
      key={`${purpose}-${method}`}
      title={texts.title}
      message={formMessage(catalog, context, texts.hint)}
      askUsername={needsUsername(purpose, method)}
      initialUsername={context.username}
      secretKind={method}
      labels={credentialFormLabels(catalog, texts.submit)}
      physicalKeyboard={props.physicalKeyboard}
      onSubmit={({ username, secret }) => send({ type: 'SUBMIT', username, secret })}
      onCancel={() => send({ type: 'CANCEL' })}
      onActivity={() => send({ type: 'ACTIVITY' })}
    >
      {props.canChangeMethod && (
        <button
          type="button"
          class="cf-button cf-secondary change-method"
          onClick={() => send({ type: 'CHANGE_METHOD' })}
        >
          {catalog.form.changeMethod}
        </button>
      )}
    </CredentialForm>
  );
}

function formMessage(
  catalog: Catalog,
  context: KioskContext,
  hint: string,
): { text: string; tone: 'hint' | 'error' } {
  const { error } = context;
  if (!error) return { text: hint, tone: 'hint' };
  // Back from "server unreachable": nothing was wrong with what the person typed.
  if (failureRoute(error.code) === 'unreachable') {
    const text = context.withdrawnMethod ? catalog.form.methodWithdrawn : catalog.form.reconnected;
    return { text, tone: 'hint' };
  }
  const attemptsLeft = error.details.attemptsLeft;
  const text = catalog.errors[error.code];
  return {
    text:
      attemptsLeft === undefined
        ? text
        : `${text} ${format(catalog.form.attemptsLeft, { count: attemptsLeft })}`,
    tone: 'error',
  };
}
