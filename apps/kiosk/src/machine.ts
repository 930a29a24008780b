import type { CardAuthResponse, EnrollResponse, PublicUser } from '@cardbind/shared';
import { assign, fromPromise, setup, type SnapshotFrom } from 'xstate';
import type { EnrollInput, KioskBackend } from './backend.ts';
import { enrollFailureKind, isTransient, toKioskApiError, type KioskApiError } from './errors.ts';

/**
 * The kiosk's card flow: swipe → known card: welcome; unknown card: offer enrollment → form →
 * enroll → welcome. Server calls are the `cardAuth` and `enroll` actors, so the machine itself
 * is pure and the UI only renders states and sends events.
 *
 * A new card swipe restarts the flow from every state except two:
 * - `enrollForm` ignores another read of the same card (people tap again while typing) but
 *   starts over for a different card;
 * - `enrolling` ignores all reads: the request carrying the password is in flight and the server
 *   may bind the card whatever we do now, so the person must see its result first.
 */

export interface KioskContext {
  cardId: string | null;
  user: PublicUser | null;
  enrollment: { token: string; expiresAt: string } | null;
  /** Kept while the person stays in the enrollment form, so a retry does not ask for it again. */
  username: string;
  error: KioskApiError | null;
}

/**
 * `SUBMIT` carries the password straight into the `enroll` actor's input; it is never assigned to
 * the context. `ACTIVITY` (typing) keeps the form open.
 */
export type KioskEvent =
  | { type: 'CARD_READ'; cardId: string }
  | { type: 'ENROLL' }
  | { type: 'SUBMIT'; username: string; secret: string }
  | { type: 'ACTIVITY' }
  | { type: 'CANCEL' }
  | { type: 'LOGOUT' }
  | { type: 'RETRY' };

export const DEFAULT_DELAYS = {
  /** How long the welcome screen stays before the next person may swipe. */
  sessionTimeout: 30_000,
  /** How long "Enroll this card?" waits for an answer. */
  promptTimeout: 30_000,
  /** Inactivity in the enrollment form (typing restarts it). */
  formTimeout: 90_000,
  /** How long an error stays before the kiosk returns to "Swipe your card". */
  errorTimeout: 20_000,
} as const;

const initialContext: KioskContext = {
  cardId: null,
  user: null,
  enrollment: null,
  username: '',
  error: null,
};

/** Placeholders that say what is missing: the real actors come from `backendActors(backend)`. */
const missingActor = (name: string) => () =>
  Promise.reject(new Error(`The kiosk machine needs a "${name}" actor: provide one.`));

