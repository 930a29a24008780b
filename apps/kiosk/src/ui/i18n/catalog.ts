import type { KioskErrorCode } from '../../errors.ts';
import type { EnrollmentMethod } from '@cardbind/shared';
import type { KeyboardLabels } from '../input/OnScreenKeyboard.tsx';

/**
 * Every text the kiosk shows, per language. Components take their words from a catalog only.
 * Values are plain strings; `{name}` marks a value filled in by `format`, so a translation can
 * move it anywhere in the sentence. Counts are shown as "label: number", which reads correctly in
 * every language without plural rules.
 */
export interface Catalog {
  /** The language's own name, for the language switch. */
  languageName: string;
  documentTitle: string;
  readerOffline: string;
  idle: { title: string; hint: string; loginWithoutCard: string; language: string };
  lookingUp: string;
  welcome: {
    /** `{name}`: the person's full name. */
    title: string;
    cardHint: string;
    enrolledHint: string;
    loginHint: string;
    logout: string;
  };
  offer: { title: string; hint: string; expiredHint: string; enroll: string; cancel: string };
  /** The secrets a person can use, as offered in the method choice. */
  methods: Record<EnrollmentMethod, string>;
  /** One line under each method: where that secret comes from. */
  methodHints: Record<EnrollmentMethod, string>;
  /** The PIN method when logging in, where it is used alone. */
  pinAloneHint: string;
  chooseEnroll: { title: string; hint: string; cancel: string };
  chooseLogin: { title: string; hint: string; cancel: string };
  enrollForm: { title: string; hint: string; submit: string };
  loginForm: { title: string; hint: string; submit: string };
  form: {
    username: string;
    secret: Record<EnrollmentMethod, string>;
    cancel: string;
    show: string;
    hide: string;
    changeMethod: string;
    /** `{count}`: failures left before attempts are delayed. */
    attemptsLeft: string;
    /** Back in the form after the server was unreachable. */
    reconnected: string;
    /** Back from an outage, but the method chosen before is no longer offered: the form asks for another. */
    methodWithdrawn: string;
  };
  keyboard: KeyboardLabels;
  enrolling: string;
  loggingIn: string;
  reconnecting: string;
  lockedOut: {
    title: string;
    /** `{wait}`: e.g. "30 s" or "5 min". */
    hint: string;
    hintNoWait: string;
    ok: string;
  };
  cardAlreadyBound: { title: string; hint: string; ok: string };
  enrollmentExpired: { title: string; hint: string; ok: string };
  serverUnreachable: {
    title: string;
    hint: string;
    /** `{wait}`: the time left before the next automatic retry, e.g. "4 s". */
    retryIn: string;
    /** `{attempt}` of `{attempts}`: which automatic retry comes next, and how many there are. */
    attempt: string;
    retryNow: string;
    cancel: string;
  };
  failed: { title: string; ok: string };
  /** Short explanations of each error, shown in forms and on the `failed` screen. */
  errors: Record<KioskErrorCode, string>;
  units: {
    /** `{count}` seconds. */
    seconds: string;
    /** `{count}` minutes. */
    minutes: string;
  };
}

/** Fills `{name}` placeholders; a missing value stays visible rather than vanishing. */
export function format(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}

/** A wait as people say it: seconds below two minutes, whole minutes (rounded up) above. */
export function formatWait(seconds: number, catalog: Catalog): string {
  return seconds < 120
    ? format(catalog.units.seconds, { count: Math.max(1, Math.ceil(seconds)) })
    : format(catalog.units.minutes, { count: Math.ceil(seconds / 60) });
}
