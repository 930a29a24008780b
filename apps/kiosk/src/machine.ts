import type {
  CardAuthResponse,
  EnrollmentMethod,
  EnrollResponse,
  PublicUser,
  TerminalLoginRequest,
  TerminalLoginResponse,
} from '@cardbind/shared';
import { and, assign, fromCallback, fromPromise, setup, type SnapshotFrom } from 'xstate';
import type { EnrollInput, KioskBackend } from './backend.ts';
import { failureRoute, toKioskApiError, type FailureRoute, type KioskApiError } from './errors.ts';
import {
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
 *   growing waits (`reconnecting` probes the server) and gives up to idle; a form it closed
 *   reopens under the policy the server answers with (`resumeEnrollForm`, `resumeLoginForm`);
 *   anything an administrator must fix → `failed`.
 * - A new card swipe restarts the flow from every state except: the forms ignore another read of
 *   the card they are for (people tap again while typing); `enrolling` and `loggingIn` ignore all
 *   reads, because the request carrying the secret is in flight and its result must be seen.
 * - Every state that waits for a person has a timeout back to idle.
 */

export type WelcomeReason = 'card' | 'enrolled' | 'login';
/** What `reconnecting` resumes once the server answers again. */
export type ResumeAt = 'lookup' | 'enrollForm' | 'loginForm';
/** How many secrets the policy allows for a flow: none, exactly one (no choice), or several. */
type MethodCount = 'none' | 'one' | 'many';

/**
 * The part of a terminal's configuration (`KioskPageConfig`) the flow reads: its language,
 * whether it asks before enrolling, every wait, and the automatic retries. The machine's only
 * input, so what it waits and how often it retries cannot drift apart.
 */
export type KioskMachineConfig = Pick<
  KioskPageConfig,
  'language' | 'enrollWithoutPrompt' | 'delays' | 'retry'
>;

/** What a form asks a secret for: binding a card, or logging in without one. */
export type MethodFlow = 'enroll' | 'login';

export interface KioskContext {
  /** The terminal's settings, as given at the start; never assigned. */
  readonly config: Readonly<KioskMachineConfig>;
  /** The language shown now; back to `config.language` whenever the kiosk returns to idle. */
  language: string;
  policy: TerminalPolicy;
  cardId: string | null;
  /** The card was enrolled as temporary and has expired: the offer says so. */
  cardExpired: boolean;
  user: PublicUser | null;
  welcomeReason: WelcomeReason | null;
  enrollment: { token: string; expiresAt: string } | null;
  /** The secret the open form asks for. */
  method: EnrollmentMethod | null;
  /**
   * The method a form reopened after an outage had to give up, because the policy the server
   * came back with no longer allows it: the form says so.
   */
  withdrawnMethod: EnrollmentMethod | null;
  /** Kept while the person stays in a form, so a retry does not ask for it again. */
  username: string;
  error: KioskApiError | null;
  /** Set while the server is unreachable: how many retries failed, and what to resume. */
  retry: { attempt: number; resume: ResumeAt } | null;
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

/** The wait before retry number `attempt` (0-based): doubling from `baseMs`, at most `maxMs`. */
export function retryBackoff(attempt: number, { baseMs, maxMs }: KioskPageConfig['retry']) {
  return Math.min(maxMs, baseMs * 2 ** attempt);
}

/** The machine's named delays: the screens' timeouts, and the wait before an automatic retry. */
export type KioskDelayName = keyof KioskDelays | 'retryBackoff';

// Typed by the names, so that a delay added to KioskDelays fails the type check until it is here.
const DELAY_NAME_SET: Record<KioskDelayName, true> = {
  sessionTimeout: true,
  promptTimeout: true,
  formTimeout: true,
  errorTimeout: true,
  retryBackoff: true,
};
const DELAY_NAMES = Object.keys(DELAY_NAME_SET) as KioskDelayName[];

/**
 * How long the named delay waits in this context, from the terminal's config in it: what the
 * machine's timers are set to, and what a countdown on screen shows.
 */
export function delayFor(name: KioskDelayName, context: KioskContext): number {
  return name === 'retryBackoff'
    ? retryBackoff(context.retry?.attempt ?? 0, context.config.retry)
    : context.config.delays[name];
}

type DelayFromContext = (args: { context: KioskContext }) => number;
/** Each delay reads the config in the context: nothing to `provide`, nothing to drift. */
const delays = Object.fromEntries(
  DELAY_NAMES.map((name): [KioskDelayName, DelayFromContext] => [
    name,
    ({ context }) => delayFor(name, context),
  ]),
) as Record<KioskDelayName, DelayFromContext>;

/** Logging in with a PIN (short ID) alone needs no username; every other secret does. */
export function needsUsername(flow: MethodFlow, method: EnrollmentMethod): boolean {
  return flow === 'enroll' || method !== 'pin';
}

/** The secrets the policy allows for binding a card, or for logging in without one. */
export function methodsFor(policy: TerminalPolicy, flow: MethodFlow): EnrollmentMethod[] {
  return flow === 'enroll' ? policy.enrollmentMethods : policy.loginMethods;
}

const emptyFlow = {
  cardId: null,
  cardExpired: false,
  user: null,
  welcomeReason: null,
  enrollment: null,
  method: null,
  withdrawnMethod: null,
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
const methodCountIs = (flow: MethodFlow, count: MethodCount) => ({
  type: 'methodCountIs' as const,
  params: { flow, count },
});
const onlyMethod = (flow: MethodFlow) => ({ type: 'onlyMethod' as const, params: { flow } });
const allowsMethod = (flow: MethodFlow) => ({ type: 'allowsMethod' as const, params: { flow } });
const keepsMethod = (flow: MethodFlow) => ({ type: 'keepsMethod' as const, params: { flow } });
const firstAllowedMethod = (flow: MethodFlow) => ({
  type: 'firstAllowedMethod' as const,
  params: { flow },
});

function methodCount(allowed: number): MethodCount {
  return allowed === 0 ? 'none' : allowed === 1 ? 'one' : 'many';
}

function isAllowed(policy: TerminalPolicy, flow: MethodFlow, method: EnrollmentMethod | null) {
  return method !== null && methodsFor(policy, flow).includes(method);
}

/** A problem screen: gone after a while, on Cancel, or when a card is swiped. */
const DISMISSIBLE_PROBLEM = {
  after: { errorTimeout: 'idle' },
  on: {
    CANCEL: 'idle',
    CARD_READ: { target: 'lookingUp', actions: 'startLookup' },
  },
} as const;

export const kioskMachine = setup({
  types: {
    context: {} as KioskContext,
    events: {} as KioskEvent,
    /** A whole `KioskPageConfig` will do: the context keeps only the machine's part. */
    input: {} as KioskMachineConfig,
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
  delays,
  actions: {
    reset: assign(({ context }) => ({ ...emptyFlow, language: context.config.language })),
    startLookup: assign(({ event }) =>
      event.type === 'CARD_READ' ? { ...emptyFlow, cardId: event.cardId } : {},
    ),
    setLanguage: assign(({ event }) =>
      event.type === 'SET_LANGUAGE' ? { language: event.language } : {},
    ),
    setPolicy: assign(({ event }) => (event.type === 'POLICY' ? { policy: event.policy } : {})),
    chooseMethod: assign(({ event }) =>
      event.type === 'CHOOSE_METHOD'
        ? { method: event.method, withdrawnMethod: null, error: null }
        : {},
    ),
    onlyMethod: assign(({ context }, params: { flow: MethodFlow }) => ({
      method: methodsFor(context.policy, params.flow)[0] ?? null,
      withdrawnMethod: null,
      error: null,
    })),
    /**
     * A reopened form whose method the policy no longer allows: the first one it does. The error
     * stays, so the form still says why it was closed (the server was away), and the withdrawn
     * method is kept for it to say why it now asks for another secret.
     */
    firstAllowedMethod: assign(({ context }, params: { flow: MethodFlow }) => ({
      method: methodsFor(context.policy, params.flow)[0] ?? null,
      withdrawnMethod: context.method,
    })),
    forgetMethod: assign({ method: null, withdrawnMethod: null, error: null }),
    rememberUsername: assign(({ event }) =>
      event.type === 'SUBMIT'
        ? { username: event.username.trim(), withdrawnMethod: null, error: null }
        : {},
    ),
    /** The policy the server answered when it came back: newer than the one the feed sent. */
    adoptPolicy: assign((_, policy: TerminalPolicy) => ({ policy })),
    /**
     * A form reopened is the person's again: their next submit is a new action, not another
     * automatic retry, so it starts the count afresh.
     */
    handFormBack: assign({ retry: null, withdrawnMethod: null }),
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
    enrollsWithoutPrompt: ({ context }) => context.config.enrollWithoutPrompt,
    /** The policy allows no secret for the flow, exactly one (no choice to offer), or several. */
    methodCountIs: ({ context }, params: { flow: MethodFlow; count: MethodCount }) =>
      methodCount(methodsFor(context.policy, params.flow).length) === params.count,
    /** The method the person picks is one the policy allows. */
    allowsMethod: ({ context, event }, params: { flow: MethodFlow }) =>
      event.type === 'CHOOSE_METHOD' && isAllowed(context.policy, params.flow, event.method),
    /** The method chosen before is still one the policy allows. */
    keepsMethod: ({ context }, params: { flow: MethodFlow }) =>
      isAllowed(context.policy, params.flow, context.method),
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
      context.retry !== null && context.retry.attempt + 1 >= context.config.retry.attempts,
    resumesAt: ({ context }, params: { resume: ResumeAt }) =>
      context.retry?.resume === params.resume,
  },
}).createMachine({
  id: 'kiosk',
  context: ({ input: { language, enrollWithoutPrompt, delays, retry } }) => ({
    ...emptyFlow,
    // Only the machine's part: the input may be a whole KioskPageConfig.
    config: { language, enrollWithoutPrompt, delays, retry },
    language,
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
          {
            guard: methodCountIs('login', 'one'),
            target: 'loginForm',
            actions: onlyMethod('login'),
          },
          { guard: methodCountIs('login', 'many'), target: 'chooseLoginMethod' },
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
        {
          guard: methodCountIs('enroll', 'one'),
          target: 'enrollForm',
          actions: onlyMethod('enroll'),
        },
        { target: 'chooseEnrollMethod' },
      ],
    },

    chooseEnrollMethod: {
      entry: 'forgetMethod',
      after: { promptTimeout: 'idle' },
      on: {
        CHOOSE_METHOD: {
          guard: allowsMethod('enroll'),
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
        CHANGE_METHOD: { guard: methodCountIs('enroll', 'many'), target: 'chooseEnrollMethod' },
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
        CHOOSE_METHOD: {
          guard: allowsMethod('login'),
          target: 'loginForm',
          actions: 'chooseMethod',
        },
        CANCEL: 'idle',
        CARD_READ: { target: 'lookingUp', actions: 'startLookup' },
      },
    },

    loginForm: {
      after: { formTimeout: 'idle' },
      on: {
        SUBMIT: { guard: 'isCompleteLoginForm', target: 'loggingIn', actions: 'rememberUsername' },
        ACTIVITY: { target: 'loginForm', reenter: true },
        CHANGE_METHOD: { guard: methodCountIs('login', 'many'), target: 'chooseLoginMethod' },
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
            actions: { type: 'adoptPolicy', params: ({ event }) => event.output },
          },
          {
            guard: { type: 'resumesAt', params: { resume: 'enrollForm' } },
            target: 'resumeEnrollForm',
            actions: [{ type: 'adoptPolicy', params: ({ event }) => event.output }, 'handFormBack'],
          },
          {
            target: 'resumeLoginForm',
            actions: [{ type: 'adoptPolicy', params: ({ event }) => event.output }, 'handFormBack'],
          },
        ],
        onError: [
          { guard: 'retriesExhausted', target: 'idle' },
          { target: 'serverUnreachable', actions: 'nextAttempt' },
        ],
      },
      on: { CARD_READ: { target: 'lookingUp', actions: 'startLookup' } },
    },

    /**
     * Reopens the form the server's absence closed, username kept. The policy that came back may
     * no longer allow the method chosen before (an administrator turned it off meanwhile): then
     * the first method it allows, or, when it allows none, what the flow shows in that case.
     */
    resumeEnrollForm: {
      always: [
        { guard: keepsMethod('enroll'), target: 'enrollForm' },
        { guard: methodCountIs('enroll', 'none'), target: 'chooseEnrollMethod' },
        { target: 'enrollForm', actions: firstAllowedMethod('enroll') },
      ],
    },

    /** As `resumeEnrollForm`; with no login method allowed, idle offers no login at all. */
    resumeLoginForm: {
      always: [
        { guard: keepsMethod('login'), target: 'loginForm' },
        { guard: methodCountIs('login', 'none'), target: 'idle' },
        { target: 'loginForm', actions: firstAllowedMethod('login') },
      ],
    },

    lockedOut: DISMISSIBLE_PROBLEM,
    cardAlreadyBound: DISMISSIBLE_PROBLEM,
    enrollmentExpired: DISMISSIBLE_PROBLEM,
    failed: DISMISSIBLE_PROBLEM,
  },
});

const emptyUser: PublicUser = { username: '', fullName: '' };

/**
 * Server unreachable during a call: wait and retry. Only the card lookup is retried by itself,
 * so only a lookup that was itself the last retry allowed gives up to idle; a form reopened
 * after a retry is the person's again, and its next submit starts the count afresh.
 */
function unreachableTransitions(resume: ResumeAt) {
  const giveUp = {
    guard: and([
      routeIs('unreachable'),
      { type: 'resumesAt' as const, params: { resume } },
      'retriesExhausted',
    ]),
    target: 'idle',
  } as const;
  return [
    ...(resume === 'lookup' ? [giveUp] : []),
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
 * The retry the machine has scheduled, for a countdown on screen: its `retryBackoff` delay
 * evaluated for this snapshot (`delayFor`, as the machine's timer was), and the attempts the
 * terminal's config allows. Null in other states.
 */
export function pendingRetry(snapshot: KioskSnapshot): PendingRetry | null {
  const { context } = snapshot;
  if (!snapshot.matches('serverUnreachable') || !context.retry) return null;
  return {
    attempt: context.retry.attempt + 1,
    attempts: context.config.retry.attempts,
    delayMs: delayFor('retryBackoff', context),
  };
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
