import { contextBridge, ipcRenderer } from 'electron';
import { KIOSK_BRIDGE_FLAG, KIOSK_BRIDGE_GLOBAL } from './bridge-contract.ts';
import { createKioskBridge } from './bridge.ts';

/*
 * Runs sandboxed, before the page, in an isolated world. The page gets `window.cardbindKiosk`:
 * when the main process runs the kiosk host itself, the narrow kiosk API over IPC (bridge.ts);
 * otherwise (attach mode) only the fact that it runs in the shell, and it talks HTTP to its
 * host. Nothing exposed holds a secret: the terminal and reader tokens stay in the main process.
 */
const api = process.argv.includes(KIOSK_BRIDGE_FLAG)
  ? createKioskBridge(ipcRenderer)
  : { shell: 'electron' };
contextBridge.exposeInMainWorld(KIOSK_BRIDGE_GLOBAL, Object.freeze(api));
