import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createHttpBackend } from './backend.ts';
import { createBridgeBackend, kioskBridgeOf } from './bridge-backend.ts';
import type { BridgeAnswer, KioskBridge } from './electron/bridge-contract.ts';
import { KioskApiError } from './errors.ts';
import { DEFAULT_PAGE_CONFIG, READER_LINK_ID, type ReaderFeedEvent } from './kiosk-api.ts';

const ADA = { username: 'ada', fullName: 'Ada Lovelace' };

/** A stand-in for `window.cardbindKiosk`: answers from `answer`, records every call. */
function fakeBridge(answer: (method: string, request: unknown) => Promise<BridgeAnswer>) {
  const calls: Array<[string, unknown]> = [];
  const feed = {
    listener: undefined as ((event: unknown) => void) | undefined,
    fail: undefined as (() => void) | undefined,
    unsubscribed: 0,
  };
  const call = (method: string) => (request?: unknown) => {
    calls.push([method, request]);
    return answer(method, request);
  };
  const bridge: KioskBridge = {
    shell: 'electron',
    cardAuth: call('cardAuth'),
    enroll: call('enroll'),
    login: call('login'),
    policy: call('policy'),
    config: call('config'),
    subscribe(listener, onFailure) {
      feed.listener = listener;
      feed.fail = onFailure;
      return () => feed.unsubscribed++;
    },
  };
  return { bridge, calls, feed };
}

