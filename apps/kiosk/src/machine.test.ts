import type {
  CardAuthResponse,
  EnrollResponse,
  TerminalLoginRequest,
  TerminalLoginResponse,
} from '@cardbind/shared';
import { describe, expect, it } from 'vitest';
import { createActor, fromCallback, fromPromise, SimulatedClock } from 'xstate';
import type { EnrollInput } from './backend.ts';
import { KioskApiError, type KioskErrorCode } from './errors.ts';
import { DEFAULT_PAGE_CONFIG, type TerminalPolicy } from './kiosk-api.ts';
import {
  kioskMachine,
  needsUsername,
  pendingRetry,
  retryBackoff,
  type KioskMachineConfig,
} from './machine.ts';

const ADA = { username: 'ada', fullName: 'Ada Lovelace' };
const KNOWN: CardAuthResponse = { result: 'known', user: ADA };
const UNKNOWN: CardAuthResponse = {
  result: 'unknown',
  enrollmentToken: 'cbe_token',
  expiresAt: '2030-01-01T00:05:00.000Z',
};
const SECRET = 'correct horse battery staple';
// Not the defaults: every wait and retry the tests see must come from the config given.
const RETRY = { attempts: 3, baseMs: 1_000, maxMs: 3_000 };
const DELAYS = {
  sessionTimeout: 11_000,
  promptTimeout: 12_000,
  formTimeout: 13_000,
  errorTimeout: 14_000,
};
const CONFIG: KioskMachineConfig = {
  language: 'en',
  enrollWithoutPrompt: false,
  delays: DELAYS,
  retry: RETRY,
};

