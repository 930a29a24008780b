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
}

export interface TerminalsTable {
  id: Generated<number>;
  name: string;
  token_hash: string;
  created_at: string;
  last_seen_at: string | null;
}

export interface CardsTable {
  id: Generated<number>;
  card_id: string;
  user_id: number;
  terminal_id: number | null;
  created_at: string;
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

export interface Database {
  users: UsersTable;
  terminals: TerminalsTable;
  cards: CardsTable;
  enrollments: EnrollmentsTable;
  api_tokens: ApiTokensTable;
}
