import type { KioskContext, KioskEvent } from '../../machine.ts';
import { format, type Catalog } from '../i18n/index.ts';
import { Actions, Screen } from './common.tsx';

export function Welcome(props: {
  catalog: Catalog;
  context: KioskContext;
  send: (event: KioskEvent) => void;
}) {
  const { catalog, context, send } = props;
  const hint =
    context.welcomeReason === 'enrolled'
      ? catalog.welcome.enrolledHint
      : context.welcomeReason === 'login'
        ? catalog.welcome.loginHint
        : catalog.welcome.cardHint;
  const name = context.user?.fullName || context.user?.username || '';
  return (
    <Screen title={format(catalog.welcome.title, { name })} focusKey="welcome">
      <p class="hint">{hint}</p>
      <Actions>
        <button class="primary" onClick={() => send({ type: 'LOGOUT' })}>
          {catalog.welcome.logout}
        </button>
      </Actions>
    </Screen>
  );
}
