import type { CardAuthResponse, EnrollResponse } from '@cardbind/shared';
import { describe, expect, it } from 'vitest';
import { createActor, fromPromise, SimulatedClock } from 'xstate';
import type { EnrollInput } from './backend.ts';
import { KioskApiError, type KioskErrorCode } from './errors.ts';
import { DEFAULT_DELAYS, kioskMachine } from './machine.ts';

const ADA = { username: 'ada', fullName: 'Ada Lovelace' };
const KNOWN: CardAuthResponse = { result: 'known', user: ADA };
const UNKNOWN: CardAuthResponse = {
  result: 'unknown',
  enrollmentToken: 'cbe_token',
  expiresAt: '2030-01-01T00:05:00.000Z',
};
const ENROLLED: EnrollResponse = { result: 'enrolled', user: ADA };
const SECRET = 'correct horse battery staple';

interface Deferred<T> {
  resolve(value: T): void;
  reject(error: unknown): void;
}

/**
 * A kiosk actor whose server calls wait until the test answers them, on a simulated clock:
 * every request is recorded with its input and abort signal.
 */
function startKiosk() {
  const lookups: Array<{ cardId: string; signal: AbortSignal } & Deferred<CardAuthResponse>> = [];
  const enrollments: Array<{ input: EnrollInput } & Deferred<EnrollResponse>> = [];
  const clock = new SimulatedClock();
  const machine = kioskMachine.provide({
    actors: {
      cardAuth: fromPromise<CardAuthResponse, { cardId: string }>(
        ({ input, signal }) =>
          new Promise((resolve, reject) =>
            lookups.push({ cardId: input.cardId, signal, resolve, reject }),
          ),
      ),
      enroll: fromPromise<EnrollResponse, EnrollInput>(
        ({ input }) =>
          new Promise((resolve, reject) => enrollments.push({ input, resolve, reject })),
      ),
    },
  });
  const actor = createActor(machine, { clock });
  actor.start();
  const state = () => actor.getSnapshot().value;
  const context = () => actor.getSnapshot().context;
  return { actor, clock, lookups, enrollments, state, context, send: actor.send.bind(actor) };
}

type Kiosk = ReturnType<typeof startKiosk>;

/** Lets promise reactions (actor done/error events) run. */
const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

async function toWelcome(kiosk: Kiosk) {
  kiosk.send({ type: 'CARD_READ', cardId: 'CARD1' });
  kiosk.lookups.at(-1)!.resolve(KNOWN);
  await settle();
  expect(kiosk.state()).toBe('welcome');
}

async function toOffer(kiosk: Kiosk, cardId = 'CARD1') {
  kiosk.send({ type: 'CARD_READ', cardId });
  kiosk.lookups.at(-1)!.resolve(UNKNOWN);
  await settle();
  expect(kiosk.state()).toBe('offerEnrollment');
}

async function toForm(kiosk: Kiosk) {
  await toOffer(kiosk);
  kiosk.send({ type: 'ENROLL' });
  expect(kiosk.state()).toBe('enrollForm');
}

async function toEnrolling(kiosk: Kiosk) {
  await toForm(kiosk);
  kiosk.send({ type: 'SUBMIT', username: ' ada ', secret: SECRET });
  expect(kiosk.state()).toBe('enrolling');
}

async function failEnrollment(kiosk: Kiosk, code: KioskErrorCode, status = 400) {
  await toEnrolling(kiosk);
  kiosk.enrollments.at(-1)!.reject(new KioskApiError(code, `failed: ${code}`, status));
  await settle();
}

async function toLookupError(kiosk: Kiosk, code: KioskErrorCode = 'server_unreachable') {
  kiosk.send({ type: 'CARD_READ', cardId: 'CARD1' });
  kiosk.lookups.at(-1)!.reject(new KioskApiError(code, 'The server cannot be reached.', 502));
  await settle();
  expect(kiosk.state()).toBe('lookupError');
}

