/**
 * The contract between the Electron main process, the preload script and the kiosk page: the
 * IPC channel names (the only ones the preload uses and the main process answers) and the shape
 * of `window.cardbindKiosk`. No imports: the page's bundle and the preload bundle take it whole.
 */

/** The page's global, set by the preload script (and only by it). */
export const KIOSK_BRIDGE_GLOBAL = 'cardbindKiosk';

/**
 * Passed to the renderer (`webPreferences.additionalArguments`) when the main process answers
 * the channels below, i.e. when it runs the kiosk host itself. Without it (attach mode, where
 * another process holds the terminal token) the preload exposes no API and the page uses HTTP.
 */
export const KIOSK_BRIDGE_FLAG = '--cardbind-kiosk-bridge';

/** Renderer → main, `ipcRenderer.invoke`; each answers a `BridgeAnswer`. */
export const KIOSK_IPC = {
  /** One argument: `CardAuthRequest`. */
  cardAuth: 'cardbind-kiosk:card-auth',
  /** One argument: `EnrollRequest`. */
  enroll: 'cardbind-kiosk:enroll',
  /** One argument: `TerminalLoginRequest`. */
  login: 'cardbind-kiosk:login',
  /** No arguments: the server's `TerminalPolicy`. */
  policy: 'cardbind-kiosk:policy',
  /** No arguments: this terminal's `KioskPageConfig`. */
  config: 'cardbind-kiosk:config',
  /** No arguments: start (or restart) sending this window the reader feed, current statuses first. */
  subscribe: 'cardbind-kiosk:subscribe',
  /** No arguments: stop sending the reader feed. */
  unsubscribe: 'cardbind-kiosk:unsubscribe',
} as const;

export type KioskInvokeChannel = (typeof KIOSK_IPC)[keyof typeof KIOSK_IPC];

/** Every channel the main process handles, and nothing else. */
export const KIOSK_INVOKE_CHANNELS: readonly KioskInvokeChannel[] = Object.values(KIOSK_IPC);

/** Main → renderer, `webContents.send`: one `ReaderFeedEvent` per message. */
export const KIOSK_FEED_CHANNEL = 'cardbind-kiosk:feed';

/**
 * What every call answers: the status and JSON body the kiosk host's HTTP route would have
 * answered, so both adapters map answers and errors the same way (`checkedAnswer`).
 */
export interface BridgeAnswer {
  status: number;
  body: unknown;
}

/**
 * `window.cardbindKiosk` in the Electron shell: plain data in, plain data out, no Node or
 * Electron object and no secret. Arguments are checked again in the main process.
 */
export interface KioskBridge {
  readonly shell: 'electron';
  cardAuth(request: unknown): Promise<BridgeAnswer>;
  enroll(request: unknown): Promise<BridgeAnswer>;
  login(request: unknown): Promise<BridgeAnswer>;
  policy(): Promise<BridgeAnswer>;
  config(): Promise<BridgeAnswer>;
  /**
   * Reader feed events (unchecked: the page checks them) until the returned function is called;
   * `onFailure` when the main process refused or failed the subscription.
   */
  subscribe(listener: (event: unknown) => void, onFailure: () => void): () => void;
}
