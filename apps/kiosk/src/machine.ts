import type {
  CardAuthResponse,
  EnrollmentMethod,
  EnrollResponse,
  PublicUser,
  TerminalLoginRequest,
  TerminalLoginResponse,
} from '@cardbind/shared';
import { assign, fromCallback, fromPromise, setup, type SnapshotFrom } from 'xstate';
import type { EnrollInput, KioskBackend } from './backend.ts';
import { failureRoute, toKioskApiError, type FailureRoute, type KioskApiError } from './errors.ts';
import {
  DEFAULT_PAGE_CONFIG,
  DEFAULT_POLICY,
  type KioskDelays,
  type KioskPageConfig,
  type TerminalPolicy,
} from './kiosk-api.ts';

/**
 * The kiosk's flow, pure: server calls are actors (`cardAuth`, `enroll`, `login`, `probe`, and
 * the `policyFeed` that keeps the server's policy current), timeouts are named delays, so the UI
 * only renders states and sends events, and tests replace every effect.
 *
 * - Swipe a known card → `welcome`. An unknown card → `offerEnrollment` (or straight on, when the
 *   terminal says so) → `chooseEnrollMethod` (when the policy allows more than one secret) →
 *   `enrollForm` → `enrolling` → `welcome`.
 * - "Log in without a card" at idle → `chooseLoginMethod` (when more than one) → `loginForm` →
 *   `loggingIn` → `welcome`.
 * - Failures: wrong secret → back to the form with the error (attempts left); too many attempts →
 *   `lockedOut`; card bound to someone else → `cardAlreadyBound`; token expired →
 *   `enrollmentExpired`; server unreachable → `serverUnreachable`, which retries by itself with
 *   growing waits (`reconnecting` probes the server) and gives up to idle; anything an
 *   administrator must fix → `failed`.
 * - A new card swipe restarts the flow from every state except: the forms ignore another read of
 *   the card they are for (people tap again while typing); `enrolling` and `loggingIn` ignore all
 *   reads, because the request carrying the secret is in flight and its result must be seen.
 * - Every state that waits for a person has a timeout back to idle.
 */

export type WelcomeReason = 'card' | 'enrolled' | 'login';
/** What `reconnecting` resumes once the server answers again. */
export type ResumeAt = 'lookup' | 'enrollForm' | 'loginForm';

export interface KioskContext {
  /** The language shown now; back to `defaultLanguage` whenever the kiosk returns to idle. */
  language: string;
  defaultLanguage: string;
  enrollWithoutPrompt: boolean;
  /** Automatic retries while the server is unreachable, before giving up to idle. */
  retryAttempts: number;
  policy: TerminalPolicy;
  cardId: string | null;
  /** The card was enrolled as temporary and has expired: the offer says so. */
  cardExpired: boolean;
  user: PublicUser | null;
  welcomeReason: WelcomeReason | null;
  enrollment: { token: string; expiresAt: string } | null;
  /** The secret the open form asks for. */
  method: EnrollmentMethod | null;
  /** Kept while the person stays in a form, so a retry does not ask for it again. */
  username: string;
  error: KioskApiError | null;
  /** Set while the server is unreachable: how many retries failed, and what to resume. */
  retry: { attempt: number; resume: ResumeAt } | null;
}

export interface KioskInput {
  language?: string;
  enrollWithoutPrompt?: boolean;
  retryAttempts?: number;
}

/**
 * `SUBMIT` carries the secret straight into the `enroll` or `login` actor's input; it is never
 * assigned to the context. `ACTIVITY` (typing, touching) keeps a form open.
 */
export type KioskEvent =
  | { type: 'CARD_READ'; cardId: string }
  | { type: 'ENROLL' }
  | { type: 'LOGIN' }
  | { type: 'CHOOSE_METHOD'; method: EnrollmentMethod }
  | { type: 'CHANGE_METHOD' }
  | { type: 'SUBMIT'; username: string; secret: string }
  | { type: 'ACTIVITY' }
  | { type: 'CANCEL' }
  | { type: 'LOGOUT' }
  | { type: 'RETRY' }
  | { type: 'SET_LANGUAGE'; language: string }
  | { type: 'POLICY'; policy: TerminalPolicy };

