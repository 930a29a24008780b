import type {
  CardAuthResponse,
  EnrollResponse,
  TerminalLoginRequest,
  TerminalLoginResponse,
} from '@cardbind/shared';
import { getAdjacencyMap, getShortestPaths, type StatePath } from '@xstate/graph';
import { describe, expect, it } from 'vitest';
import {
  createActor,
  fromCallback,
  fromPromise,
  SimulatedClock,
  type AnyStateNode,
  type EventObject,
} from 'xstate';
import type { EnrollInput } from './backend.ts';
import { KioskApiError, type KioskErrorCode } from './errors.ts';
import type { TerminalPolicy } from './kiosk-api.ts';
import {
  delayFor,
  kioskMachine,
  type KioskDelayName,
  type KioskEvent,
  type KioskMachineConfig,
  type KioskSnapshot,
} from './machine.ts';

/**
 * Model-based tests: @xstate/graph walks the machine with every event a person, the reader, the
 * server and the clock can produce; every transition it finds is then replayed on a running
 * kiosk actor whose server calls are fakes answered by the test, on a simulated clock, and the
 * actor must land where the model says after each step. A final check proves the walk reached
 * every state and every transition written in the machine.
 */

const CONFIG: KioskMachineConfig = {
  language: 'en',
  enrollWithoutPrompt: false,
  delays: { sessionTimeout: 1_000, promptTimeout: 2_000, formTimeout: 3_000, errorTimeout: 4_000 },
  retry: { attempts: 2, baseMs: 100, maxMs: 400 },
};
const SECRET = 'model-secret-1234';
const ADA = { username: 'ada', fullName: 'Ada Lovelace' };
const FULL_POLICY: TerminalPolicy = {
  enrollmentMethods: ['password', 'otp', 'pin'],
  loginMethods: ['password', 'pin'],
};
const NARROW_POLICY: TerminalPolicy = { enrollmentMethods: ['otp'], loginMethods: ['pin'] };
const NO_METHODS_POLICY: TerminalPolicy = { enrollmentMethods: [], loginMethods: [] };

/** One failure per route the machine distinguishes, with the details the server adds. */
const FAILURES: KioskApiError[] = (
  [
    ['invalid_credentials', 401, { attemptsLeft: 2 }],
    ['credential_expired', 401, {}],
    ['too_many_attempts', 429, { retryAfterSeconds: 30 }],
    ['server_unreachable', 502, {}],
    ['network', 0, {}],
    ['card_already_bound', 409, {}],
    ['enrollment_expired', 410, {}],
    ['method_not_allowed', 403, {}],
    ['unauthorized', 401, {}],
  ] as Array<[KioskErrorCode, number, KioskApiError['details']]>
).map(([code, status, details]) => new KioskApiError(code, `${code} happened`, status, details));

const doneEvent = (id: string, output: unknown) =>
  ({ type: `xstate.done.actor.${id}`, output }) as unknown as KioskEvent;
const errorEvent = (id: string, error: unknown) =>
  ({ type: `xstate.error.actor.${id}`, error }) as unknown as KioskEvent;

const PEOPLE_AND_READER: KioskEvent[] = [
  { type: 'CARD_READ', cardId: 'CARD1' },
  { type: 'CARD_READ', cardId: 'CARD2' },
  { type: 'ENROLL' },
  { type: 'LOGIN' },
  { type: 'CHOOSE_METHOD', method: 'password' },
  { type: 'CHOOSE_METHOD', method: 'otp' },
  { type: 'CHOOSE_METHOD', method: 'pin' },
  { type: 'CHANGE_METHOD' },
  { type: 'SUBMIT', username: ' ada ', secret: SECRET },
  { type: 'SUBMIT', username: '', secret: SECRET },
  { type: 'ACTIVITY' },
  { type: 'CANCEL' },
  { type: 'LOGOUT' },
  { type: 'RETRY' },
  { type: 'SET_LANGUAGE', language: 'de' },
  { type: 'POLICY', policy: FULL_POLICY },
  { type: 'POLICY', policy: NARROW_POLICY },
];

