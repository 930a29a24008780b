import { LANGUAGES } from '../../kiosk-api.ts';
import type { KioskEvent } from '../../machine.ts';
import { CATALOGS, type Catalog } from '../i18n/index.ts';
import { CardIcon, Screen } from './common.tsx';

/** Waiting for a card; the way in without one, and the language switch. */
export function Idle(props: {
  catalog: Catalog;
  language: string;
  canLogin: boolean;
  send: (event: KioskEvent) => void;
}) {
  const { catalog, send } = props;
  return (
    <Screen title={catalog.idle.title} focusKey="idle">
      <CardIcon />
      <p class="hint">{catalog.idle.hint}</p>
      {props.canLogin && (
        <button class="secondary" onClick={() => send({ type: 'LOGIN' })}>
          {catalog.idle.loginWithoutCard}
        </button>
      )}
      <nav class="languages" aria-label={catalog.idle.language}>
        {LANGUAGES.map((code) => (
          <button
            key={code}
            class="language"
            lang={code}
            aria-pressed={code === props.language}
            onClick={() => send({ type: 'SET_LANGUAGE', language: code })}
          >
            {CATALOGS[code].languageName}
          </button>
        ))}
      </nav>
    </Screen>
  );
}