function expectTimeout(kiosk: Kiosk, delay: number) {
  const before = kiosk.state();
  kiosk.clock.increment(delay - 1);
  expect(kiosk.state()).toBe(before);
  kiosk.clock.increment(1);
  expect(kiosk.state()).toBe('idle');
  expect(kiosk.context()).toEqual({
    cardId: null,
    user: null,
    enrollment: null,
    username: '',
    error: null,
  });
}

describe('idle', () => {
  it('starts waiting for a card and looks up a swiped card', () => {
    const kiosk = startKiosk();
    expect(kiosk.state()).toBe('idle');
    kiosk.send({ type: 'CARD_READ', cardId: 'CARD1' });
    expect(kiosk.state()).toBe('lookingUp');
    expect(kiosk.lookups.map((l) => l.cardId)).toEqual(['CARD1']);
  });

  it('ignores buttons that are not on the screen', () => {
    const kiosk = startKiosk();
    for (const type of ['ENROLL', 'CANCEL', 'LOGOUT', 'RETRY', 'ACTIVITY'] as const) {
      kiosk.send({ type });
      expect(kiosk.state()).toBe('idle');
    }
    kiosk.send({ type: 'SUBMIT', username: 'ada', secret: SECRET });
    expect(kiosk.state()).toBe('idle');
    expect(kiosk.enrollments).toHaveLength(0);
  });
});

describe('lookingUp', () => {
  it('welcomes the owner of a known card', async () => {
    const kiosk = startKiosk();
    await toWelcome(kiosk);
    expect(kiosk.context().user).toEqual(ADA);
  });

  it('offers enrollment for an unknown card and keeps its enrollment token', async () => {
    const kiosk = startKiosk();
    await toOffer(kiosk);
    expect(kiosk.context().enrollment).toEqual({
      token: 'cbe_token',
      expiresAt: '2030-01-01T00:05:00.000Z',
    });
  });

  it('shows a lookup error when the server cannot be reached', async () => {
    const kiosk = startKiosk();
    await toLookupError(kiosk, 'server_unreachable');
    expect(kiosk.context().error).toMatchObject({ code: 'server_unreachable', status: 502 });
  });

  it('treats an unexpected exception as an internal error', async () => {
    const kiosk = startKiosk();
    kiosk.send({ type: 'CARD_READ', cardId: 'CARD1' });
    kiosk.lookups[0]!.reject(new TypeError('boom'));
    await settle();
    expect(kiosk.state()).toBe('lookupError');
    expect(kiosk.context().error).toMatchObject({ code: 'internal_error', message: 'boom' });
  });

  it('switches to a newly swiped card, cancelling the old lookup', async () => {
    const kiosk = startKiosk();
    kiosk.send({ type: 'CARD_READ', cardId: 'CARD1' });
    kiosk.send({ type: 'CARD_READ', cardId: 'CARD2' });
    expect(kiosk.state()).toBe('lookingUp');
    expect(kiosk.context().cardId).toBe('CARD2');
    expect(kiosk.lookups.map((l) => [l.cardId, l.signal.aborted])).toEqual([
      ['CARD1', true],
      ['CARD2', false],
    ]);
    // The late answer for the first card changes nothing.
    kiosk.lookups[0]!.resolve(KNOWN);
    await settle();
    expect(kiosk.state()).toBe('lookingUp');
    kiosk.lookups[1]!.resolve(UNKNOWN);
    await settle();
    expect(kiosk.state()).toBe('offerEnrollment');
  });

  it('has no timeout of its own: the backend bounds the request', () => {
    const kiosk = startKiosk();
    kiosk.send({ type: 'CARD_READ', cardId: 'CARD1' });
    kiosk.clock.increment(10 * 60_000);
    expect(kiosk.state()).toBe('lookingUp');
  });
});

