import { contextBridge } from 'electron';

/**
 * The page runs sandboxed and talks to its kiosk host over HTTP, so it needs nothing from here
 * yet. What the bridge exposes is read-only and holds no secrets: the terminal token stays in
 * the main process. A later native backend (KioskBackend over IPC) would be added here.
 */
contextBridge.exposeInMainWorld('cardbindKiosk', Object.freeze({ shell: 'electron' }));
