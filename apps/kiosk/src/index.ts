export { startKioskHost } from './host/start.ts';
export {
  pageConfig,
  type KioskHost,
  type KioskHostOptions,
  type PageSettings,
} from './host/kiosk-host.ts';
export { LANGUAGES, isLanguage, type LanguageCode, type KioskPageConfig } from './kiosk-api.ts';
export { findPanelProfile, loadPanelProfiles, panelFacts, type PanelProfile } from './panels.ts';
export {
  ElectronUnavailableError,
  launchElectronKiosk,
  type ElectronKiosk,
  type ElectronLaunchOptions,
} from './electron/launch.ts';
