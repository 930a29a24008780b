import {
  CardAuthRequest,
  EnrollRequest,
  TerminalLoginRequest,
  type ErrorCode,
  type Logger,
} from '@cardbind/shared';
import type { z } from 'zod';
import { BODY_LIMIT_BYTES, errorBody } from '../host/http.ts';
import type { KioskServices } from '../host/kiosk-services.ts';
import type { TerminalCall } from '../host/server-proxy.ts';
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
 * Every call is checked before anything is done: it must come from the top frame of a page of
 * the kiosk origin, with the payload the channel takes. Then it goes to the same services as the
 * kiosk host's HTTP routes and answers what that route would answer (status and JSON), so the
 * terminal and reader tokens stay here. Handlers never reject: failures are error answers.
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

  /** A terminal call with one JSON payload, checked as the HTTP route and the server check it. */
  const terminalCall = (channel: KioskInvokeChannel, call: TerminalCall, schema: z.ZodType) =>
    handler(channel, async (_event, args) => {
      if (args.length !== 1) {
        return refused(channel, 400, 'invalid_request', 'This call takes one argument.');
      }
      const [payload] = args;
      const size = jsonSize(payload);
      if (size === undefined) {
        return refused(channel, 400, 'invalid_request', 'Invalid request: not JSON data.');
      }
      if (size > BODY_LIMIT_BYTES) {
        return refused(
          channel,
          413,
          'payload_too_large',
          `The request is larger than ${BODY_LIMIT_BYTES} bytes.`,
        );
      }
      const checked = schema.safeParse(payload);
      if (!checked.success) {
        // Zod's messages name fields and rules, never the values (secrets) given.
        const issue = checked.error.issues[0];
        const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
        return refused(
          channel,
          400,
          'invalid_request',
          `Invalid request: ${where}${issue?.message}`,
        );
      }
      return services.terminal(call, payload);
    });

  const stopFeed = (id: number) => {
    feeds.get(id)?.();
    feeds.delete(id);
  };

  return {
    [KIOSK_IPC.cardAuth]: terminalCall(KIOSK_IPC.cardAuth, 'card-auth', CardAuthRequest),
    [KIOSK_IPC.enroll]: terminalCall(KIOSK_IPC.enroll, 'enroll', EnrollRequest),
    [KIOSK_IPC.login]: terminalCall(KIOSK_IPC.login, 'login', TerminalLoginRequest),
    [KIOSK_IPC.policy]: noArguments(KIOSK_IPC.policy, () => services.terminal('policy')),
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

/** The payload's size as JSON in bytes; undefined for what JSON cannot carry (cycles, BigInt). */
function jsonSize(value: unknown): number | undefined {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? undefined : Buffer.byteLength(text);
  } catch {
    return undefined;
  }
}
