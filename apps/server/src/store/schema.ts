import type { Generated } from 'kysely';

/** Row types as stored. Times are ISO-8601 UTC strings, so they sort the same in every backend. */
export interface UsersTable {
  id: Generated<number>;
  username: string;
  /** Lower-cased username: logins are case-insensitive, as in directory services. */
  username_key: string;
  full_name: string;
  email: string | null;
  password_hash: string | null;
  created_at: string;
  /** `local`, or the directory the account comes from (its name, e-mail and password are read-only here). */
  source: Generated<string>;
  disabled_at: string | null;
  /**
   * The language the user chose for the portal and e-mails (BCP 47 primary tag: en, de, cs, fr,
   * es); null until they choose one: the portal then follows the browser, e-mails the site.
   */
  language: string | null;
}

export interface TerminalsTable {
  id: Generated<number>;
  name: string;
  token_hash: string;
  created_at: string;
  last_seen_at: string | null;
  /** Set when an admin revoked the terminal; its `token_hash` is then a placeholder. */
  revoked_at: string | null;
  /** The hash of a revoked terminal's token, to tell its holder it was revoked. */
  revoked_token_hash: string | null;
}

export interface CardsTable {
  id: Generated<number>;
  card_id: string;
  user_id: number;
  terminal_id: number | null;
  created_at: string;
  /** Temporary cards stop working at this time. */
  expires_at: string | null;
  /** `panel` (enrolled at a terminal), `admin`, or `directory` (synchronized, read-only). */
  source: Generated<string>;
}

export interface EnrollmentsTable {
  id: Generated<number>;
  token_hash: string;
  card_id: string;
  terminal_id: number;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface ApiTokensTable {
  id: Generated<number>;
  name: string;
  token_hash: string;
  role: string;
  created_at: string;
}

export interface GroupsTable {
  id: Generated<number>;
  name: string;
  builtin: Generated<number>;
  created_at: string;
}

export interface GroupMembersTable {
  group_id: number;
  user_id: number;
}

export interface GroupRolesTable {
  group_id: number;
  role: string;
}

export interface OtpsTable {
  id: Generated<number>;
  user_id: number;
  secret_hash: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface PinsTable {
  user_id: number;
  /** Keyed hash (HMAC) of the PIN: unique, searchable, useless without the server's key. */
  lookup_hash: string;
  length: number;
  created_at: string;
  expires_at: string | null;
}

export interface ThrottlesTable {
  key: string;
  failures: number;
  last_failure_at: string;
  blocked_until: string | null;
}

export interface AuditEventsTable {
  id: Generated<number>;
  at: string;
  action: string;
  outcome: string;
  actor: string | null;
  subject: string | null;
  terminal: string | null;
  card: string | null;
  detail: string | null;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface SessionsTable {
  id: Generated<number>;
  user_id: number;
  client_id: string;
  user_agent: string | null;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
  access_hash: string;
  access_expires_at: string;
  refresh_hash: string;
  previous_refresh_hash: string | null;
}

export interface PrinterContainersTable {
  id: Generated<number>;
  name: string;
  parent_id: number | null;
  created_at: string;
}

export interface PrintQueuesTable {
  id: Generated<number>;
  name: string;
  container_id: number | null;
  available_by_default: Generated<number>;
  visible_to_all: Generated<number>;
  created_at: string;
}

export interface PrintQueueGroupsTable {
  queue_id: number;
  group_id: number;
}

export interface FavouriteQueuesTable {
  user_id: number;
  queue_id: number;
}

export interface OAuthStatesTable {
  /** SHA-256 of the `state` parameter: the database alone cannot complete a flow. */
  state_hash: string;
  user_id: number;
  session_id: number;
  connector_type: string;
  sealed_verifier: string;
  redirect_uri: string;
  /** Hash of the browser-binding cookie set when the flow started (cookie sessions only). */
  binding_hash: string | null;
  created_at: string;
  expires_at: string;
}

export interface OAuthAuthorizationsTable {
  user_id: number;
  connector_type: string;
  sealed_tokens: string;
  scope: string | null;
  authorized_at: string;
  expires_at: string | null;
  refreshable: Generated<number>;
  /** Set while one server instance refreshes the tokens; null otherwise. */
  refresh_lease_until: string | null;
}

export interface Database {
  users: UsersTable;
  terminals: TerminalsTable;
  cards: CardsTable;
  enrollments: EnrollmentsTable;
  api_tokens: ApiTokensTable;
  groups: GroupsTable;
  group_members: GroupMembersTable;
  group_roles: GroupRolesTable;
  otps: OtpsTable;
  pins: PinsTable;
  throttles: ThrottlesTable;
  audit_events: AuditEventsTable;
  settings: SettingsTable;
  sessions: SessionsTable;
  printer_containers: PrinterContainersTable;
  print_queues: PrintQueuesTable;
  print_queue_groups: PrintQueueGroupsTable;
  favourite_queues: FavouriteQueuesTable;
  oauth_states: OAuthStatesTable;
  oauth_authorizations: OAuthAuthorizationsTable;
}