export const kioskMachine = setup({
  types: {
    context: {} as KioskContext,
    events: {} as KioskEvent,
  },
  actors: {
    cardAuth: fromPromise<CardAuthResponse, { cardId: string }>(missingActor('cardAuth')),
    enroll: fromPromise<EnrollResponse, EnrollInput>(missingActor('enroll')),
  },
  delays: DEFAULT_DELAYS,
  actions: {
    reset: assign(() => initialContext),
    startLookup: assign(({ event }) => {
      if (event.type !== 'CARD_READ') return {};
      return { ...initialContext, cardId: event.cardId };
    }),
    rememberUsername: assign(({ event }) => {
      if (event.type !== 'SUBMIT') return {};
      return { username: event.username.trim(), error: null };
    }),
    clearError: assign({ error: null }),
  },
  guards: {
    isKnownCard: (_, output: CardAuthResponse) => output.result === 'known',
    isCompleteForm: ({ event }) =>
      event.type === 'SUBMIT' && event.username.trim() !== '' && event.secret !== '',
    isOtherCard: ({ context, event }) =>
      event.type === 'CARD_READ' && event.cardId !== context.cardId,
    isFormError: (_, error: KioskApiError) => enrollFailureKind(error.code) === 'form',
    canRetry: ({ context }) => context.error !== null && isTransient(context.error.code),
  },
}).createMachine({
  id: 'kiosk',
  context: initialContext,
  initial: 'idle',
  states: {
    idle: {
      entry: 'reset',
      on: { CARD_READ: { target: 'lookingUp', actions: 'startLookup' } },
    },
    lookingUp: {
      invoke: {
        src: 'cardAuth',
        input: ({ context }) => ({ cardId: context.cardId ?? '' }),
        onDone: [
          {
            guard: { type: 'isKnownCard', params: ({ event }) => event.output },
            target: 'welcome',
            actions: assign(({ event }) =>
              event.output.result === 'known' ? { user: event.output.user } : {},
            ),
          },
          {
            target: 'offerEnrollment',
            actions: assign(({ event }) =>
              event.output.result === 'unknown'
                ? {
                    enrollment: {
                      token: event.output.enrollmentToken,
                      expiresAt: event.output.expiresAt,
                    },
                  }
                : {},
            ),
          },
        ],
        onError: {
          target: 'lookupError',
          actions: assign({ error: ({ event }) => toKioskApiError(event.error) }),
        },
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
        ENROLL: 'enrollForm',
        CANCEL: 'idle',
        CARD_READ: { target: 'lookingUp', actions: 'startLookup' },
      },
    },
    enrollForm: {
      after: { formTimeout: 'idle' },
      on: {
        SUBMIT: { guard: 'isCompleteForm', target: 'enrolling', actions: 'rememberUsername' },
        ACTIVITY: { target: 'enrollForm', reenter: true },
        CANCEL: 'idle',
        CARD_READ: { guard: 'isOtherCard', target: 'lookingUp', actions: 'startLookup' },
      },
    },
    enrolling: {
      invoke: {
        src: 'enroll',
        // The only place the password goes: from the SUBMIT event into the request.
        input: ({ context, event }) => ({
          enrollmentToken: context.enrollment?.token ?? '',
          username: context.username,
          secret: event.type === 'SUBMIT' ? event.secret : '',
        }),
        onDone: {
          target: 'welcome',
          actions: assign({ user: ({ event }) => event.output.user, enrollment: null }),
        },
        onError: [
          {
            guard: {
              type: 'isFormError',
              params: ({ event }) => toKioskApiError(event.error),
            },
            target: 'enrollForm',
            actions: assign({ error: ({ event }) => toKioskApiError(event.error) }),
          },
          {
            target: 'enrollError',
            actions: assign({ error: ({ event }) => toKioskApiError(event.error) }),
          },
        ],
      },
    },
    enrollError: {
      after: { errorTimeout: 'idle' },
      on: {
        // Back to the form with the username kept: the password was not kept, so it is asked again.
        RETRY: { guard: 'canRetry', target: 'enrollForm', actions: 'clearError' },
        CANCEL: 'idle',
        CARD_READ: { target: 'lookingUp', actions: 'startLookup' },
      },
    },
    lookupError: {
      after: { errorTimeout: 'idle' },
      on: {
        RETRY: { guard: 'canRetry', target: 'lookingUp', actions: 'clearError' },
        CANCEL: 'idle',
        CARD_READ: { target: 'lookingUp', actions: 'startLookup' },
      },
    },
  },
});

export type KioskMachine = typeof kioskMachine;
export type KioskSnapshot = SnapshotFrom<KioskMachine>;
export type KioskStateValue = KioskSnapshot['value'];

/** The machine's actors bound to a backend: what the UI entry point provides. */
export function backendActors(backend: KioskBackend) {
  return {
    cardAuth: fromPromise<CardAuthResponse, { cardId: string }>(({ input, signal }) =>
      backend.cardAuth(input.cardId, { signal }),
    ),
    enroll: fromPromise<EnrollResponse, EnrollInput>(({ input, signal }) =>
      backend.enroll(input, { signal }),
    ),
  };
}
