import type { CardListResponse, EnrolledCard, GeneratedOtp, GeneratedPin } from '@cardbind/shared';

/**
 * What the portal reads from the HTTP API (README "HTTP API"). Types only: the browser bundle
 * carries no schema library.
 */
export type { CardListResponse, EnrolledCard, GeneratedOtp, GeneratedPin };

export const PERMISSIONS = [
  'ViewMyProfile',
  'ModifyMyProfile',
  'GenerateOTP',
  'GenerateShortID',
  'ViewUserInputPorts',
  'ManageUsers',
  'ViewCards',
  'ManageCards',
  'ManageTerminals',
  'ManageSettings',
  'ViewAudit',
  'ManagePrinters',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export interface PinStatus {
  length: number;
  createdAt: string;
  expiresAt: string | null;
}

export interface Me {
  username: string;
  fullName: string;
  email: string | null;
  source: string;
  /**
   * The language the user chose for the portal and e-mails; null until they choose one (the
   * portal then follows the browser, e-mails use the site's default).
   */
  language: string | null;
  groups: string[];
  permissions: Permission[];
  cards: Array<{ cardId: string; createdAt: string; terminal: string | null }>;
  pin: PinStatus | null;
}

export interface SessionInfo {
  id: number;
  clientId: string;
  userAgent: string | null;
  createdAt: string;
  expiresAt: string;
  current?: boolean;
}

export interface UserSummary {
  username: string;
  fullName: string;
  email: string | null;
  source: string;
  /** Null: the user has not chosen one. */
  language: string | null;
  disabled: boolean;
  createdAt: string;
}

export interface UserDetail extends UserSummary {
  groups: string[];
  roles: string[];
  cards: Array<{
    cardId: string;
    createdAt: string;
    terminal: string | null;
    expiresAt: string | null;
    source: string;
  }>;
  pin: PinStatus | null;
}

export interface Group {
  name: string;
  builtin: boolean;
  roles: string[];
  members: number;
}

export type SecretMethod = 'password' | 'otp' | 'pin';

/** `GET`/`PUT /api/v1/settings`: the whole document is sent back on save. */
export interface SiteSettings {
  enrollment: {
    methods: SecretMethod[];
    notifyByEmail: boolean;
    multipleCards: boolean;
    temporaryCards: boolean;
    temporaryCardValidityHours: number;
  };
  terminalLogin: { methods: SecretMethod[] };
  pin: {
    minimumLength: number;
    temporaryFor: 'none' | 'all' | 'groups';
    temporaryGroups: string[];
    validityHours: number;
    userCanChange: boolean;
    sendByEmail: boolean;
    generateForNewUsers: boolean;
  };
  otp: { validityHours: number; sendByEmail: boolean };
  lockout: {
    accountDelayAfter: number;
    accountLockAfter: number;
    terminalDelayAfter: number;
    maxDelaySeconds: number;
    forgetAfterMinutes: number;
  };
  /** `defaultLanguage`: of e-mails to users who have not chosen a language. */
  email: { defaultLanguage: string };
}

/** Settings that leave people without a way in (`GET /settings/advice`). */
export interface SettingsAdvice {
  code:
    | 'temporary_pins_not_mailed'
    | 'temporary_pins_not_renewable'
    | 'new_user_pins_not_mailed'
    | 'mail_not_configured'
    | 'pin_recipients_without_email'
    | 'temporary_group_unknown';
  params: Record<string, string | number>;
  message: string;
}

export interface PinPolicy {
  users: number;
  minimumLength: number;
  pinsTooShort: number;
  warning: string | null;
}

export interface AuditEvent {
  id: number;
  at: string;
  action: string;
  outcome: 'success' | 'failure' | 'denied';
  actor: string | null;
  subject: string | null;
  terminal: string | null;
  card: string | null;
  detail: string | null;
}

/** `GET /api/v1/terminals`: never a token; that is answered once, when the terminal is added. */
export interface Terminal {
  name: string;
  createdAt: string;
  lastSeenAt: string | null;
  revokedAt: string | null;
  cards: number;
}

/** `POST /api/v1/cards/import`: what an import would do (dry run) or did. */
export interface ImportedCard {
  line: number;
  cardId: string;
  username: string;
  expiresAt: string | null;
}
export interface CardImportReport {
  rows: number;
  add: ImportedCard[];
  /** A new expiry, or (only with `reassign=true`) another owner; `was` is how the card was. */
  change: Array<ImportedCard & { was: { username: string; expiresAt: string | null } }>;
  unchanged: number;
  /** Line numbers count the header as line 1, as a spreadsheet shows them. */
  errors: ImportLineError[];
  applied: boolean;
}

/** What is wrong with a line of a card import; `message` is the English wording. */
export interface ImportLineError {
  line: number;
  code:
    | 'header_missing'
    | 'card_id_invalid'
    | 'card_listed_twice'
    | 'user_unknown'
    | 'expires_invalid'
    | 'card_owned_by_other'
    | 'card_enrolled_meanwhile'
    | 'card_changed_meanwhile';
  params: Record<string, string | number>;
  message: string;
}

/** A container of print queues and what it holds (`GET /api/v1/printers`, `/me/printers`). */
export interface PrinterContainer<Q> {
  id: number;
  name: string;
  containers: Array<PrinterContainer<Q>>;
  queues: Q[];
}
export interface PrinterTree<Q> {
  containers: Array<PrinterContainer<Q>>;
  queues: Q[];
}
export interface MyQueue {
  id: number;
  name: string;
  availableByDefault: boolean;
  favourite: boolean;
}
export interface AdminQueue {
  id: number;
  name: string;
  availableByDefault: boolean;
  /** null: everybody sees it. */
  groups: string[] | null;
}

/** `GET /api/v1/me/authorizations`. */
export interface ConnectorAuthorization {
  type: string;
  name: string;
  status: 'authorized' | 'not_authorized' | 'expired';
  authorizedAt: string | null;
  expiresAt: string | null;
}

/** The built-in group every account is in: never offered for choosing. */
export const ALL_USERS_GROUP = 'ALL USERS';