export const DEFAULT_DELAYS: KioskDelays = DEFAULT_PAGE_CONFIG.delays;

/** The wait before retry number `attempt` (0-based): doubling from `baseMs`, at most `maxMs`. */
export function retryBackoff(attempt: number, { baseMs, maxMs } = DEFAULT_PAGE_CONFIG.retry) {
  return Math.min(maxMs, baseMs * 2 ** attempt);
}

/** The machine's delays from a terminal's configuration, for `kioskMachine.provide`. */
export function delaysFrom(config: Pick<KioskPageConfig, 'delays' | 'retry'>) {
  return {
    ...config.delays,
    retryBackoff: ({ context }: { context: KioskContext }) =>
      retryBackoff(context.retry?.attempt ?? 0, config.retry),
  };
}

/** Logging in with a PIN (short ID) alone needs no username; every other secret does. */
export function needsUsername(purpose: 'enroll' | 'login', method: EnrollmentMethod): boolean {
  return purpose === 'enroll' || method !== 'pin';
}

const emptyFlow = {
  cardId: null,
  cardExpired: false,
  user: null,
  welcomeReason: null,
  enrollment: null,
  method: null,
  username: '',
  error: null,
  retry: null,
} satisfies Partial<KioskContext>;

/** Placeholders that say what is missing: the real actors come from `backendActors(backend)`. */
const missingActor = (name: string) => () =>
  Promise.reject(new Error(`The kiosk machine needs a "${name}" actor: provide one.`));

/** The failure an actor's error event carries. */
function failureOf(event: unknown): KioskApiError {
  return toKioskApiError((event as { error?: unknown }).error);
}

const routeIs = (route: FailureRoute) => ({ type: 'failureRoute' as const, params: { route } });