const ANSWERS: Record<string, unknown[]> = {
  cardAuth: [
    { result: 'known', user: ADA },
    { result: 'unknown', enrollmentToken: 'cbe_1', expiresAt: '2030-01-01T00:00:00.000Z' },
  ],
  enroll: [{ result: 'enrolled', user: ADA }],
  login: [{ result: 'authenticated', user: ADA }],
  // The server may come back with another policy: the form reopened must follow it.
  probe: [FULL_POLICY, NARROW_POLICY, NO_METHODS_POLICY],
};

/** Every event that can happen in this snapshot: people, the reader, the invoked call, the clock. */
function eventsFor(snapshot: KioskSnapshot): KioskEvent[] {
  const events = [...PEOPLE_AND_READER];
  for (const id of Object.keys(snapshot.children)) {
    if (id === 'policyFeed') continue;
    for (const output of ANSWERS[id] ?? []) events.push(doneEvent(id, output));
    for (const failure of FAILURES) events.push(errorEvent(id, failure));
  }
  for (const node of snapshot._nodes) {
    for (const delay of node.after) {
      events.push({ type: delay.eventType } as unknown as KioskEvent);
    }
  }
  return events;
}

/** What makes two snapshots different for the flow: never the secret (it is not there). */
function serializeState(snapshot: KioskSnapshot): string {
  const { context } = snapshot;
  return JSON.stringify([
    snapshot.value,
    context.cardId,
    context.method,
    context.language,
    context.policy,
    context.error?.code ?? null,
    context.retry,
    context.welcomeReason,
  ]);
}

const serializeEvent = (event: EventObject) => JSON.stringify(event);

const INPUTS: Array<{ name: string; input: KioskMachineConfig }> = [
  { name: 'offer first', input: CONFIG },
  { name: 'straight to the form', input: { ...CONFIG, enrollWithoutPrompt: true } },
];

