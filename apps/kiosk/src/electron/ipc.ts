import type { ErrorCode, Logger } from '@cardbind/shared';
import { errorBody } from '../host/http.ts';
import type { KioskServices } from '../host/kiosk-services.ts';
import { TERMINAL_CALL_NAMES, TERMINAL_CALLS, type TerminalCall } from '../host/terminal-calls.ts';
import {
  KIOSK_FEED_CHANNEL,
  KIOSK_IPC,
  type BridgeAnswer,
  type KioskInvokeChannel,
} from './bridge-contract.ts';

/** The parts of Electron's `WebContents` the handlers use. */
export interface IpcSender {
  readonly id: number;
  send(channel: string, ...args: unknown[]): void;
  getURL(): string;
  isDestroyed(): boolean;
  once(event: 'destroyed', listener: () => void): unknown;
}

/** The parts of Electron's `IpcMainInvokeEvent` the handlers use. */
export interface IpcCallEvent {
  sender: IpcSender;
  /** Null when the frame navigated away or is gone before the call is handled. */
  senderFrame: { url: string; parent: unknown } | null;
}

export type IpcHandler = (event: IpcCallEvent, ...args: unknown[]) => Promise<BridgeAnswer>;

/** The parts of Electron's `ipcMain` registration uses (the electron stub has the same). */
export interface IpcMainLike {
  handle(channel: string, handler: IpcHandler): void;
  removeHandler(channel: string): void;
}

export interface KioskIpcOptions {
  /** The terminal calls and reader feed of the in-process kiosk host. */
  services: KioskServices;
  /** The kiosk page's origin, e.g. `http://127.0.0.1:7392`: the only one answered. */
  origin: string;
  logger: Logger;
}

/**
 * The main process's side of `window.cardbindKiosk`: one handler per channel of KIOSK_IPC.
 * Here each call's sender and argument count are checked before anything is done: it must come
 * from the top frame of a page of the kiosk origin, with as many arguments as the channel takes.
 * Then it goes to the same services as the kiosk host's HTTP routes, which check the payload
 * against the call's schema and forward it, and answers what that route would answer (status
 * and JSON), so the terminal and reader tokens stay here. Handlers never reject: failures are
 * error answers.
 */
export function createKioskIpcHandlers(
  options: KioskIpcOptions,
): Record<KioskInvokeChannel, IpcHandler> & { close(): void } {
  const { services, logger } = options;
  const origin = new URL(options.origin).origin;
  /** Reader feed subscriptions by sender (webContents) id. */
  const feeds = new Map<number, () => void>();
  const watched = new Set<number>();

  const isKioskUrl = (url: string) => {
    try {
      return new URL(url).origin === origin;
    } catch {
      return false;
    }
  };

  const refused = (
    channel: string,
    status: number,
    code: ErrorCode,
    message: string,
  ): BridgeAnswer => {
    logger.warn('kiosk IPC call refused', { channel, status, reason: message });
    return { status, body: errorBody(code, message) };
  };

  /** Sender and error handling shared by every channel; `run` sees only checked calls. */
  const handler =
    (
      channel: KioskInvokeChannel,
      run: (event: IpcCallEvent, args: unknown[]) => Promise<BridgeAnswer>,
    ): IpcHandler =>
    async (event, ...args) => {
      const frame = event.senderFrame;
      if (!frame || frame.parent !== null || !isKioskUrl(frame.url)) {
        return refused(channel, 403, 'forbidden', 'Only the kiosk page may use the kiosk bridge.');
      }
      try {
        return await run(event, args);
      } catch (error) {
        logger.error('kiosk IPC call failed', { channel, error });
        return { status: 500, body: errorBody('internal_error', 'The kiosk failed; see its log.') };
      }
    };

  const noArguments = (
    channel: KioskInvokeChannel,
    run: (event: IpcCallEvent) => Promise<BridgeAnswer> | BridgeAnswer,
  ) =>
    handler(channel, async (event, args) =>
      args.length === 0
        ? run(event)
        : refused(channel, 400, 'invalid_request', 'This call takes no arguments.'),
    );

  /** A terminal call from `TERMINAL_CALLS`: a POST's one payload, or nothing for a GET. */
  const terminalCall = (call: TerminalCall) => {
    const channel = KIOSK_IPC[call];
    return TERMINAL_CALLS[call].method === 'GET'
      ? noArguments(channel, () => services.terminal(call))
      : handler(channel, async (_event, args) =>
          args.length === 1
            ? services.terminal(call, args[0])
            : refused(channel, 400, 'invalid_request', 'This call takes one argument.'),
        );
  };

  const stopFeed = (id: number) => {
    feeds.get(id)?.();
    feeds.delete(id);
  };

  const terminalHandlers = Object.fromEntries(
    TERMINAL_CALL_NAMES.map((call) => [KIOSK_IPC[call], terminalCall(call)]),
  ) as Record<(typeof KIOSK_IPC)[TerminalCall], IpcHandler>;

  return {
    ...terminalHandlers,
    [KIOSK_IPC.config]: noArguments(KIOSK_IPC.config, () => ({
      status: 200,
      body: services.config,
    })),
    [KIOSK_IPC.subscribe]: noArguments(KIOSK_IPC.subscribe, ({ sender }) => {
      const { id } = sender;
      // One feed per window: a reloaded page subscribes again and replaces the old one.
      stopFeed(id);
      if (!watched.has(id)) {
        watched.add(id);
        sender.once('destroyed', () => {
          stopFeed(id);
          watched.delete(id);
        });
      }
      feeds.set(
        id,
        services.subscribe((event) => {
          // Card numbers go to the kiosk page only, never to whatever else the window shows
          // (an error page after a failed load).
          if (!sender.isDestroyed() && isKioskUrl(sender.getURL())) {
            sender.send(KIOSK_FEED_CHANNEL, event);
          }
        }),
      );
      return { status: 200, body: null };
    }),
    [KIOSK_IPC.unsubscribe]: noArguments(KIOSK_IPC.unsubscribe, ({ sender }) => {
      stopFeed(sender.id);
      return { status: 200, body: null };
    }),
    close() {
      for (const id of [...feeds.keys()]) stopFeed(id);
    },
  };
}

/**
 * Answers the kiosk channels on `ipcMain` (and no others). Returns the function that removes the
 * handlers and ends every reader feed, for shutting down.
 */
export function registerKioskIpc(ipcMain: IpcMainLike, options: KioskIpcOptions): () => void {
  const { close, ...handlers } = createKioskIpcHandlers(options);
  const channels = Object.keys(handlers) as KioskInvokeChannel[];
  for (const channel of channels) ipcMain.handle(channel, handlers[channel]);
  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
    close();
  };
}