export const kioskMachine = setup({
  types: {
    context: {} as KioskContext,
    events: {} as KioskEvent,
    input: {} as KioskInput,
  },
  actors: {
    cardAuth: fromPromise<CardAuthResponse, { cardId: string }>(missingActor('cardAuth')),
    enroll: fromPromise<EnrollResponse, EnrollInput>(missingActor('enroll')),
    login: fromPromise<TerminalLoginResponse, TerminalLoginRequest>(missingActor('login')),
    /** Asks the server whether it is back; answers the current policy. */
    probe: fromPromise<TerminalPolicy, undefined>(missingActor('probe')),
    /** Sends `POLICY` now and whenever it changes; never fails (it keeps the last one). */
    policyFeed: fromCallback<KioskEvent>(() => undefined),
  },
  delays: {
    ...DEFAULT_DELAYS,
    retryBackoff: ({ context }: { context: KioskContext }) =>
      retryBackoff(context.retry?.attempt ?? 0),
  },
  actions: {
    reset: assign(({ context }) => ({ ...emptyFlow, language: context.defaultLanguage })),
    startLookup: assign(({ event }) =>
      event.type === 'CARD_READ' ? { ...emptyFlow, cardId: event.cardId } : {},
    ),
    setLanguage: assign(({ event }) =>
      event.type === 'SET_LANGUAGE' ? { language: event.language } : {},
    ),
    setPolicy: assign(({ event }) => (event.type === 'POLICY' ? { policy: event.policy } : {})),
    chooseMethod: assign(({ event }) =>
      event.type === 'CHOOSE_METHOD' ? { method: event.method, error: null } : {},
    ),
    onlyEnrollMethod: assign(({ context }) => ({
      method: context.policy.enrollmentMethods[0] ?? null,
      error: null,
    })),
    onlyLoginMethod: assign(({ context }) => ({
      method: context.policy.loginMethods[0] ?? null,
      error: null,
    })),
    forgetMethod: assign({ method: null, error: null }),
    rememberUsername: assign(({ event }) =>
      event.type === 'SUBMIT' ? { username: event.username.trim(), error: null } : {},
    ),
    storeError: assign(({ event }) => ({ error: failureOf(event) })),
    clearError: assign({ error: null }),
    welcome: assign((_, params: { reason: WelcomeReason; user: PublicUser }) => ({
      user: params.user,
      welcomeReason: params.reason,
      enrollment: null,
      error: null,
      retry: null,
    })),
    offerEnrollment: assign((_, output: CardAuthResponse) =>
      output.result === 'unknown'
        ? {
            enrollment: { token: output.enrollmentToken, expiresAt: output.expiresAt },
            cardExpired: output.reason === 'card_expired',
            retry: null,
          }
        : {},
    ),
    /** Counts failed retries: a failure while resuming is the next attempt, a new one the first. */
    noteUnreachable: assign(({ context, event }, params: { resume: ResumeAt }) => ({
      error: failureOf(event),
      retry: {
        resume: params.resume,
        attempt: context.retry?.resume === params.resume ? context.retry.attempt + 1 : 0,
      },
    })),
    nextAttempt: assign(({ context, event }) => ({
      error: failureOf(event),
      retry: context.retry && { ...context.retry, attempt: context.retry.attempt + 1 },
    })),
  },
  guards: {
    isKnownCard: (_, output: CardAuthResponse) => output.result === 'known',
    enrollsWithoutPrompt: ({ context }) => context.enrollWithoutPrompt,
    hasOneEnrollMethod: ({ context }) => context.policy.enrollmentMethods.length === 1,
    hasOneLoginMethod: ({ context }) => context.policy.loginMethods.length === 1,
    hasManyEnrollMethods: ({ context }) => context.policy.enrollmentMethods.length > 1,
    hasManyLoginMethods: ({ context }) => context.policy.loginMethods.length > 1,
    allowsEnrollMethod: ({ context, event }) =>
      event.type === 'CHOOSE_METHOD' && context.policy.enrollmentMethods.includes(event.method),
    allowsLoginMethod: ({ context, event }) =>
      event.type === 'CHOOSE_METHOD' && context.policy.loginMethods.includes(event.method),
    isCompleteEnrollForm: ({ event }) =>
      event.type === 'SUBMIT' && event.username.trim() !== '' && event.secret !== '',
    isCompleteLoginForm: ({ context, event }) =>
      event.type === 'SUBMIT' &&
      event.secret !== '' &&
      (!needsUsername('login', context.method ?? 'password') || event.username.trim() !== ''),
    isOtherCard: ({ context, event }) =>
      event.type === 'CARD_READ' && event.cardId !== context.cardId,
    failureRoute: ({ event }, params: { route: FailureRoute }) =>
      failureRoute(failureOf(event).code) === params.route,
    /** The failure was a retry, and it was the last one allowed. */
    retriesExhausted: ({ context }) =>
      context.retry !== null && context.retry.attempt + 1 >= context.retryAttempts,
    /** Unreachable again on the last retry allowed: time to give up. */
    unreachableAgain: ({ context, event }, params: { resume: ResumeAt }) =>
      failureRoute(failureOf(event).code) === 'unreachable' &&
      context.retry?.resume === params.resume &&
      context.retry.attempt + 1 >= context.retryAttempts,
    resumesAt: ({ context }, params: { resume: ResumeAt }) =>
      context.retry?.resume === params.resume,
  },
}).createMachine({
  id: 'kiosk',
  context: ({ input }) => ({
    ...emptyFlow,
    language: input.language ?? DEFAULT_PAGE_CONFIG.language,
    defaultLanguage: input.language ?? DEFAULT_PAGE_CONFIG.language,
    enrollWithoutPrompt: input.enrollWithoutPrompt ?? false,
    retryAttempts: input.retryAttempts ?? DEFAULT_PAGE_CONFIG.retry.attempts,
    policy: DEFAULT_POLICY,
  }),
  invoke: { id: 'policyFeed', src: 'policyFeed' },
  on: { POLICY: { actions: 'setPolicy' } },
  initial: 'idle',
  states: {
    idle: {
      entry: 'reset',
      on: {
        CARD_READ: { target: 'lookingUp', actions: 'startLookup' },
        LOGIN: [
          { guard: 'hasOneLoginMethod', target: 'loginForm', actions: 'onlyLoginMethod' },
          { guard: 'hasManyLoginMethods', target: 'chooseLoginMethod' },
        ],
        SET_LANGUAGE: { actions: 'setLanguage' },
      },
    },

    lookingUp: {
      invoke: {
        id: 'cardAuth',
        src: 'cardAuth',
        input: ({ context }) => ({ cardId: context.cardId ?? '' }),
        onDone: [
          {
            guard: { type: 'isKnownCard', params: ({ event }) => event.output },
            target: 'welcome',
            actions: {
              type: 'welcome',
              params: ({ event }) => ({
                reason: 'card' as const,
                user: event.output.result === 'known' ? event.output.user : emptyUser,
              }),
            },
          },
          {
            guard: 'enrollsWithoutPrompt',
            target: 'startEnrollment',
            actions: { type: 'offerEnrollment', params: ({ event }) => event.output },
          },
          {
            target: 'offerEnrollment',
            actions: { type: 'offerEnrollment', params: ({ event }) => event.output },
          },
        ],
        onError: [
          ...unreachableTransitions('lookup'),
          { guard: routeIs('locked'), target: 'lockedOut', actions: 'storeError' },
          { target: 'failed', actions: 'storeError' },
        ],
      },
      // A different card replaces the one being looked up; the old request is cancelled.
      on: { CARD_READ: { target: 'lookingUp', reenter: true, actions: 'startLookup' } },
    },

    welcome: {
      after: { sessionTimeout: 'idle' },
      on: {
        LOGOUT: 'idle',
        CARD_READ: { target: 'lookingUp', actions: 'startLookup' },
      },
    },

    offerEnrollment: {
      after: { promptTimeout: 'idle' },
      on: {
        ENROLL: 'startEnrollment',
        CANCEL: 'idle',
        CARD_READ: { target: 'lookingUp', actions: 'startLookup' },
      },
    },

    /** Chooses the next screen: the method choice, or the form when only one method is allowed. */
    startEnrollment: {
      always: [
        { guard: 'hasOneEnrollMethod', target: 'enrollForm', actions: 'onlyEnrollMethod' },
        { target: 'chooseEnrollMethod' },
      ],
    },

    chooseEnrollMethod: {
      entry: 'forgetMethod',
      after: { promptTimeout: 'idle' },
      on: {
        CHOOSE_METHOD: {
          guard: 'allowsEnrollMethod',
          target: 'enrollForm',
          actions: 'chooseMethod',
        },
        CANCEL: 'idle',
        CARD_READ: { target: 'lookingUp', actions: 'startLookup' },
      },
    },

    enrollForm: {
      after: { formTimeout: 'idle' },
      on: {
        SUBMIT: {
          guard: 'isCompleteEnrollForm',
          target: 'enrolling',
          actions: 'rememberUsername',
        },
        ACTIVITY: { target: 'enrollForm', reenter: true },
        CHANGE_METHOD: { guard: 'hasManyEnrollMethods', target: 'chooseEnrollMethod' },
        CANCEL: 'idle',
        CARD_READ: { guard: 'isOtherCard', target: 'lookingUp', actions: 'startLookup' },
      },
    },

    enrolling: {
      invoke: {
        id: 'enroll',
        src: 'enroll',
        // The only place the secret goes: from the SUBMIT event into the request.
        input: ({ context, event }) => ({
          enrollmentToken: context.enrollment?.token ?? '',
          username: context.username,
          secret: event.type === 'SUBMIT' ? event.secret : '',
          method: context.method ?? 'password',
        }),
        onDone: {
          target: 'welcome',
          actions: {
            type: 'welcome',
            params: ({ event }) => ({ reason: 'enrolled' as const, user: event.output.user }),
          },
        },
        onError: [
          ...unreachableTransitions('enrollForm'),
          { guard: routeIs('form'), target: 'enrollForm', actions: 'storeError' },
          { guard: routeIs('locked'), target: 'lockedOut', actions: 'storeError' },
          { guard: routeIs('cardBound'), target: 'cardAlreadyBound', actions: 'storeError' },
          {
            guard: routeIs('enrollmentExpired'),
            target: 'enrollmentExpired',
            actions: 'storeError',
          },
          { target: 'failed', actions: 'storeError' },
        ],
      },
    },

    chooseLoginMethod: {
      entry: 'forgetMethod',
      after: { promptTimeout: 'idle' },
      on: {
        CHOOSE_METHOD: { guard: 'allowsLoginMethod', target: 'loginForm', actions: 'chooseMethod' },
        CANCEL: 'idle',
        CARD_READ: { target: 'lookingUp', actions: 'startLookup' },
      },
    },

    loginForm: {
      after: { formTimeout: 'idle' },
      on: {
        SUBMIT: { guard: 'isCompleteLoginForm', target: 'loggingIn', actions: 'rememberUsername' },
        ACTIVITY: { target: 'loginForm', reenter: true },
        CHANGE_METHOD: { guard: 'hasManyLoginMethods', target: 'chooseLoginMethod' },
        CANCEL: 'idle',
        // A card is a quicker way to log in.
        CARD_READ: { target: 'lookingUp', actions: 'startLookup' },
      },
    },

    loggingIn: {
      invoke: {
        id: 'login',
        src: 'login',
        input: ({ context, event }): TerminalLoginRequest => {
          const secret = event.type === 'SUBMIT' ? event.secret : '';
          return context.method === 'pin'
            ? { method: 'pin', pin: secret }
            : { method: context.method ?? 'password', username: context.username, secret };
        },
        onDone: {
          target: 'welcome',
          actions: {
            type: 'welcome',
            params: ({ event }) => ({ reason: 'login' as const, user: event.output.user }),
          },
        },
        onError: [
          ...unreachableTransitions('loginForm'),
          { guard: routeIs('form'), target: 'loginForm', actions: 'storeError' },
          { guard: routeIs('locked'), target: 'lockedOut', actions: 'storeError' },
          { target: 'failed', actions: 'storeError' },
        ],
      },
    },

    serverUnreachable: {
      after: { retryBackoff: 'reconnecting' },
      on: {
        RETRY: 'reconnecting',
        CANCEL: 'idle',
        CARD_READ: { target: 'lookingUp', actions: 'startLookup' },
      },
    },

    reconnecting: {
      invoke: {
        id: 'probe',
        src: 'probe',
        onDone: [
          {
            guard: { type: 'resumesAt', params: { resume: 'lookup' } },
            target: 'lookingUp',
            actions: assign({ policy: ({ event }) => event.output }),
          },
          {
            guard: { type: 'resumesAt', params: { resume: 'enrollForm' } },
            target: 'enrollForm',
            actions: assign({ policy: ({ event }) => event.output }),
          },
          { target: 'loginForm', actions: assign({ policy: ({ event }) => event.output }) },
        ],
        onError: [
          { guard: 'retriesExhausted', target: 'idle' },
          { target: 'serverUnreachable', actions: 'nextAttempt' },
        ],
      },
      on: { CARD_READ: { target: 'lookingUp', actions: 'startLookup' } },
    },

    lockedOut: {
      after: { errorTimeout: 'idle' },
      on: {
        CANCEL: 'idle',
        CARD_READ: { target: 'lookingUp', actions: 'startLookup' },
      },
    },

    cardAlreadyBound: {
      after: { errorTimeout: 'idle' },
      on: {
        CANCEL: 'idle',
        CARD_READ: { target: 'lookingUp', actions: 'startLookup' },
      },
    },

    enrollmentExpired: {
      after: { errorTimeout: 'idle' },
      on: {
        CANCEL: 'idle',
        CARD_READ: { target: 'lookingUp', actions: 'startLookup' },
      },
    },

    failed: {
      after: { errorTimeout: 'idle' },
      on: {
        CANCEL: 'idle',
        CARD_READ: { target: 'lookingUp', actions: 'startLookup' },
      },
    },
  },
});

