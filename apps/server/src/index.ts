export { AdminOperations, NewUserInput } from './admin.ts';
export {
  describeStorage,
  startServer,
  withAdmin,
  type MailOptions,
  type RunningServer,
  type ServerOptions,
  type StorageLocation,
} from './server.ts';
export type { ServerContext } from './context.ts';
export { DuplicateError } from './store/store.ts';
export { loadOAuthConfig, type OAuthConfig } from './oauth/providers.ts';
export { DEFAULT_PASSWORD_HASHING, type PasswordHashingOptions } from './secrets.ts';
