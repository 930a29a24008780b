// The reader daemon for the CLI (`cardbind reader`, `swipe`, `readers`) and tests. Everything
// else in this package is internal.
export {
  SIMULATED_READER_ID,
  openerFor,
  startReaderDaemon,
  type ReaderConfig,
  type ReaderDaemon,
  type ReaderDaemonOptions,
} from './daemon.ts';
export {
  listProfileIds,
  loadProfile,
  normalizeCardId,
  ProfileError,
  unconfirmedFacts,
  type ReaderProfile,
} from './profiles.ts';
export { simulateSwipe, type SimulateSwipeOptions } from './simulate.ts';
export { listAttachedReaders, type AttachedDevice } from './discovery.ts';
export {
  CardReader,
  type CardReaderEvents,
  type CardReaderOptions,
  type ReaderState,
} from './card-reader.ts';