describe('welcome', () => {
  it('logs out', async () => {
    const kiosk = startKiosk();
    await toWelcome(kiosk);
    kiosk.send({ type: 'LOGOUT' });
    expect(kiosk.state()).toBe('idle');
    expect(kiosk.context().user).toBeNull();
  });

  it('ends the session after sessionTimeout', async () => {
    const kiosk = startKiosk();
    await toWelcome(kiosk);
    expectTimeout(kiosk, DEFAULT_DELAYS.sessionTimeout);
  });

  it('starts over with a newly swiped card', async () => {
    const kiosk = startKiosk();
    await toWelcome(kiosk);
    kiosk.send({ type: 'CARD_READ', cardId: 'CARD2' });
    expect(kiosk.state()).toBe('lookingUp');
    expect(kiosk.context()).toMatchObject({ cardId: 'CARD2', user: null });
  });
});

describe('offerEnrollment', () => {
  it('opens the form on ENROLL', async () => {
    const kiosk = startKiosk();
    await toForm(kiosk);
    expect(kiosk.context().username).toBe('');
  });

  it('returns to idle on CANCEL', async () => {
    const kiosk = startKiosk();
    await toOffer(kiosk);
    kiosk.send({ type: 'CANCEL' });
    expect(kiosk.state()).toBe('idle');
    expect(kiosk.context().enrollment).toBeNull();
  });

  it('returns to idle after promptTimeout', async () => {
    const kiosk = startKiosk();
    await toOffer(kiosk);
    expectTimeout(kiosk, DEFAULT_DELAYS.promptTimeout);
  });

  it('starts over with a newly swiped card', async () => {
    const kiosk = startKiosk();
    await toOffer(kiosk);
    kiosk.send({ type: 'CARD_READ', cardId: 'CARD2' });
    expect(kiosk.state()).toBe('lookingUp');
    expect(kiosk.context()).toMatchObject({ cardId: 'CARD2', enrollment: null });
  });
});

describe('enrollForm', () => {
  it('submits the enrollment with the token, trimmed username and password', async () => {
    const kiosk = startKiosk();
    await toEnrolling(kiosk);
    expect(kiosk.enrollments.map((e) => e.input)).toEqual([
      { enrollmentToken: 'cbe_token', username: 'ada', secret: SECRET },
    ]);
    expect(kiosk.context().username).toBe('ada');
  });

  it('never keeps the password in its state', async () => {
    const kiosk = startKiosk();
    await toEnrolling(kiosk);
    expect(JSON.stringify(kiosk.context())).not.toContain(SECRET);
    kiosk.enrollments[0]!.reject(new KioskApiError('invalid_credentials', 'wrong', 401));
    await settle();
    expect(JSON.stringify(kiosk.actor.getPersistedSnapshot())).not.toContain(SECRET);
    kiosk.send({ type: 'SUBMIT', username: 'ada', secret: SECRET });
    kiosk.enrollments[1]!.resolve(ENROLLED);
    await settle();
    expect(kiosk.state()).toBe('welcome');
    expect(JSON.stringify(kiosk.actor.getPersistedSnapshot())).not.toContain(SECRET);
  });

  it.each([
    ['an empty username', '  ', SECRET],
    ['an empty password', 'ada', ''],
  ])('does not submit %s', async (_name, username, secret) => {
    const kiosk = startKiosk();
    await toForm(kiosk);
    kiosk.send({ type: 'SUBMIT', username, secret });
    expect(kiosk.state()).toBe('enrollForm');
    expect(kiosk.enrollments).toHaveLength(0);
  });

  it('returns to idle on CANCEL', async () => {
    const kiosk = startKiosk();
    await toForm(kiosk);
    kiosk.send({ type: 'CANCEL' });
    expect(kiosk.state()).toBe('idle');
  });

  it('returns to idle after formTimeout without activity', async () => {
    const kiosk = startKiosk();
    await toForm(kiosk);
    expectTimeout(kiosk, DEFAULT_DELAYS.formTimeout);
  });

  it('restarts the inactivity timeout on ACTIVITY', async () => {
    const kiosk = startKiosk();
    await toForm(kiosk);
    kiosk.clock.increment(DEFAULT_DELAYS.formTimeout - 1);
    kiosk.send({ type: 'ACTIVITY' });
    kiosk.clock.increment(DEFAULT_DELAYS.formTimeout - 1);
    expect(kiosk.state()).toBe('enrollForm');
    kiosk.clock.increment(1);
    expect(kiosk.state()).toBe('idle');
  });

  it('ignores another read of the same card', async () => {
    const kiosk = startKiosk();
    await toForm(kiosk);
    kiosk.send({ type: 'CARD_READ', cardId: 'CARD1' });
    expect(kiosk.state()).toBe('enrollForm');
    expect(kiosk.lookups).toHaveLength(1);
  });

  it('starts over with a different card', async () => {
    const kiosk = startKiosk();
    await toForm(kiosk);
    kiosk.send({ type: 'CARD_READ', cardId: 'CARD2' });
    expect(kiosk.state()).toBe('lookingUp');
    expect(kiosk.context()).toMatchObject({ cardId: 'CARD2', enrollment: null });
  });
});

