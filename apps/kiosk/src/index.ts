export { startKioskHost } from './host/start.ts';
export type { KioskHost, KioskHostOptions } from './host/kiosk-host.ts';
export {
  ElectronUnavailableError,
  launchElectronKiosk,
  type ElectronKiosk,
  type ElectronLaunchOptions,
} from './electron/launch.ts';
