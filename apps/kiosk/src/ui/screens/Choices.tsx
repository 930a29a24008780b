import type { EnrollmentMethod } from '@cardbind/shared';
import type { KioskContext, KioskEvent } from '../../machine.ts';
import type { Catalog } from '../i18n/index.ts';
import { Actions, Screen } from './common.tsx';

export function OfferEnrollment(props: {
  catalog: Catalog;
  context: KioskContext;
  send: (event: KioskEvent) => void;
}) {
  const { catalog, send } = props;
  return (
    <Screen title={catalog.offer.title} focusKey="offerEnrollment">
      <p class="hint">
        {props.context.cardExpired ? catalog.offer.expiredHint : catalog.offer.hint}
      </p>
      <Actions>
        <button class="primary" onClick={() => send({ type: 'ENROLL' })}>
          {catalog.offer.enroll}
        </button>
        <button class="secondary" onClick={() => send({ type: 'CANCEL' })}>
          {catalog.offer.cancel}
        </button>
      </Actions>
    </Screen>
  );
}

/** Password, one-time password or short ID: the ones the server's policy allows, as big buttons. */
export function ChooseMethod(props: {
  purpose: 'enroll' | 'login';
  methods: EnrollmentMethod[];
  catalog: Catalog;
  send: (event: KioskEvent) => void;
}) {
  const { catalog, send, purpose } = props;
  const texts = purpose === 'enroll' ? catalog.chooseEnroll : catalog.chooseLogin;
  const hintFor = (method: EnrollmentMethod) =>
    purpose === 'login' && method === 'pin' ? catalog.pinAloneHint : catalog.methodHints[method];
  return (
    <Screen title={texts.title} focusKey={`choose-${purpose}`} variant="compact">
      <p class="hint">{texts.hint}</p>
      <div class="methods">
        {props.methods.map((method) => (
          <button
            key={method}
            class="method"
            data-method={method}
            // The name is the method; where the secret comes from is its description.
            aria-label={catalog.methods[method]}
            aria-describedby={`method-hint-${method}`}
            onClick={() => send({ type: 'CHOOSE_METHOD', method })}
          >
            <span class="method-name">{catalog.methods[method]}</span>
            <span class="method-hint" id={`method-hint-${method}`}>
              {hintFor(method)}
            </span>
          </button>
        ))}
      </div>
      <Actions>
        <button class="secondary" onClick={() => send({ type: 'CANCEL' })}>
          {texts.cancel}
        </button>
      </Actions>
    </Screen>
  );
}
