import type { AuditEvent, AuditRepository } from './audit.ts';
import type { AuthorizationRepository } from './authorizations.ts';
import type { CredentialRepository } from './credentials.ts';
import type { PrinterRepository } from './printers.ts';
import type { SessionRepository } from './sessions.ts';
import type { SettingsRepository } from './settings.ts';
import type { ThrottleRepository } from './throttles.ts';

/**
 * The storage interface of the server. Business rules live in the services; a store only
 * keeps rows and guarantees what the database can guarantee (uniqueness, atomic updates).
 * `KyselyStore` fills it for SQLite today and PostgreSQL later.
 */
export interface UserRecord {
  id: number;
  username: string;
  fullName: string;
  email: string | null;
  passwordHash: string | null;
  createdAt: string;
  source: string;
  disabledAt: string | null;
  /** Chosen by the user (or an administrator); null: never chosen. */
  language: string | null;
}

export interface CardQuery {
  /** Matches the card id, username or terminal name (case-insensitive substring). */
  search?: string;
  sort?: 'createdAt' | 'cardId' | 'username';
  order?: 'asc' | 'desc';
  limit: number;
  offset: number;
}

export interface UserQuery {
  search?: string;
  group?: string;
  source?: string;
  limit: number;
  offset: number;
}

export interface GroupRecord {
  name: string;
  builtin: boolean;
  roles: string[];
  members: number;
}

export interface NewUser {
  username: string;
  fullName: string;
  email: string | null;
  passwordHash: string | null;
  createdAt: string;
  /** `local` (the default) or a directory name. */
  source?: string;
  language?: string | null;
}

export interface TerminalRecord {
  id: number;
  name: string;
  createdAt: string;
  lastSeenAt: string | null;
}

/** What a terminal token's hash matches: a working terminal, one an admin revoked, or nothing. */
export type TerminalLookup =
  | { status: 'active'; terminal: TerminalRecord }
  | { status: 'revoked'; name: string; revokedAt: string }
  | { status: 'unknown' };

/** A card's owner and expiry, as `findCard` and `findCards` return them. */
export interface CardOwnership {
  owner: UserRecord;
  expiresAt: string | null;
}

/** A terminal as administrators see it: revoked or not, and how many cards were enrolled there. */
export interface TerminalAdminRecord extends TerminalRecord {
  revokedAt: string | null;
  cards: number;
}

export interface ApiTokenRecord {
  id: number;
  name: string;
  role: 'admin';
  createdAt: string;
}

export interface EnrollmentRecord {
  id: number;
  cardId: string;
  terminalId: number;
  expiresAt: string;
  usedAt: string | null;
}

export interface CardListItem {
  cardId: string;
  username: string;
  fullName: string;
  createdAt: string;
  terminal: string | null;
  expiresAt: string | null;
  source: string;
}

export interface CardBinding {
  enrollmentId: number;
  cardId: string;
  userId: number;
  terminalId: number;
  at: string;
  /** Temporary cards: when the card stops working. */
  expiresAt?: string | null;
  /** MyQ "multiple cards" off: the new card replaces the user's other enrolled cards. */
  replaceOtherCards?: boolean;
}

/** A card an administrator (or a directory) assigns to a user. */
export interface NewCard {
  cardId: string;
  userId: number;
  at: string;
  source: 'admin' | 'directory';
  expiresAt?: string | null;
}

/** See `Store.updateCard`. */
export interface CardChange {
  cardId: string;
  fromUserId: number;
  toUserId: number;
  expiresAt: string | null;
  at: string;
}

/** The card writes of `Store.changeCards`, and the audit events that describe them. */
export interface CardTransaction {
  addCard(card: NewCard): Promise<void>;
  updateCard(change: CardChange): Promise<boolean>;
  /** Stores the events in this transaction: they commit with the changes they describe. */
  recordAudit(events: readonly AuditEvent[]): Promise<void>;
}

export type BindResult =
  'bound' | 'already_bound_to_user' | 'bound_to_other_user' | 'enrollment_used';

/**
 * How usernames are compared and kept unique: case and surrounding spaces do not count. Code that
 * groups usernames itself uses this too, so it agrees with the store on who is who.
 */
export function usernameKey(username: string): string {
  return username.trim().toLowerCase();
}

export class DuplicateError extends Error {
  constructor(
    readonly entity: string,
    readonly value: string,
  ) {
    super(`${entity} "${value}" already exists`);
    this.name = 'DuplicateError';
  }
}