describe('enrolling', () => {
  it('welcomes the person once the card is enrolled', async () => {
    const kiosk = startKiosk();
    await toEnrolling(kiosk);
    kiosk.enrollments[0]!.resolve(ENROLLED);
    await settle();
    expect(kiosk.state()).toBe('welcome');
    expect(kiosk.context()).toMatchObject({ user: ADA, enrollment: null });
  });

  it('ignores card reads and buttons while the request is in flight', async () => {
    const kiosk = startKiosk();
    await toEnrolling(kiosk);
    kiosk.send({ type: 'CARD_READ', cardId: 'CARD2' });
    kiosk.send({ type: 'CANCEL' });
    kiosk.send({ type: 'SUBMIT', username: 'ada', secret: SECRET });
    expect(kiosk.state()).toBe('enrolling');
    expect(kiosk.lookups).toHaveLength(1);
    expect(kiosk.enrollments).toHaveLength(1);
  });

  it.each<[KioskErrorCode, number]>([
    ['invalid_credentials', 401],
    ['credential_expired', 401],
    ['invalid_request', 400],
    ['payload_too_large', 413],
  ])('returns to the form on %s, keeping the username', async (code, status) => {
    const kiosk = startKiosk();
    await failEnrollment(kiosk, code, status);
    expect(kiosk.state()).toBe('enrollForm');
    expect(kiosk.context()).toMatchObject({ username: 'ada', error: { code, status } });
    // The next attempt uses the same enrollment token.
    kiosk.send({ type: 'SUBMIT', username: 'ada', secret: 'another' });
    expect(kiosk.enrollments[1]!.input).toEqual({
      enrollmentToken: 'cbe_token',
      username: 'ada',
      secret: 'another',
    });
    expect(kiosk.context().error).toBeNull();
  });

  it.each<[KioskErrorCode, number]>([
    ['card_already_bound', 409],
    ['enrollment_expired', 410],
    ['method_not_allowed', 403],
    ['unauthorized', 401],
    ['forbidden', 403],
    ['not_found', 404],
    ['network', 0],
    ['server_unreachable', 502],
    ['internal_error', 500],
    ['too_many_attempts', 429],
  ])('shows an enrollment error on %s', async (code, status) => {
    const kiosk = startKiosk();
    await failEnrollment(kiosk, code, status);
    expect(kiosk.state()).toBe('enrollError');
    expect(kiosk.context().error).toMatchObject({ code, status });
  });
});