const ok = (body: unknown, status = 200) => Promise.resolve({ status, body });

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('bridge backend: calls', () => {
  it('passes each call to the bridge and returns the checked answer', async () => {
    const answers: Record<string, unknown> = {
      cardAuth: { result: 'known', user: ADA },
      enroll: { result: 'enrolled', user: ADA },
      login: { result: 'authenticated', user: ADA },
      policy: { enrollmentMethods: ['pin'], loginMethods: [] },
      config: DEFAULT_PAGE_CONFIG,
    };
    const { bridge, calls } = fakeBridge((method) => ok(answers[method]));
    const backend = createBridgeBackend(bridge);
    const enroll = {
      enrollmentToken: 'cbe_1',
      username: 'ada',
      secret: 's',
      method: 'pin' as const,
    };
    expect(await backend.cardAuth('04A1')).toEqual(answers.cardAuth);
    expect(await backend.enroll(enroll)).toEqual(answers.enroll);
    expect(await backend.login({ method: 'pin', pin: '4711' })).toEqual(answers.login);
    expect(await backend.policy()).toEqual(answers.policy);
    expect(await backend.config()).toEqual(DEFAULT_PAGE_CONFIG);
    expect(calls).toEqual([
      ['cardAuth', { cardId: '04A1' }],
      ['enroll', enroll],
      ['login', { method: 'pin', pin: '4711' }],
      ['policy', undefined],
      ['config', undefined],
    ]);
  });

  it('maps every answer exactly as the HTTP adapter does', async () => {
    const status = fc.constantFrom(200, 201, 400, 401, 403, 404, 409, 410, 413, 429, 500, 502, 504);
    const body = fc.oneof(
      fc.constant({ result: 'known', user: ADA }),
      fc.constant({ result: 'unknown', enrollmentToken: 'cbe_1', expiresAt: 'soon' }),
      fc.constant({ result: 'known' }),
      fc.record({
        error: fc.record(
          {
            code: fc.constantFrom('invalid_credentials', 'too_many_attempts', 'brand_new', ''),
            message: fc.string(),
            retryAfterSeconds: fc.integer({ min: 0, max: 900 }),
            attemptsLeft: fc.integer({ min: 0, max: 9 }),
          },
          { requiredKeys: ['code', 'message'] },
        ),
      }),
      fc.jsonValue(),
    );
    await fc.assert(
      fc.asyncProperty(status, body, async (status, body) => {
        const outcome = (promise: Promise<unknown>) =>
          promise.then(
            (value) => ({ value }),
            (error: KioskApiError) => ({
              error: [error.name, error.code, error.status, error.message, error.details],
            }),
          );
        const bridge = createBridgeBackend(fakeBridge(() => ok(body, status)).bridge);
        const http = createHttpBackend('http://kiosk.invalid', {
          fetch: async () => new Response(JSON.stringify(body), { status }),
        });
        expect(await outcome(bridge.cardAuth('04A1'))).toEqual(
          await outcome(http.cardAuth('04A1')),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('rejects with the server error code, status and the facts it carries', async () => {
    const { bridge } = fakeBridge(() =>
      ok({ error: { code: 'too_many_attempts', message: 'Wait.', retryAfterSeconds: 30 } }, 429),
    );
    const error = await rejection(createBridgeBackend(bridge).login({ method: 'pin', pin: '1' }));
    expect(error).toBeInstanceOf(KioskApiError);
    expect(error).toMatchObject({
      code: 'too_many_attempts',
      status: 429,
      message: 'Wait.',
      details: { retryAfterSeconds: 30 },
    });
  });

  it.each([
    ['nothing', undefined],
    ['no status', { body: {} }],
    ['a status that is not a number', { status: '200', body: {} }],
  ])('rejects as internal_error when the bridge answers %s', async (_what, answer) => {
    const { bridge } = fakeBridge(() => Promise.resolve(answer as BridgeAnswer));
    expect(await rejection(createBridgeBackend(bridge).policy())).toMatchObject({
      code: 'internal_error',
      status: 0,
    });
  });

  it('rejects as network when the main process fails the call', async () => {
    const { bridge } = fakeBridge(() =>
      Promise.reject(new Error("No handler registered for 'cardbind-kiosk:policy'")),
    );
    expect(await rejection(createBridgeBackend(bridge).policy())).toMatchObject({
      code: 'network',
      status: 0,
      message: 'The kiosk shell cannot be reached.',
    });
  });

  it('gives up as network when the main process does not answer in time', async () => {
    const { bridge } = fakeBridge(() => new Promise(() => {}));
    const backend = createBridgeBackend(bridge, { requestTimeoutMs: 20 });
    expect(await rejection(backend.cardAuth('04A1'))).toMatchObject({
      code: 'network',
      message: 'The kiosk shell did not answer in time.',
    });
  });
});

describe('bridge backend: abort signals', () => {
  it('does not call the bridge when the flow already moved on', async () => {
    const { bridge, calls } = fakeBridge(() => ok({ result: 'known', user: ADA }));
    const controller = new AbortController();
    controller.abort();
    const error = await rejection(
      createBridgeBackend(bridge).cardAuth('04A1', { signal: controller.signal }),
    );
    expect(error).not.toBeInstanceOf(KioskApiError);
    expect((error as Error).name).toBe('AbortError');
    expect(calls).toEqual([]);
  });

  it('stops waiting when aborted mid-call, and ignores the late answer', async () => {
    let answer: (value: BridgeAnswer) => void = () => {};
    const { bridge, calls } = fakeBridge(() => new Promise((resolve) => (answer = resolve)));
    const controller = new AbortController();
    const pending = createBridgeBackend(bridge).cardAuth('04A1', { signal: controller.signal });
    expect(calls).toHaveLength(1);
    controller.abort();
    answer({ status: 200, body: { result: 'known', user: ADA } });
    const error = await rejection(pending);
    expect(error).not.toBeInstanceOf(KioskApiError);
    expect((error as Error).name).toBe('AbortError');
  });

  it('answers normally when the signal is never aborted', async () => {
    const { bridge } = fakeBridge(() => ok({ result: 'known', user: ADA }));
    const controller = new AbortController();
    await expect(
      createBridgeBackend(bridge).cardAuth('04A1', { signal: controller.signal }),
    ).resolves.toMatchObject({ result: 'known' });
  });
});

describe('bridge backend: reader feed', () => {
  const card = { cardId: '04A1B2C3D4', readerId: 'usb-1', profile: 'p', at: 'now' };
  const link = { readerId: READER_LINK_ID, status: 'connected', at: 'now' };

  it('passes checked card reads and reader statuses on, until unsubscribed', () => {
    const { bridge, feed } = fakeBridge(() => ok(null));
    const events: ReaderFeedEvent[] = [];
    const unsubscribe = createBridgeBackend(bridge).subscribe((event) => events.push(event));
    const send = (event: unknown) => feed.listener?.(event);
    send({ type: 'reader', reader: link });
    send({ type: 'card', card });
    // What the HTTP path would drop is dropped here too.
    send({ type: 'card', card: { ...card, cardId: '' } });
    send({ type: 'reader', reader: { ...link, status: 'gone' } });
    send({ type: 'other', card });
    send('card');
    send(null);
    expect(events).toEqual([
      { type: 'reader', reader: link },
      { type: 'card', card },
    ]);
    expect(feed.unsubscribed).toBe(0);
    unsubscribe();
    expect(feed.unsubscribed).toBe(1);
  });

  it('reports the link disconnected when the main process refuses the feed', () => {
    const { bridge, feed } = fakeBridge(() => ok(null));
    const events: ReaderFeedEvent[] = [];
    createBridgeBackend(bridge).subscribe((event) => events.push(event));
    feed.fail?.();
    expect(events).toEqual([
      {
        type: 'reader',
        reader: { readerId: READER_LINK_ID, status: 'disconnected', at: expect.any(String) },
      },
    ]);
  });
});

describe('finding the bridge', () => {
  it('takes the kiosk API only, not the bare shell marker of attach mode', () => {
    const { bridge } = fakeBridge(() => ok(null));
    expect(kioskBridgeOf({ cardbindKiosk: bridge })).toBe(bridge);
    expect(kioskBridgeOf({ cardbindKiosk: { shell: 'electron' } })).toBeUndefined();
    expect(kioskBridgeOf({ cardbindKiosk: { ...bridge, shell: 'other' } })).toBeUndefined();
    expect(kioskBridgeOf({})).toBeUndefined();
  });
});
