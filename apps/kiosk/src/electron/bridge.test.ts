import { describe, expect, it } from 'vitest';
import { KIOSK_FEED_CHANNEL, KIOSK_IPC } from './bridge-contract.ts';
import { createKioskBridge, type IpcRendererLike } from './bridge.ts';

/** A stand-in for `ipcRenderer`: records invokes, answers from `answer`, lets tests emit. */
function fakeIpc(
  answer: (channel: string) => Promise<unknown> = () =>
    Promise.resolve({ status: 200, body: null }),
) {
  const invoked: Array<[string, unknown[]]> = [];
  const listeners = new Map<string, Array<(event: unknown, ...args: unknown[]) => void>>();
  const ipc: IpcRendererLike = {
    invoke(channel, ...args) {
      invoked.push([channel, args]);
      return answer(channel);
    },
    on(channel, listener) {
      listeners.set(channel, [...(listeners.get(channel) ?? []), listener]);
    },
  };
  const ipcEvent = { sender: ipc, ports: [] };
  return {
    ipc,
    invoked,
    listeners,
    emit: (channel: string, payload: unknown) => {
      for (const listener of listeners.get(channel) ?? []) listener(ipcEvent, payload);
    },
  };
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('preload bridge', () => {
  it('exposes the kiosk calls and nothing else', () => {
    const bridge = createKioskBridge(fakeIpc().ipc);
    expect(Object.keys(bridge).sort()).toEqual(
      ['cardAuth', 'config', 'enroll', 'login', 'policy', 'shell', 'subscribe'].sort(),
    );
    expect(bridge.shell).toBe('electron');
  });

  it('sends each call on its own channel with exactly the one argument given', async () => {
    const { ipc, invoked } = fakeIpc();
    const bridge = createKioskBridge(ipc);
    await bridge.cardAuth({ cardId: '04A1' });
    await bridge.enroll({ enrollmentToken: 't' });
    await bridge.login({ method: 'pin', pin: '4711' });
    await bridge.policy();
    await bridge.config();
    // Extra arguments from the page do not travel.
    await (bridge.cardAuth as (...args: unknown[]) => Promise<unknown>)({ cardId: '1' }, 'extra');
    await (bridge.policy as (...args: unknown[]) => Promise<unknown>)('extra');
    expect(invoked).toEqual([
      [KIOSK_IPC.cardAuth, [{ cardId: '04A1' }]],
      [KIOSK_IPC.enroll, [{ enrollmentToken: 't' }]],
      [KIOSK_IPC.login, [{ method: 'pin', pin: '4711' }]],
      [KIOSK_IPC.policy, []],
      [KIOSK_IPC.config, []],
      [KIOSK_IPC.cardAuth, [{ cardId: '1' }]],
      [KIOSK_IPC.policy, []],
    ]);
  });

  it('returns what the main process answered', async () => {
    const { ipc } = fakeIpc(() => Promise.resolve({ status: 401, body: { error: {} } }));
    await expect(createKioskBridge(ipc).cardAuth({ cardId: '1' })).resolves.toEqual({
      status: 401,
      body: { error: {} },
    });
  });

  it('hands listeners the feed payload only, never the IPC event', async () => {
    const { ipc, invoked, emit } = fakeIpc();
    const bridge = createKioskBridge(ipc);
    const first: unknown[][] = [];
    const second: unknown[][] = [];
    const stopFirst = bridge.subscribe(
      (...args) => first.push(args),
      () => {},
    );
    const stopSecond = bridge.subscribe(
      (...args) => second.push(args),
      () => {},
    );
    expect(invoked.map(([channel]) => channel)).toEqual([KIOSK_IPC.subscribe, KIOSK_IPC.subscribe]);

    emit(KIOSK_FEED_CHANNEL, { type: 'card' });
    emit('some-other-channel', { type: 'card' });
    expect(first).toEqual([[{ type: 'card' }]]);
    expect(second).toEqual([[{ type: 'card' }]]);

    // The main process stops sending only when the last listener is gone.
    stopFirst();
    stopFirst();
    expect(invoked.map(([channel]) => channel)).not.toContain(KIOSK_IPC.unsubscribe);
    emit(KIOSK_FEED_CHANNEL, { type: 'reader' });
    stopSecond();
    expect(invoked.filter(([channel]) => channel === KIOSK_IPC.unsubscribe)).toHaveLength(1);
    expect(first).toHaveLength(1);
    expect(second).toEqual([[{ type: 'card' }], [{ type: 'reader' }]]);
    await settled();
  });

  it.each([
    ['refuses', () => Promise.resolve({ status: 403, body: {} })],
    ['fails', () => Promise.reject(new Error('gone'))],
    ['answers nonsense', () => Promise.resolve('ok')],
  ])('tells the page when the main process %s the feed', async (_what, answer) => {
    const { ipc } = fakeIpc(answer);
    const bridge = createKioskBridge(ipc);
    let failures = 0;
    bridge.subscribe(
      () => {},
      () => failures++,
    );
    // Not for a listener that left before the answer came.
    const stop = bridge.subscribe(
      () => {},
      () => failures++,
    );
    stop();
    await settled();
    expect(failures).toBe(1);
  });

  it('does not report a failure for a feed that started', async () => {
    const bridge = createKioskBridge(fakeIpc().ipc);
    let failures = 0;
    bridge.subscribe(
      () => {},
      () => failures++,
    );
    await settled();
    expect(failures).toBe(0);
  });
});