const emptyUser: PublicUser = { username: '', fullName: '' };

/**
 * Server unreachable during a call: the first time, wait and retry; when the call was itself a
 * retry and the last one allowed, give up to idle.
 */
function unreachableTransitions(resume: ResumeAt) {
  return [
    { guard: { type: 'unreachableAgain' as const, params: { resume } }, target: 'idle' },
    {
      guard: routeIs('unreachable'),
      target: 'serverUnreachable',
      actions: { type: 'noteUnreachable' as const, params: { resume } },
    },
  ];
}

export type KioskMachine = typeof kioskMachine;
export type KioskSnapshot = SnapshotFrom<KioskMachine>;
export type KioskStateValue = KioskSnapshot['value'];

/** The automatic retry `serverUnreachable` waits for: the `attempt`-th (from 1) of `attempts`. */
export interface PendingRetry {
  attempt: number;
  attempts: number;
  /** How long the machine waits, from entering `serverUnreachable`, before it retries by itself. */
  delayMs: number;
}

/**
 * The retry the machine has scheduled, for a countdown on screen: its `retryBackoff` delay, the
 * one it was given (`delaysFrom` a terminal's config, or the default), evaluated for this
 * snapshot, so what the screen counts down is the timer the machine set. Null in other states.
 */
export function pendingRetry(snapshot: KioskSnapshot): PendingRetry | null {
  const { retry, retryAttempts } = snapshot.context;
  if (!snapshot.matches('serverUnreachable') || !retry) return null;
  const delay = snapshot.machine.implementations.delays.retryBackoff;
  // Both definitions of `retryBackoff` (above, and `delaysFrom`) read the context alone.
  const delayMs =
    typeof delay === 'function'
      ? (delay as (args: { context: KioskContext }) => number)({ context: snapshot.context })
      : (delay ?? retryBackoff(retry.attempt));
  return { attempt: retry.attempt + 1, attempts: retryAttempts, delayMs };
}

