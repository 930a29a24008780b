import {
  KIOSK_FEED_CHANNEL,
  KIOSK_IPC,
  type BridgeAnswer,
  type KioskBridge,
  type KioskInvokeChannel,
} from './bridge-contract.ts';

/** The two `ipcRenderer` methods the bridge uses; tests pass a stand-in. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/**
 * The preload's API for the page, over IPC. The page chooses neither the channel nor the number
 * of arguments, and never sees `ipcRenderer` or an IPC event (whose `sender` is `ipcRenderer`):
 * only the payloads.
 */
export function createKioskBridge(ipc: IpcRendererLike): KioskBridge {
  const listeners = new Set<(event: unknown) => void>();
  ipc.on(KIOSK_FEED_CHANNEL, (_event, payload) => {
    for (const listener of [...listeners]) listener(payload);
  });
  const invoke = (channel: KioskInvokeChannel, ...args: unknown[]) =>
    ipc.invoke(channel, ...args) as Promise<BridgeAnswer>;

  return {
    shell: 'electron',
    cardAuth: (request) => invoke(KIOSK_IPC.cardAuth, request),
    enroll: (request) => invoke(KIOSK_IPC.enroll, request),
    login: (request) => invoke(KIOSK_IPC.login, request),
    policy: () => invoke(KIOSK_IPC.policy),
    config: () => invoke(KIOSK_IPC.config),
    subscribe(listener, onFailure) {
      const entry = (event: unknown) => listener(event);
      listeners.add(entry);
      // Every subscribe restarts the window's feed, so this listener, too, gets the current
      // reader statuses first (the others get them again, which changes nothing for them).
      ipc.invoke(KIOSK_IPC.subscribe).then(
        (answer) => {
          if (!isOk(answer) && listeners.has(entry)) onFailure();
        },
        () => {
          if (listeners.has(entry)) onFailure();
        },
      );
      return () => {
        if (listeners.delete(entry) && listeners.size === 0) {
          invoke(KIOSK_IPC.unsubscribe).catch(() => {
            /* the window is going away anyway */
          });
        }
      };
    },
  };
}

const isOk = (answer: unknown) =>
  typeof answer === 'object' && answer !== null && (answer as BridgeAnswer).status === 200;