/** SQLite reports `SQLITE_CONSTRAINT_UNIQUE`/`_PRIMARYKEY`; PostgreSQL reports SQLSTATE 23505. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    code === '23505'
  );
}

export interface Store {
  readonly credentials: CredentialRepository;
  readonly throttles: ThrottleRepository;
  readonly audit: AuditRepository;
  readonly settings: SettingsRepository;
  readonly sessions: SessionRepository;
  readonly printers: PrinterRepository;
  readonly authorizations: AuthorizationRepository;

  migrate(): Promise<void>;
  close(): Promise<void>;

  /** Throws `DuplicateError` when the username is taken (in any case). */
  createUser(user: NewUser): Promise<UserRecord>;
  /**
   * Creates the user as a member of these groups (creating missing ones), in one transaction: a
   * failure leaves neither the user nor its memberships behind, so the same request can be retried.
   */
  createUserInGroups(user: NewUser, groupNames: readonly string[]): Promise<UserRecord>;
  findUserByUsername(username: string): Promise<UserRecord | undefined>;
  findUserById(id: number): Promise<UserRecord | undefined>;
  updateUser(
    id: number,
    changes: Partial<
      Pick<UserRecord, 'fullName' | 'email' | 'passwordHash' | 'disabledAt' | 'language'>
    >,
  ): Promise<void>;
  cardsOfUser(userId: number): Promise<CardListItem[]>;
  listUsers(): Promise<UserRecord[]>;
  /** A page of users matching a search in username, full name or e-mail, by group or source. */
  searchUsers(query: UserQuery): Promise<{ users: UserRecord[]; total: number }>;
  /** Makes the user a member of exactly these groups (creating missing ones). */
  setUserGroups(userId: number, groupNames: string[]): Promise<void>;
  listGroups(): Promise<GroupRecord[]>;
  /** Gives the group exactly these roles (creating the group if needed). */
  setGroupRoles(groupName: string, roles: string[]): Promise<void>;
  /** An admin assigns a card directly; throws `DuplicateError` when the card is taken. */
  addCard(card: NewCard): Promise<void>;
  /** Removes an enrolled card; false when there was none. */
  deleteCard(cardId: string): Promise<boolean>;
  /**
   * Changes an enrolled card, only while it still belongs to `fromUserId`: false when it was
   * removed or moved meanwhile. Moving it to another user (`toUserId`) makes it an admin
   * assignment made `at` (no enrollment terminal); changing only the expiry keeps its history.
   */
  updateCard(change: CardChange): Promise<boolean>;
  /**
   * Runs `work` in one transaction: the cards it adds or changes and the audit events it records
   * are committed together when it resolves, or not at all when it throws (the error is rethrown).
   * `work` writes through `cards` only: on SQLite the store's other methods wait for the
   * transaction to end, so calling them from inside it would never finish.
   */
  changeCards<T>(work: (cards: CardTransaction) => Promise<T>): Promise<T>;
  /**
   * Replaces the user's directory-provided cards with `cardIds`; cards enrolled at a panel or by
   * an admin stay. Cards owned by someone else are skipped and returned.
   */
  syncDirectoryCards(userId: number, cardIds: string[], at: string): Promise<string[]>;
  countUsers(): Promise<number>;
  /** Enabled users without an e-mail address: all of them, or the members of these groups. */
  countEnabledUsersWithoutEmail(groups: readonly string[] | 'all'): Promise<number>;
  /** Adds the user to the group, creating the group on first use. */
  addUserToGroup(userId: number, groupName: string): Promise<void>;
  groupsOfUser(userId: number): Promise<string[]>;
  /** Grants a role to the group, creating the group on first use. */
  grantRole(groupName: string, role: string): Promise<void>;
  /** Roles from every group of the user, including the implicit ALL USERS group. */
  rolesOfUser(userId: number): Promise<string[]>;

  createTerminal(name: string, tokenHash: string, createdAt: string): Promise<TerminalRecord>;
  /** The working terminal with this token hash (a revoked one is `undefined`). */
  findTerminalByTokenHash(tokenHash: string): Promise<TerminalRecord | undefined>;
  /**
   * What the hash matches, in one lookup: a revoked terminal is told apart from an unknown token
   * (to say why it fails) without a second query. Only working terminals are cached.
   */
  lookupTerminalByTokenHash(tokenHash: string): Promise<TerminalLookup>;
  touchTerminal(id: number, at: string): Promise<void>;
  listTerminals(): Promise<TerminalRecord[]>;
  /** Every terminal, revoked ones too, by name, with its card count. */
  listTerminalsForAdmin(): Promise<TerminalAdminRecord[]>;
  findTerminalByName(name: string): Promise<TerminalAdminRecord | undefined>;
  /** Throws `DuplicateError` when another terminal has the name. */
  renameTerminal(id: number, name: string): Promise<void>;
  /**
   * Revokes the terminal: its token stops matching `findTerminalByTokenHash` at once (the hash
   * moves to `revoked_token_hash`; `lookupTerminalByTokenHash` reports it revoked). False when it
   * was already revoked.
   */
  revokeTerminal(id: number, at: string): Promise<boolean>;

  createApiToken(name: string, tokenHash: string, createdAt: string): Promise<ApiTokenRecord>;
  findApiTokenByHash(tokenHash: string): Promise<ApiTokenRecord | undefined>;

  /** The card's owner and expiry, if the card is enrolled. */
  findCard(cardId: string): Promise<CardOwnership | undefined>;
  /** The enrolled ones of these cards, by card id (a few queries for thousands of ids). */
  findCards(cardIds: readonly string[]): Promise<Map<string, CardOwnership>>;
  /** Account ids of these usernames, by `usernameKey` (a few queries for thousands of names). */
  findUserIdsByUsernames(usernames: readonly string[]): Promise<Map<string, number>>;
  listCards(query: CardQuery): Promise<CardListItem[]>;
  /** How many cards match the query's search (for paging). */
  countCards(query: Pick<CardQuery, 'search'>): Promise<number>;

  createEnrollment(enrollment: {
    tokenHash: string;
    cardId: string;
    terminalId: number;
    createdAt: string;
    expiresAt: string;
  }): Promise<void>;
  findEnrollment(tokenHash: string): Promise<EnrollmentRecord | undefined>;
  /**
   * Atomically consumes the enrollment and binds its card to the user: of two terminals racing
   * with the same token or the same card, exactly one binds.
   */
  bindCard(binding: CardBinding): Promise<BindResult>;
  deleteEnrollmentsExpiredBefore(at: string): Promise<number>;
}
