import { methodsFor, pendingRetry, type KioskEvent, type KioskSnapshot } from '../machine.ts';
import { catalogFor } from './i18n/index.ts';
import { ChooseMethod, OfferEnrollment } from './screens/Choices.tsx';
import { Busy } from './screens/common.tsx';
import { CredentialScreen } from './screens/CredentialScreen.tsx';
import { Idle } from './screens/Idle.tsx';
import { Failed, PlainProblem, LockedOut, ServerUnreachable } from './screens/Problems.tsx';
import { Welcome } from './screens/Welcome.tsx';

export interface AppProps {
  snapshot: KioskSnapshot;
  send: (event: KioskEvent) => void;
  readerOffline: boolean;
  /** The panel has a physical keyboard: forms start without the on-screen one. */
  physicalKeyboard?: boolean;
  /** The page's link to the reader feed, as a data attribute for tests and diagnostics. */
  readerLink?: string;
}

/** Maps the machine's state to one screen, in the language of the moment; buttons only send events. */
export function App(props: AppProps) {
  const { snapshot, send, readerOffline, physicalKeyboard = false } = props;
  const { context } = snapshot;
  const state = snapshot.value;
  const catalog = catalogFor(context.language);
  const { policy } = context;
  const screen = () => {
    switch (state) {
      case 'idle':
        return (
          <Idle
            catalog={catalog}
            language={context.language}
            canLogin={snapshot.can({ type: 'LOGIN' })}
            send={send}
          />
        );
      case 'lookingUp':
        return <Busy text={catalog.lookingUp} />;
      case 'welcome':
        return <Welcome catalog={catalog} context={context} send={send} />;
      case 'offerEnrollment':
        return <OfferEnrollment catalog={catalog} context={context} send={send} />;
      case 'chooseEnrollMethod':
      case 'chooseLoginMethod': {
        const purpose = state === 'chooseEnrollMethod' ? 'enroll' : 'login';
        return (
          <ChooseMethod
            purpose={purpose}
            methods={methodsFor(policy, purpose)}
            catalog={catalog}
            send={send}
          />
        );
      }
      case 'enrollForm':
      case 'loginForm':
        return (
          <CredentialScreen
            purpose={state === 'enrollForm' ? 'enroll' : 'login'}
            catalog={catalog}
            context={context}
            canChangeMethod={snapshot.can({ type: 'CHANGE_METHOD' })}
            physicalKeyboard={physicalKeyboard}
            send={send}
          />
        );
      case 'enrolling':
        return <Busy text={catalog.enrolling} />;
      case 'loggingIn':
        return <Busy text={catalog.loggingIn} />;
      // `startEnrollment` and the `resume…Form` states pass on at once; they are never
      // rendered, but must be screens.
      case 'reconnecting':
      case 'startEnrollment':
      case 'resumeEnrollForm':
      case 'resumeLoginForm':
        return <Busy text={catalog.reconnecting} />;
      case 'serverUnreachable':
        return (
          <ServerUnreachable
            catalog={catalog}
            context={context}
            retry={pendingRetry(snapshot)}
            send={send}
          />
        );
      case 'lockedOut':
        return <LockedOut catalog={catalog} context={context} send={send} />;
      case 'cardAlreadyBound':
        return <PlainProblem which="cardAlreadyBound" catalog={catalog} send={send} />;
      case 'enrollmentExpired':
        return <PlainProblem which="enrollmentExpired" catalog={catalog} send={send} />;
      case 'failed':
        return <Failed catalog={catalog} context={context} send={send} />;
    }
  };
  return (
    <div
      class="kiosk"
      data-state={state}
      data-reader-link={props.readerLink ?? 'unknown'}
      lang={context.language}
    >
      {readerOffline && (
        <p class="reader-offline" role="status">
          {catalog.readerOffline}
        </p>
      )}
      {screen()}
    </div>
  );
}
