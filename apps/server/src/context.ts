import type { Logger } from '@cardbind/shared';
import { AdminOperations } from './admin.ts';
import { Authenticator } from './authenticator.ts';
import { CredentialService } from './credentials.ts';
import { createDisabledMailer, type Mailer } from './mail/mailer.ts';
import { Notifier } from './notifications.ts';
import { AuthorizationService } from './oauth/authorizations.ts';
import type { OAuthConfig } from './oauth/providers.ts';
import { PrinterService } from './printers.ts';
import {
  createPasswordHasher,
  DEFAULT_PASSWORD_HASHING,
  type PasswordHashingOptions,
} from './secrets.ts';
import { TerminalService } from './services.ts';
import { SessionService } from './sessions.ts';
import { SettingsService } from './settings.ts';
import { Throttle } from './throttle.ts';
import type { Store } from './store/store.ts';

/** Every service of the server, wired once over one store. */
export interface ServerContext {
  store: Store;
  /** Server secret: keyed hashes of PINs and OTPs, CSRF tokens of portal sessions. */
  serverKey: Buffer;
  /** The clock every service uses; tests move it. */
  now: () => Date;
  logger: Logger;
  settings: SettingsService;
  notifier: Notifier;
  /** An SMTP server is configured: e-mails can leave (else they are logged as not sent). */
  mailConfigured: boolean;
  credentials: CredentialService;
  throttle: Throttle;
  authenticator: Authenticator;
  terminals: TerminalService;
  sessions: SessionService;
  admin: AdminOperations;
  printers: PrinterService;
  authorizations: AuthorizationService;
}

export interface ContextOptions {
  store: Store;
  /** Key of the keyed hashes of PINs and OTPs (see `loadServerKey`). */
  serverKey: Buffer;
  logger: Logger;
  passwordHashing?: PasswordHashingOptions;
  enrollmentTtlMs?: number;
  now?: () => Date;
  /** Where e-mails go; without one they are logged as not sent. */
  mailer?: Mailer;
  /** Time zone of dates in e-mails. */
  timeZone?: string;
  /** OAuth 2.0 providers of connector types users may authorize. */
  oauth?: OAuthConfig;
}

export function createContext(options: ContextOptions): ServerContext {
  const { store, logger } = options;
  const now = options.now ?? (() => new Date());
  const passwords = createPasswordHasher(options.passwordHashing ?? DEFAULT_PASSWORD_HASHING);
  const settings = new SettingsService(store.settings);
  const mailer = options.mailer ?? createDisabledMailer(logger);
  const notifier = new Notifier(mailer, settings, logger, options.timeZone ?? 'UTC');
  const credentials = new CredentialService(store, options.serverKey, settings, notifier, now);
  const throttle = new Throttle(store, settings, now);
  const authenticator = new Authenticator({ store, passwords, credentials, throttle, now });
  const terminals = new TerminalService({
    store,
    authenticator,
    notifier,
    settings,
    logger,
    now,
    ...(options.enrollmentTtlMs === undefined ? {} : { enrollmentTtlMs: options.enrollmentTtlMs }),
  });
  const sessions = new SessionService(store, authenticator, now);
  const admin = new AdminOperations(
    store,
    passwords,
    credentials,
    throttle,
    notifier,
    settings,
    now,
  );
  const printers = new PrinterService(store, now);
  const authorizations = new AuthorizationService({
    store,
    serverKey: options.serverKey,
    now,
    logger,
    ...(options.oauth ? { config: options.oauth } : {}),
  });
  return {
    store,
    serverKey: options.serverKey,
    now,
    logger,
    settings,
    notifier,
    mailConfigured: options.mailer !== undefined,
    credentials,
    throttle,
    authenticator,
    terminals,
    sessions,
    admin,
    printers,
    authorizations,
  };
}