describe('enrollError', () => {
  it.each<KioskErrorCode>(['network', 'server_unreachable', 'internal_error', 'too_many_attempts'])(
    'retries a %s failure from the form, username kept and password asked again',
    async (code) => {
      const kiosk = startKiosk();
      await failEnrollment(kiosk, code);
      kiosk.send({ type: 'RETRY' });
      expect(kiosk.state()).toBe('enrollForm');
      expect(kiosk.context()).toMatchObject({ username: 'ada', error: null });
    },
  );

  it.each<KioskErrorCode>(['card_already_bound', 'enrollment_expired', 'unauthorized'])(
    'offers no retry for %s',
    async (code) => {
      const kiosk = startKiosk();
      await failEnrollment(kiosk, code);
      expect(kiosk.actor.getSnapshot().can({ type: 'RETRY' })).toBe(false);
      kiosk.send({ type: 'RETRY' });
      expect(kiosk.state()).toBe('enrollError');
    },
  );

  it('returns to idle on CANCEL', async () => {
    const kiosk = startKiosk();
    await failEnrollment(kiosk, 'card_already_bound');
    kiosk.send({ type: 'CANCEL' });
    expect(kiosk.state()).toBe('idle');
  });

  it('returns to idle after errorTimeout', async () => {
    const kiosk = startKiosk();
    await failEnrollment(kiosk, 'enrollment_expired');
    expectTimeout(kiosk, DEFAULT_DELAYS.errorTimeout);
  });

  it('starts over with a newly swiped card', async () => {
    const kiosk = startKiosk();
    await failEnrollment(kiosk, 'enrollment_expired');
    kiosk.send({ type: 'CARD_READ', cardId: 'CARD1' });
    expect(kiosk.state()).toBe('lookingUp');
    expect(kiosk.context()).toMatchObject({ cardId: 'CARD1', error: null, username: '' });
    expect(kiosk.lookups).toHaveLength(2);
  });
});

describe('lookupError', () => {
  it('looks the same card up again on RETRY', async () => {
    const kiosk = startKiosk();
    await toLookupError(kiosk);
    expect(kiosk.actor.getSnapshot().can({ type: 'RETRY' })).toBe(true);
    kiosk.send({ type: 'RETRY' });
    expect(kiosk.state()).toBe('lookingUp');
    expect(kiosk.context().error).toBeNull();
    expect(kiosk.lookups.map((l) => l.cardId)).toEqual(['CARD1', 'CARD1']);
    kiosk.lookups[1]!.resolve(KNOWN);
    await settle();
    expect(kiosk.state()).toBe('welcome');
  });

  it('offers no retry when retrying cannot help', async () => {
    const kiosk = startKiosk();
    await toLookupError(kiosk, 'unauthorized');
    kiosk.send({ type: 'RETRY' });
    expect(kiosk.state()).toBe('lookupError');
    expect(kiosk.lookups).toHaveLength(1);
  });

  it('returns to idle on CANCEL', async () => {
    const kiosk = startKiosk();
    await toLookupError(kiosk);
    kiosk.send({ type: 'CANCEL' });
    expect(kiosk.state()).toBe('idle');
  });

  it('returns to idle after errorTimeout', async () => {
    const kiosk = startKiosk();
    await toLookupError(kiosk);
    expectTimeout(kiosk, DEFAULT_DELAYS.errorTimeout);
  });

  it('starts over with a newly swiped card', async () => {
    const kiosk = startKiosk();
    await toLookupError(kiosk);
    kiosk.send({ type: 'CARD_READ', cardId: 'CARD2' });
    expect(kiosk.state()).toBe('lookingUp');
    expect(kiosk.context()).toMatchObject({ cardId: 'CARD2', error: null });
  });
});

describe('delays', () => {
  it('can be changed per kiosk', async () => {
    const kiosk = startKiosk();
    const actor = createActor(
      kioskMachine.provide({
        delays: { sessionTimeout: 5 },
        actors: { cardAuth: fromPromise<CardAuthResponse, { cardId: string }>(async () => KNOWN) },
      }),
      { clock: kiosk.clock },
    ).start();
    actor.send({ type: 'CARD_READ', cardId: 'CARD1' });
    await settle();
    expect(actor.getSnapshot().value).toBe('welcome');
    kiosk.clock.increment(5);
    expect(actor.getSnapshot().value).toBe('idle');
  });
});