interface Pending {
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** A running kiosk whose calls wait for the test, and a driver that replays model events on it. */
function startKiosk(input: KioskMachineConfig) {
  const pending = new Map<string, Pending>();
  const calls: Array<{ id: string; input: unknown }> = [];
  const fake = <Output, Input>(id: string) =>
    fromPromise<Output, Input>(
      ({ input: callInput }) =>
        new Promise((resolve, reject) => {
          calls.push({ id, input: callInput });
          pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        }),
    );
  const clock = new SimulatedClock();
  const machine = kioskMachine.provide({
    actors: {
      cardAuth: fake<CardAuthResponse, { cardId: string }>('cardAuth'),
      enroll: fake<EnrollResponse, EnrollInput>('enroll'),
      login: fake<TerminalLoginResponse, TerminalLoginRequest>('login'),
      probe: fake<TerminalPolicy, undefined>('probe'),
      policyFeed: fromCallback(() => undefined),
    },
  });
  const actor = createActor(machine, { clock, input });
  actor.start();

  async function play(event: KioskEvent): Promise<void> {
    const [, kind, , id] = /^xstate\.(done|error|after)\.(actor\.)?([^.]+)/.exec(event.type) ?? [];
    const call = (kind === 'done' || kind === 'error') && id ? pending.get(id) : undefined;
    if (kind === 'done' && call) call.resolve((event as unknown as { output: unknown }).output);
    else if (kind === 'error' && call) call.reject((event as unknown as { error: unknown }).error);
    else if (kind === 'after' && id) {
      clock.increment(delayFor(id as KioskDelayName, actor.getSnapshot().context));
    } else actor.send(event);
    // Promise reactions (the actor's done and error events) run before the next step.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return { actor, play, calls };
}

function buildModel(input: KioskMachineConfig) {
  const options = { events: eventsFor, serializeState, serializeEvent, input };
  const adjacency = getAdjacencyMap(kioskMachine, options);
  const paths = new Map<string, StatePath<KioskSnapshot, KioskEvent>>();
  for (const path of getShortestPaths(kioskMachine, options)) {
    paths.set(serializeState(path.state), path);
  }
  return { adjacency, paths };
}

/** `source --event--> target` for every transition the machine takes in a walk. */
const edgeKey = (source: string, eventType: string, target: string) =>
  `${source} --${eventType.replace(/^(xstate\.after\.[^.]+)\..*/, '$1')}--> ${target}`;

const MODELS = INPUTS.map(({ name, input }) => {
  const { adjacency, paths } = buildModel(input);
  const edges = new Set<string>();
  const cases: Array<{ name: string; steps: StatePath<KioskSnapshot, KioskEvent>['steps'] }> = [];
  for (const [key, { state, transitions }] of Object.entries(adjacency)) {
    const prefix = paths.get(key);
    if (!prefix) continue;
    const steps = Object.values(transitions) as Array<{ event: KioskEvent; state: KioskSnapshot }>;
    for (const { event, state: next } of steps) {
      if (!state.can(event)) continue;
      const edge = edgeKey(String(state.value), event.type, String(next.value));
      if (edges.has(edge)) continue;
      edges.add(edge);
      cases.push({ name: edge, steps: [...prefix.steps, { event, state: next }] });
    }
  }
  const reached = new Set(Object.values(adjacency).map(({ state }) => String(state.value)));
  return { name, input, edges, cases, reached };
});

describe('kiosk machine model: coverage over both terminal settings', () => {
  it('finds a path to every state the machine has', () => {
    const reached = new Set(MODELS.flatMap((model) => [...model.reached]));
    const declared = Object.keys(kioskMachine.root.states).filter(
      (name) => !isTransient(kioskMachine.root.states[name]!),
    );
    expect([...reached].sort()).toEqual(declared.sort());
  });

  it('takes every transition written in the machine', () => {
    const taken = new Set(MODELS.flatMap((model) => [...model.edges]));
    const declared = declaredEdges();
    expect(declared.length).toBeGreaterThan(80);
    expect(declared.filter((edge) => !taken.has(edge))).toEqual([]);
  });

  it('skips the offer when the terminal enrolls without asking', () => {
    const direct = MODELS.find((model) => model.input.enrollWithoutPrompt);
    expect(direct?.reached.has('offerEnrollment')).toBe(false);
    expect(direct?.edges).toContain('lookingUp --xstate.done.actor.cardAuth--> enrollForm');
  });
});

describe.each(MODELS)('kiosk machine model: replayed ($name)', ({ input, cases }) => {
  it.each(cases)('$name', async ({ steps }) => {
    const kiosk = startKiosk(input);
    for (const step of steps) {
      await kiosk.play(step.event);
      const snapshot = kiosk.actor.getSnapshot();
      expect(snapshot.value).toEqual(step.state.value);
      expect(serializeState(snapshot)).toBe(serializeState(step.state));
      // The secret goes into a request, never into the state the UI renders.
      expect(JSON.stringify(snapshot.context)).not.toContain(SECRET);
    }
    for (const call of kiosk.calls.filter(({ id }) => id === 'enroll' || id === 'login')) {
      expect(JSON.stringify(call.input)).toContain(SECRET);
    }
    kiosk.actor.stop();
  });
});

function isTransient(node: AnyStateNode): boolean {
  return node.always !== undefined && node.always.length > 0;
}

/**
 * The transitions as written: for each state, event and possible target. Transitions into a
 * transient state (`always`) count as transitions into each of its targets, through any further
 * transient state; transitions on the root apply in every state.
 */
function declaredEdges(): string[] {
  const states = kioskMachine.root.states;
  const targetsOf = (node: AnyStateNode, target: AnyStateNode | undefined): string[] => {
    const to = target ?? node;
    if (isTransient(to)) {
      return (to.always ?? []).flatMap((t) => (t.target ?? []).flatMap((n) => targetsOf(to, n)));
    }
    return [to.key];
  };
  const edges = new Set<string>();
  for (const node of Object.values(states)) {
    if (isTransient(node)) continue;
    const transitions = [...node.transitions.values(), ...kioskMachine.root.transitions.values()];
    for (const candidates of transitions) {
      for (const transition of candidates) {
        const targets = transition.target ?? [undefined];
        for (const target of targets) {
          for (const to of targetsOf(node, target)) {
            edges.add(edgeKey(node.key, transition.eventType, to));
          }
        }
      }
    }
  }
  return [...edges].sort();
}
