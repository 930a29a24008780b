export { AdminOperations, NewUserInput } from './admin.ts';
export { startServer, withAdmin, type RunningServer, type ServerOptions } from './server.ts';
export { DuplicateError } from './store/store.ts';
export { DEFAULT_PASSWORD_HASHING, type PasswordHashingOptions } from './secrets.ts';