/** The machine's actors bound to a backend: what the UI entry point provides. */
export function backendActors(backend: KioskBackend, options: { policyRefreshMs: number }) {
  return {
    cardAuth: fromPromise<CardAuthResponse, { cardId: string }>(({ input, signal }) =>
      backend.cardAuth(input.cardId, { signal }),
    ),
    enroll: fromPromise<EnrollResponse, EnrollInput>(({ input, signal }) =>
      backend.enroll(input, { signal }),
    ),
    login: fromPromise<TerminalLoginResponse, TerminalLoginRequest>(({ input, signal }) =>
      backend.login(input, { signal }),
    ),
    probe: fromPromise<TerminalPolicy, undefined>(({ signal }) => backend.policy({ signal })),
    policyFeed: fromCallback<KioskEvent>(({ sendBack }) => {
      const stop = new AbortController();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const fetchPolicy = () => {
        backend
          .policy({ signal: stop.signal })
          .then((policy) => {
            sendBack({ type: 'POLICY', policy });
            timer = setTimeout(fetchPolicy, options.policyRefreshMs);
          })
          // Keep the last policy; ask again soon, the server may just be restarting.
          .catch(() => {
            if (!stop.signal.aborted) {
              timer = setTimeout(fetchPolicy, Math.min(options.policyRefreshMs, 10_000));
            }
          });
      };
      fetchPolicy();
      return () => {
        stop.abort();
        clearTimeout(timer);
      };
    }),
  };
}
