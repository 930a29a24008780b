// A stand-in for the `electron` module, so tests can run the bundled main process under plain
// Node.js (the Electron binary is not available on development machines). It reports what main
// does as JSON lines on stdout and exercises the navigation handlers it installs. Its `ipcMain`
// can be driven in-process (`ipcMain.invoke`) or, in a spawned main run with
// CARDBIND_ELECTRON_STUB_STDIN=1, by JSON lines on stdin:
// {"type":"invoke","id":1,"channel":"…","args":[…],"frameUrl":"…"} → {"type":"invoked",…}.
'use strict';
const report = (event) => process.stdout.write(JSON.stringify(event) + '\n');
const driven = process.env.CARDBIND_ELECTRON_STUB_STDIN === '1';

let nextContentsId = 1;
let lastContents;

class WebContents {
  constructor() {
    this.id = nextContentsId++;
    this.handlers = {};
    this.openHandler = undefined;
    this.url = '';
    this.destroyed = false;
    /** Every main → renderer message, `{ channel, args }`. */
    this.sent = [];
  }
  on(name, handler) {
    (this.handlers[name] ??= []).push(handler);
    return this;
  }
  once(name, handler) {
    return this.on(name, handler);
  }
  emit(name, ...args) {
    for (const handler of this.handlers[name] ?? []) handler(...args);
  }
  /** Main → renderer messages are recorded, and reported when driven from stdin. */
  send(channel, ...args) {
    this.sent.push({ channel, args });
    if (driven) report({ type: 'sent', contents: this.id, channel, args });
  }
  getURL() {
    return this.url;
  }
  isDestroyed() {
    return this.destroyed;
  }
  destroy() {
    this.destroyed = true;
    this.emit('destroyed');
  }
  setWindowOpenHandler(handler) {
    this.openHandler = handler;
  }
  /** True when a will-navigate handler prevented the navigation. */
  navigate(url) {
    let prevented = false;
    for (const handler of this.handlers['will-navigate'] ?? []) {
      handler({ url, preventDefault: () => (prevented = true) });
    }
    return prevented;
  }
}

class BrowserWindow {
  constructor(options) {
    this.webContents = new WebContents();
    lastContents = this.webContents;
    report({ type: 'window', options });
  }
  once() {}
  on() {}
  show() {}
  isMinimized() {
    return false;
  }
  restore() {}
  focus() {}
  loadURL(url) {
    const contents = this.webContents;
    contents.url = url;
    report({
      type: 'load',
      url,
      handlers: Object.keys(contents.handlers).sort(),
      sameOriginPrevented: contents.navigate(new URL('/other', url).href),
      foreignPrevented: contents.navigate('https://example.org/'),
      windowOpen: contents.openHandler?.({ url: 'https://example.org/' }).action,
      ipcChannels: ipcMain.channels(),
    });
    return Promise.resolve();
  }
}

const ipcHandlers = new Map();
const ipcMain = {
  handle(channel, handler) {
    // As in Electron: a second handler for a channel is a programming error.
    if (ipcHandlers.has(channel))
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    ipcHandlers.set(channel, handler);
  },
  removeHandler(channel) {
    ipcHandlers.delete(channel);
  },
  channels: () => [...ipcHandlers.keys()].sort(),
  /**
   * What `ipcRenderer.invoke(channel, ...args)` from a top frame at `frameUrl` in `sender`
   * would get; rejects like Electron when no handler is registered.
   */
  invoke(channel, { sender, frameUrl, parent = null }, ...args) {
    const handler = ipcHandlers.get(channel);
    if (!handler) return Promise.reject(new Error(`No handler registered for '${channel}'`));
    const senderFrame = frameUrl === null ? null : { url: frameUrl, parent };
    return Promise.resolve().then(() => handler({ sender, senderFrame }, ...args));
  },
};

function runCommand(line) {
  const command = JSON.parse(line);
  if (command.type !== 'invoke') return;
  const sender = lastContents ?? new WebContents();
  ipcMain
    .invoke(command.channel, { sender, frameUrl: command.frameUrl }, ...(command.args ?? []))
    .then(
      (answer) => report({ type: 'invoked', id: command.id, answer }),
      (error) => report({ type: 'invoked', id: command.id, error: error.message }),
    );
}

if (driven) {
  let pending = '';
  process.stdin.setEncoding('utf8').on('data', (chunk) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop();
    for (const line of lines) if (line.trim()) runCommand(line);
  });
}

module.exports = {
  ipcMain,
  WebContents,
  app: {
    isPackaged: true,
    requestSingleInstanceLock: () => true,
    whenReady: () => Promise.resolve(),
    on() {},
    quit: () => process.exit(0),
    exit: (code) => process.exit(code),
  },
  BrowserWindow,
  Menu: { setApplicationMenu: () => report({ type: 'menu-removed' }) },
  session: {
    defaultSession: { setPermissionRequestHandler() {}, setPermissionCheckHandler() {} },
  },
  contextBridge: { exposeInMainWorld() {} },
};
