import type { KioskApiError } from '../../errors.ts';
import type { KioskContext, KioskEvent, PendingRetry } from '../../machine.ts';
import { format, formatWait, type Catalog } from '../i18n/index.ts';
import { Actions, Screen } from './common.tsx';
import { useCountdown } from './countdown.ts';

type Send = (event: KioskEvent) => void;

/** An error screen: what happened, what to do, and a way back (the timeout goes back too). */
function Problem(props: {
  title: string;
  text: string;
  focusKey: string;
  details?: string | undefined;
  /** Between the message and the buttons: what happens next by itself. */
  status?: preact.ComponentChildren;
  children: preact.ComponentChildren;
}) {
  return (
    <Screen title={props.title} focusKey={props.focusKey} variant="error">
      <p class="error" role="alert">
        {props.text}
      </p>
      {props.status}
      {props.details && <p class="details">{props.details}</p>}
      <Actions>{props.children}</Actions>
    </Screen>
  );
}

function Ok({ label, send }: { label: string; send: Send }) {
  return (
    <button class="primary" onClick={() => send({ type: 'CANCEL' })}>
      {label}
    </button>
  );
}

export function LockedOut(props: { catalog: Catalog; context: KioskContext; send: Send }) {
  const { lockedOut } = props.catalog;
  const wait = props.context.error?.details.retryAfterSeconds;
  return (
    <Problem
      title={lockedOut.title}
      focusKey="lockedOut"
      text={
        wait === undefined
          ? lockedOut.hintNoWait
          : format(lockedOut.hint, { wait: formatWait(wait, props.catalog) })
      }
    >
      <Ok label={lockedOut.ok} send={props.send} />
    </Problem>
  );
}

/** A problem whose catalog entry says it all: a title, a hint, and OK back to idle. */
export function PlainProblem(props: {
  which: 'cardAlreadyBound' | 'enrollmentExpired';
  catalog: Catalog;
  send: Send;
}) {
  const texts = props.catalog[props.which];
  return (
    <Problem title={texts.title} text={texts.hint} focusKey={props.which}>
      <Ok label={texts.ok} send={props.send} />
    </Problem>
  );
}

/**
 * The server did not answer: when the kiosk tries again by itself (a countdown to the retry the
 * machine scheduled, and which retry of how many), "Try now", and a way out.
 */
export function ServerUnreachable(props: {
  catalog: Catalog;
  context: KioskContext;
  /** The machine's scheduled retry (`pendingRetry`); null shows no countdown. */
  retry: PendingRetry | null;
  send: Send;
}) {
  const texts = props.catalog.serverUnreachable;
  return (
    <Problem
      title={texts.title}
      text={texts.hint}
      focusKey="serverUnreachable"
      details={technicianDetails(props.context.error)}
      status={props.retry && <RetryCountdown retry={props.retry} catalog={props.catalog} />}
    >
      <button class="primary" onClick={() => props.send({ type: 'RETRY' })}>
        {texts.retryNow}
      </button>
      <button class="secondary" onClick={() => props.send({ type: 'CANCEL' })}>
        {texts.cancel}
      </button>
    </Problem>
  );
}

/**
 * "Trying again in 4 s." and "Attempt 1 of 4". A timer, not a live region: a screen reader reads
 * it when asked rather than every second.
 */
function RetryCountdown({ retry, catalog }: { retry: PendingRetry; catalog: Catalog }) {
  const texts = catalog.serverUnreachable;
  const seconds = useCountdown(retry.delayMs, retry.attempt);
  return (
    <p class="countdown" role="timer">
      <span class="countdown-wait">
        {format(texts.retryIn, { wait: formatWait(seconds, catalog) })}
      </span>
      <span class="countdown-attempt">
        {format(texts.attempt, { attempt: retry.attempt, attempts: retry.attempts })}
      </span>
    </p>
  );
}

export function Failed(props: { catalog: Catalog; context: KioskContext; send: Send }) {
  const { error } = props.context;
  return (
    <Problem
      title={props.catalog.failed.title}
      focusKey="failed"
      text={error ? props.catalog.errors[error.code] : props.catalog.errors.internal_error}
      details={technicianDetails(error)}
    >
      <Ok label={props.catalog.failed.ok} send={props.send} />
    </Problem>
  );
}

/**
 * Technicians need the host's own words when the setup is wrong (which URL, which token); the
 * person at the panel gets the catalog's text, and these details in small print below it.
 */
function technicianDetails(error: KioskApiError | null): string | undefined {
  if (!error) return undefined;
  return ['server_unreachable', 'unauthorized', 'not_found', 'forbidden'].includes(error.code)
    ? error.message
    : undefined;
}
