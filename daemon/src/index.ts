export {
  SIMULATED_READER_ID,
  startReaderDaemon,
  type ReaderDaemon,
  type ReaderDaemonOptions,
  type ReaderConfig,
} from './daemon.ts';
export {
  listProfileIds,
  loadProfile,
  normalizeCardId,
  ProfileError,
  type ReaderProfile,
} from './profiles.ts';
export { simulateSwipe } from './simulate.ts';
export { listAttachedReaders, type AttachedDevice } from './discovery.ts';
export { CardReader } from './card-reader.ts';
export { openerFor } from './daemon.ts';
