// A stand-in for the `electron` module, so tests can run the bundled main process under plain
// Node.js (the Electron binary is not available on development machines). It reports what main
// does as JSON lines on stdout and exercises the navigation handlers it installs.
'use strict';
const report = (event) => process.stdout.write(JSON.stringify(event) + '\n');

class WebContents {
  constructor() {
    this.handlers = {};
    this.openHandler = undefined;
  }
  on(name, handler) {
    (this.handlers[name] ??= []).push(handler);
    return this;
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
    report({
      type: 'load',
      url,
      handlers: Object.keys(contents.handlers).sort(),
      sameOriginPrevented: contents.navigate(new URL('/other', url).href),
      foreignPrevented: contents.navigate('https://example.org/'),
      windowOpen: contents.openHandler?.({ url: 'https://example.org/' }).action,
    });
    return Promise.resolve();
  }
}

module.exports = {
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