interface Call<I> {
  input: I;
  signal: AbortSignal;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** A kiosk whose server calls wait until the test answers them, on a simulated clock. */
function startKiosk(settings: Partial<KioskMachineConfig> = {}) {
  const calls = {
    cardAuth: [] as Array<Call<{ cardId: string }>>,
    enroll: [] as Array<Call<EnrollInput>>,
    login: [] as Array<Call<TerminalLoginRequest>>,
    probe: [] as Array<Call<undefined>>,
  };
  let policyFeedRunning = false;
  const fake = <Output, K extends keyof typeof calls>(name: K) =>
    fromPromise<Output, (typeof calls)[K][number]['input']>(
      ({ input: callInput, signal }) =>
        new Promise((resolve, reject) =>
          (calls[name] as Array<Call<unknown>>).push({
            input: callInput,
            signal,
            resolve: resolve as (value: unknown) => void,
            reject,
          }),
        ),
    );
  const clock = new SimulatedClock();
  const machine = kioskMachine.provide({
    actors: {
      cardAuth: fake<CardAuthResponse, 'cardAuth'>('cardAuth'),
      enroll: fake<EnrollResponse, 'enroll'>('enroll'),
      login: fake<TerminalLoginResponse, 'login'>('login'),
      probe: fake<TerminalPolicy, 'probe'>('probe'),
      policyFeed: fromCallback(() => {
        policyFeedRunning = true;
        return () => (policyFeedRunning = false);
      }),
    },
  });
  const actor = createActor(machine, { clock, input: { ...CONFIG, ...settings } });
  actor.start();
  return {
    actor,
    clock,
    calls,
    policyFeedRunning: () => policyFeedRunning,
    state: () => actor.getSnapshot().value,
    context: () => actor.getSnapshot().context,
    send: actor.send.bind(actor),
  };
}

type Kiosk = ReturnType<typeof startKiosk>;

/** Lets promise reactions (actor done/error events) run. */
const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
const failure = (code: KioskErrorCode, details: KioskApiError['details'] = {}) =>
  new KioskApiError(code, `failed: ${code}`, 400, details);

async function swipe(kiosk: Kiosk, answer: CardAuthResponse | KioskApiError, cardId = 'CARD1') {
  kiosk.send({ type: 'CARD_READ', cardId });
  const call = kiosk.calls.cardAuth.at(-1)!;
  if (answer instanceof KioskApiError) call.reject(answer);
  else call.resolve(answer);
  await settle();
}

async function toEnrollForm(kiosk: Kiosk, method: 'password' | 'otp' | 'pin' = 'password') {
  await swipe(kiosk, UNKNOWN);
  kiosk.send({ type: 'ENROLL' });
  kiosk.send({ type: 'CHOOSE_METHOD', method });
  expect(kiosk.state()).toBe('enrollForm');
}

async function enroll(kiosk: Kiosk, answer: unknown) {
  kiosk.send({ type: 'SUBMIT', username: ' ada ', secret: SECRET });
  expect(kiosk.state()).toBe('enrolling');
  const call = kiosk.calls.enroll.at(-1)!;
  if (answer instanceof KioskApiError) call.reject(answer);
  else call.resolve(answer);
  await settle();
}

describe('known and unknown cards', () => {
  it('welcomes the owner of a known card, and logs out', async () => {
    const kiosk = startKiosk();
    await swipe(kiosk, KNOWN);
    expect(kiosk.state()).toBe('welcome');
    expect(kiosk.context()).toMatchObject({ user: ADA, welcomeReason: 'card' });
    kiosk.send({ type: 'LOGOUT' });
    expect(kiosk.state()).toBe('idle');
    expect(kiosk.context().user).toBeNull();
  });

  it('offers enrollment, then asks for the method among those the policy allows', async () => {
    const kiosk = startKiosk();
    await swipe(kiosk, UNKNOWN);
    expect(kiosk.state()).toBe('offerEnrollment');
    kiosk.send({ type: 'ENROLL' });
    expect(kiosk.state()).toBe('chooseEnrollMethod');
    kiosk.send({ type: 'POLICY', policy: { enrollmentMethods: ['otp', 'pin'], loginMethods: [] } });
    kiosk.send({ type: 'CHOOSE_METHOD', method: 'password' });
    expect(kiosk.state()).toBe('chooseEnrollMethod');
    kiosk.send({ type: 'CHOOSE_METHOD', method: 'otp' });
    expect(kiosk.state()).toBe('enrollForm');
    expect(kiosk.context().method).toBe('otp');
  });

  it('skips the method choice when only one method is allowed', async () => {
    const kiosk = startKiosk();
    kiosk.send({ type: 'POLICY', policy: { enrollmentMethods: ['pin'], loginMethods: ['pin'] } });
    await swipe(kiosk, UNKNOWN);
    kiosk.send({ type: 'ENROLL' });
    expect(kiosk.state()).toBe('enrollForm');
    expect(kiosk.context().method).toBe('pin');
  });

  it('goes straight on from the swipe when the terminal enrolls without asking', async () => {
    const kiosk = startKiosk({ enrollWithoutPrompt: true });
    await swipe(kiosk, UNKNOWN);
    expect(kiosk.state()).toBe('chooseEnrollMethod');
  });

  it('says so when an expired temporary card is offered again', async () => {
    const kiosk = startKiosk();
    await swipe(kiosk, { ...UNKNOWN, reason: 'card_expired' });
    expect(kiosk.context().cardExpired).toBe(true);
  });

  it('cancels the old lookup when another card is swiped', async () => {
    const kiosk = startKiosk();
    kiosk.send({ type: 'CARD_READ', cardId: 'CARD1' });
    kiosk.send({ type: 'CARD_READ', cardId: 'CARD2' });
    expect(kiosk.calls.cardAuth[0]!.signal.aborted).toBe(true);
    expect(kiosk.context().cardId).toBe('CARD2');
  });
});

describe('enrollment', () => {
  it.each(['password', 'otp', 'pin'] as const)(
    'sends the token, trimmed username, secret and method %s, and welcomes',
    async (method) => {
      const kiosk = startKiosk();
      await toEnrollForm(kiosk, method);
      await enroll(kiosk, { result: 'enrolled', user: ADA });
      expect(kiosk.calls.enroll[0]!.input).toEqual({
        enrollmentToken: 'cbe_token',
        username: 'ada',
        secret: SECRET,
        method,
      });
      expect(kiosk.state()).toBe('welcome');
      expect(kiosk.context()).toMatchObject({ welcomeReason: 'enrolled', enrollment: null });
      expect(JSON.stringify(kiosk.actor.getPersistedSnapshot())).not.toContain(SECRET);
    },
  );

  it('does not submit without a username or a secret', async () => {
    const kiosk = startKiosk();
    await toEnrollForm(kiosk, 'pin');
    kiosk.send({ type: 'SUBMIT', username: ' ', secret: '1234' });
    kiosk.send({ type: 'SUBMIT', username: 'ada', secret: '' });
    expect(kiosk.state()).toBe('enrollForm');
    expect(kiosk.calls.enroll).toHaveLength(0);
  });

  it('returns to the form after a wrong secret, keeping the username and attempts left', async () => {
    const kiosk = startKiosk();
    await toEnrollForm(kiosk);
    await enroll(kiosk, failure('invalid_credentials', { attemptsLeft: 2 }));
    expect(kiosk.state()).toBe('enrollForm');
    expect(kiosk.context()).toMatchObject({ username: 'ada', method: 'password' });
    expect(kiosk.context().error?.details.attemptsLeft).toBe(2);
  });

  it.each<[KioskErrorCode, string]>([
    ['credential_expired', 'enrollForm'],
    ['already_exists', 'enrollForm'],
    ['too_many_attempts', 'lockedOut'],
    ['card_already_bound', 'cardAlreadyBound'],
    ['enrollment_expired', 'enrollmentExpired'],
    ['method_not_allowed', 'failed'],
    ['unauthorized', 'failed'],
    ['server_unreachable', 'serverUnreachable'],
    ['network', 'serverUnreachable'],
  ])('goes on %s to %s', async (code, state) => {
    const kiosk = startKiosk();
    await toEnrollForm(kiosk);
    await enroll(kiosk, failure(code));
    expect(kiosk.state()).toBe(state);
    expect(kiosk.context().error?.code).toBe(code);
  });

  it('ignores swipes while enrolling, the same card in the form, and starts over for another', async () => {
    const kiosk = startKiosk();
    await toEnrollForm(kiosk);
    kiosk.send({ type: 'CARD_READ', cardId: 'CARD1' });
    expect(kiosk.state()).toBe('enrollForm');
    kiosk.send({ type: 'SUBMIT', username: 'ada', secret: SECRET });
    kiosk.send({ type: 'CARD_READ', cardId: 'CARD2' });
    expect(kiosk.state()).toBe('enrolling');
    kiosk.calls.enroll[0]!.reject(failure('invalid_credentials'));
    await settle();
    kiosk.send({ type: 'CARD_READ', cardId: 'CARD2' });
    expect(kiosk.state()).toBe('lookingUp');
    expect(kiosk.context()).toMatchObject({ cardId: 'CARD2', username: '', enrollment: null });
  });

  it('lets the person change the method from the form', async () => {
    const kiosk = startKiosk();
    await toEnrollForm(kiosk, 'otp');
    kiosk.send({ type: 'CHANGE_METHOD' });
    expect(kiosk.state()).toBe('chooseEnrollMethod');
    expect(kiosk.context().method).toBeNull();
  });
});

describe('logging in without a card', () => {
  it('logs in with username and password', async () => {
    const kiosk = startKiosk();
    kiosk.send({ type: 'LOGIN' });
    expect(kiosk.state()).toBe('chooseLoginMethod');
    kiosk.send({ type: 'CHOOSE_METHOD', method: 'otp' });
    expect(kiosk.state()).toBe('chooseLoginMethod');
    kiosk.send({ type: 'CHOOSE_METHOD', method: 'password' });
    kiosk.send({ type: 'SUBMIT', username: 'ada ', secret: SECRET });
    expect(kiosk.calls.login[0]!.input).toEqual({
      method: 'password',
      username: 'ada',
      secret: SECRET,
    });
    kiosk.calls.login[0]!.resolve({ result: 'authenticated', user: ADA });
    await settle();
    expect(kiosk.state()).toBe('welcome');
    expect(kiosk.context().welcomeReason).toBe('login');
  });

  it('logs in with a PIN alone, straight to the form when it is the only method', async () => {
    const kiosk = startKiosk();
    kiosk.send({
      type: 'POLICY',
      policy: { enrollmentMethods: ['password'], loginMethods: ['pin'] },
    });
    kiosk.send({ type: 'LOGIN' });
    expect(kiosk.state()).toBe('loginForm');
    kiosk.send({ type: 'SUBMIT', username: '', secret: '4711' });
    expect(kiosk.calls.login[0]!.input).toEqual({ method: 'pin', pin: '4711' });
  });

  it('offers no login when the policy allows none', () => {
    const kiosk = startKiosk();
    kiosk.send({ type: 'POLICY', policy: { enrollmentMethods: ['password'], loginMethods: [] } });
    kiosk.send({ type: 'LOGIN' });
    expect(kiosk.state()).toBe('idle');
  });

  it('returns to the form on a wrong PIN and locks out on too many attempts', async () => {
    const kiosk = startKiosk();
    kiosk.send({ type: 'LOGIN' });
    kiosk.send({ type: 'CHOOSE_METHOD', method: 'pin' });
    kiosk.send({ type: 'SUBMIT', username: '', secret: '0000' });
    kiosk.calls.login[0]!.reject(failure('invalid_credentials'));
    await settle();
    expect(kiosk.state()).toBe('loginForm');
    kiosk.send({ type: 'SUBMIT', username: '', secret: '0001' });
    kiosk.calls.login[1]!.reject(failure('too_many_attempts', { retryAfterSeconds: 60 }));
    await settle();
    expect(kiosk.state()).toBe('lockedOut');
    expect(kiosk.context().error?.details.retryAfterSeconds).toBe(60);
  });

  it('takes a card swipe in the login form as the quicker way in', async () => {
    const kiosk = startKiosk();
    kiosk.send({ type: 'LOGIN' });
    kiosk.send({ type: 'CHOOSE_METHOD', method: 'password' });
    kiosk.send({ type: 'CARD_READ', cardId: 'CARD1' });
    expect(kiosk.state()).toBe('lookingUp');
  });

  it('knows which methods need a username', () => {
    expect(needsUsername('login', 'pin')).toBe(false);
    expect(needsUsername('login', 'password')).toBe(true);
    expect(needsUsername('enroll', 'pin')).toBe(true);
  });
});

describe('server unreachable', () => {
  it('retries a lookup with growing waits, then gives up to idle', async () => {
    const kiosk = startKiosk();
    await swipe(kiosk, failure('server_unreachable'));
    expect(kiosk.state()).toBe('serverUnreachable');
    for (let attempt = 0; attempt < RETRY.attempts; attempt++) {
      kiosk.clock.increment(retryBackoff(attempt, RETRY) - 1);
      expect(kiosk.state()).toBe('serverUnreachable');
      kiosk.clock.increment(1);
      expect(kiosk.state()).toBe('reconnecting');
      kiosk.calls.probe.at(-1)!.reject(failure('network'));
      await settle();
    }
    expect(kiosk.state()).toBe('idle');
    expect(kiosk.calls.probe).toHaveLength(RETRY.attempts);
  });

  it('tells the screen which retry comes next, and after exactly the wait the machine keeps', async () => {
    const kiosk = startKiosk();
    const pending = () => pendingRetry(kiosk.actor.getSnapshot());
    expect(pending()).toBeNull();
    await swipe(kiosk, failure('server_unreachable'));
    for (let attempt = 0; attempt < RETRY.attempts; attempt++) {
      // The terminal's config (RETRY), not the defaults: what the machine was given.
      expect(pending()).toEqual({
        attempt: attempt + 1,
        attempts: RETRY.attempts,
        delayMs: retryBackoff(attempt, RETRY),
      });
      kiosk.clock.increment(pending()!.delayMs - 1);
      expect(kiosk.state()).toBe('serverUnreachable');
      kiosk.clock.increment(1);
      expect(kiosk.state()).toBe('reconnecting');
      expect(pending()).toBeNull();
      kiosk.calls.probe.at(-1)!.reject(failure('network'));
      await settle();
    }
    expect(kiosk.state()).toBe('idle');
    expect(pending()).toBeNull();
  });

  it('counts "Try now" as one of the retries', async () => {
    const kiosk = startKiosk();
    await swipe(kiosk, failure('network'));
    kiosk.send({ type: 'RETRY' });
    kiosk.calls.probe[0]!.reject(failure('network'));
    await settle();
    expect(pendingRetry(kiosk.actor.getSnapshot())).toMatchObject({
      attempt: 2,
      delayMs: retryBackoff(1, RETRY),
    });
  });

  it('looks the card up again once the server answers', async () => {
    const kiosk = startKiosk();
    await swipe(kiosk, failure('network'));
    kiosk.send({ type: 'RETRY' });
    const policy: TerminalPolicy = { enrollmentMethods: ['otp'], loginMethods: ['pin'] };
    kiosk.calls.probe[0]!.resolve(policy);
    await settle();
    expect(kiosk.state()).toBe('lookingUp');
    expect(kiosk.context().policy).toEqual(policy);
    expect(kiosk.calls.cardAuth.map((c) => c.input.cardId)).toEqual(['CARD1', 'CARD1']);
    kiosk.calls.cardAuth[1]!.resolve(KNOWN);
    await settle();
    expect(kiosk.context().retry).toBeNull();
  });

  it('returns to the enrollment form, username kept, once the server answers', async () => {
    const kiosk = startKiosk();
    await toEnrollForm(kiosk);
    await enroll(kiosk, failure('server_unreachable'));
    kiosk.clock.increment(RETRY.baseMs);
    kiosk.calls.probe[0]!.resolve({ enrollmentMethods: ['password'], loginMethods: [] });
    await settle();
    expect(kiosk.state()).toBe('enrollForm');
    expect(kiosk.context()).toMatchObject({ username: 'ada', method: 'password' });
  });

  describe('reopening a form under a policy changed meanwhile', () => {
    /** The form for `method` is open, the submit finds the server gone, it comes back with `policy`. */
    async function reconnectTo(kiosk: Kiosk, policy: TerminalPolicy) {
      expect(kiosk.state()).toBe('serverUnreachable');
      kiosk.send({ type: 'RETRY' });
      kiosk.calls.probe.at(-1)!.resolve(policy);
      await settle();
    }

    async function loginFails(kiosk: Kiosk, method: 'password' | 'otp' | 'pin') {
      kiosk.send({ type: 'LOGIN' });
      kiosk.send({ type: 'CHOOSE_METHOD', method });
      expect(kiosk.state()).toBe('loginForm');
      kiosk.send({ type: 'SUBMIT', username: ' ada ', secret: SECRET });
      kiosk.calls.login.at(-1)!.reject(failure('network'));
      await settle();
    }

    it('keeps the chosen method while it is still allowed, even when it is not the first', async () => {
      const kiosk = startKiosk();
      await toEnrollForm(kiosk, 'pin');
      await enroll(kiosk, failure('network'));
      await reconnectTo(kiosk, { enrollmentMethods: ['password', 'pin'], loginMethods: [] });
      expect(kiosk.state()).toBe('enrollForm');
      expect(kiosk.context()).toMatchObject({
        method: 'pin',
        withdrawnMethod: null,
        username: 'ada',
        retry: null,
      });
    });

    it('falls back to the first enrollment method allowed when the chosen one was turned off', async () => {
      const kiosk = startKiosk();
      await toEnrollForm(kiosk, 'otp');
      await enroll(kiosk, failure('server_unreachable'));
      await reconnectTo(kiosk, { enrollmentMethods: ['pin', 'password'], loginMethods: [] });
      expect(kiosk.state()).toBe('enrollForm');
      expect(kiosk.context()).toMatchObject({
        method: 'pin',
        withdrawnMethod: 'otp',
        username: 'ada',
        retry: null,
      });
      // Still says why the form closed: the server was away, not a wrong secret.
      expect(kiosk.context().error?.code).toBe('server_unreachable');
      kiosk.send({ type: 'SUBMIT', username: 'ada', secret: '4711' });
      expect(kiosk.calls.enroll.at(-1)!.input).toMatchObject({ method: 'pin', username: 'ada' });
      // The next outage reopens the form with the method it has now, which is not withdrawn.
      kiosk.calls.enroll.at(-1)!.reject(failure('network'));
      await settle();
      await reconnectTo(kiosk, { enrollmentMethods: ['pin'], loginMethods: [] });
      expect(kiosk.context()).toMatchObject({ method: 'pin', withdrawnMethod: null });
    });

    it('shows the method choice, username kept, when no enrollment method is allowed any more', async () => {
      const kiosk = startKiosk();
      await toEnrollForm(kiosk, 'otp');
      await enroll(kiosk, failure('network'));
      await reconnectTo(kiosk, { enrollmentMethods: [], loginMethods: ['pin'] });
      // Where the flow goes when no method is allowed: the choice, with nothing to choose.
      expect(kiosk.state()).toBe('chooseEnrollMethod');
      expect(kiosk.context()).toMatchObject({ method: null, username: 'ada' });
      kiosk.send({ type: 'CHOOSE_METHOD', method: 'otp' });
      expect(kiosk.state()).toBe('chooseEnrollMethod');
    });

    it('falls back to the first login method allowed when the chosen one was turned off', async () => {
      const kiosk = startKiosk();
      await loginFails(kiosk, 'password');
      await reconnectTo(kiosk, { enrollmentMethods: ['password'], loginMethods: ['pin'] });
      expect(kiosk.state()).toBe('loginForm');
      expect(kiosk.context()).toMatchObject({
        method: 'pin',
        withdrawnMethod: 'password',
        username: 'ada',
      });
      kiosk.send({ type: 'SUBMIT', username: '', secret: '4711' });
      expect(kiosk.calls.login.at(-1)!.input).toEqual({ method: 'pin', pin: '4711' });
    });

    it('goes to idle, which offers no login, when no login method is allowed any more', async () => {
      const kiosk = startKiosk();
      await loginFails(kiosk, 'pin');
      await reconnectTo(kiosk, { enrollmentMethods: ['password'], loginMethods: [] });
      expect(kiosk.state()).toBe('idle');
      kiosk.send({ type: 'LOGIN' });
      expect(kiosk.state()).toBe('idle');
    });
  });

  it('counts a submit on a reopened form as a new action, not as a further retry', async () => {
    const kiosk = startKiosk({ retry: { ...RETRY, attempts: 1 } });
    await toEnrollForm(kiosk);
    await enroll(kiosk, failure('server_unreachable'));
    kiosk.send({ type: 'RETRY' });
    kiosk.calls.probe[0]!.resolve({ enrollmentMethods: ['password'], loginMethods: [] });
    await settle();
    expect(kiosk.state()).toBe('enrollForm');
    // The person submits again and the server is gone again: they are told, not sent to idle.
    await enroll(kiosk, failure('server_unreachable'));
    expect(kiosk.state()).toBe('serverUnreachable');
    expect(pendingRetry(kiosk.actor.getSnapshot())).toMatchObject({
      attempt: 1,
      delayMs: retryBackoff(0, RETRY),
    });
  });

  it('gives up when the resumed call fails again on the last attempt', async () => {
    const kiosk = startKiosk({ retry: { ...RETRY, attempts: 1 } });
    await swipe(kiosk, failure('network'));
    kiosk.send({ type: 'RETRY' });
    kiosk.calls.probe[0]!.resolve({ enrollmentMethods: ['password'], loginMethods: [] });
    await settle();
    kiosk.calls.cardAuth[1]!.reject(failure('network'));
    await settle();
    expect(kiosk.state()).toBe('idle');
  });

  it('doubles the wait up to its maximum', () => {
    expect([0, 1, 2, 3].map((n) => retryBackoff(n, RETRY))).toEqual([1000, 2000, 3000, 3000]);
  });
});

describe('timeouts, language and policy', () => {
  it.each<[string, (kiosk: Kiosk) => Promise<void> | void, number]>([
    ['welcome', (k) => swipe(k, KNOWN), DELAYS.sessionTimeout],
    ['offerEnrollment', (k) => swipe(k, UNKNOWN), DELAYS.promptTimeout],
    ['enrollForm', (k) => toEnrollForm(k), DELAYS.formTimeout],
    ['chooseLoginMethod', (k) => k.send({ type: 'LOGIN' }), DELAYS.promptTimeout],
    [
      'cardAlreadyBound',
      async (k) => {
        await toEnrollForm(k);
        await enroll(k, failure('card_already_bound'));
      },
      DELAYS.errorTimeout,
    ],
  ])('leaves %s for idle after its delay', async (state, reach, delay) => {
    const kiosk = startKiosk();
    await reach(kiosk);
    expect(kiosk.state()).toBe(state);
    kiosk.clock.increment(delay - 1);
    expect(kiosk.state()).toBe(state);
    kiosk.clock.increment(1);
    expect(kiosk.state()).toBe('idle');
  });

  it('restarts the form timeout on activity', async () => {
    const kiosk = startKiosk();
    await toEnrollForm(kiosk);
    kiosk.clock.increment(DELAYS.formTimeout - 1);
    kiosk.send({ type: 'ACTIVITY' });
    kiosk.clock.increment(DELAYS.formTimeout - 1);
    expect(kiosk.state()).toBe('enrollForm');
  });

  it('switches language at idle only, and returns to the terminal language after a flow', async () => {
    const kiosk = startKiosk({ language: 'cs' });
    expect(kiosk.context().language).toBe('cs');
    kiosk.send({ type: 'SET_LANGUAGE', language: 'fr' });
    expect(kiosk.context().language).toBe('fr');
    await swipe(kiosk, KNOWN);
    kiosk.send({ type: 'SET_LANGUAGE', language: 'de' });
    expect(kiosk.context().language).toBe('fr');
    kiosk.send({ type: 'LOGOUT' });
    expect(kiosk.context().language).toBe('cs');
  });

  it('keeps the one config it was given, and only the part the flow reads', () => {
    const actor = createActor(kioskMachine, { input: { ...DEFAULT_PAGE_CONFIG, language: 'de' } });
    expect(actor.getSnapshot().context.config).toEqual({
      language: 'de',
      enrollWithoutPrompt: DEFAULT_PAGE_CONFIG.enrollWithoutPrompt,
      delays: DEFAULT_PAGE_CONFIG.delays,
      retry: DEFAULT_PAGE_CONFIG.retry,
    });
    expect(actor.getSnapshot().context.language).toBe('de');
  });

  it('runs the policy feed for as long as the kiosk runs', () => {
    const kiosk = startKiosk();
    expect(kiosk.policyFeedRunning()).toBe(true);
    kiosk.actor.stop();
    expect(kiosk.policyFeedRunning()).toBe(false);
  });
});
