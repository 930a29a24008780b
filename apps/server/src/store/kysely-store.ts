import { ALL_USERS_GROUP } from '../permissions.ts';
import { Migrator, sql, type Kysely, type Selectable, type SelectQueryBuilder } from 'kysely';
import { migrationProvider, type SqlDialectName } from './migrations.ts';
import type { Database, UsersTable } from './schema.ts';
import type { Logger } from '@cardbind/shared';
import { AuditRepository, insertAuditEvents, type AuditBatching } from './audit.ts';
import { AuthorizationRepository } from './authorizations.ts';
import { CredentialRepository } from './credentials.ts';
import { PrinterRepository } from './printers.ts';
import { SessionRepository } from './sessions.ts';
import { SettingsRepository } from './settings.ts';
import { ThrottleRepository } from './throttles.ts';
import type { SwipeQueries } from './swipe-path.ts';
import { TerminalCache } from './terminal-cache.ts';
import {
  DuplicateError,
  isUniqueViolation,
  usernameKey,
  type ApiTokenRecord,
  type BindResult,
  type CardBinding,
  type CardChange,
  type CardTransaction,
  type CardOwnership,
  type CardQuery,
  type CardListItem,
  type EnrollmentRecord,
  type GroupRecord,
  type NewCard,
  type NewUser,
  type Store,
  type TerminalAdminRecord,
  type TerminalLookup,
  type TerminalRecord,
  type UserQuery,
  type UserRecord,
} from './store.ts';

/** Values per `IN (...)` query when looking up many cards or usernames at once. */
const LOOKUP_CHUNK = 500;

export interface KyselyStoreOptions {
  logger?: Logger;
  /** Batching of appended audit events (the card swipe's). */
  audit?: AuditBatching;
  /** How long a terminal found by token hash is reused; 0 reads the database every time. */
  terminalCacheMs?: number;
  /** Runs after pending writes are done, before the database closes (e.g. a final checkpoint). */
  beforeClose?: () => Promise<void>;
}

/**
 * The `Store` on any SQL database Kysely speaks; the dialect only matters to migrations. The
 * queries of a card swipe are the exception: each backend prepares them (`SwipeQueries`).
 */
export class KyselyStore implements Store {
  readonly credentials: CredentialRepository;
  readonly throttles: ThrottleRepository;
  readonly audit: AuditRepository;
  readonly settings: SettingsRepository;
  readonly sessions: SessionRepository;
  readonly printers: PrinterRepository;
  readonly authorizations: AuthorizationRepository;

  private readonly terminalCache: TerminalCache;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: SqlDialectName,
    private readonly swipe: SwipeQueries,
    private readonly options: KyselyStoreOptions = {},
  ) {
    this.credentials = new CredentialRepository(db);
    this.throttles = new ThrottleRepository(db);
    this.audit = new AuditRepository(db, (events) => swipe.insertAuditEvents(events), {
      ...(options.logger ? { logger: options.logger } : {}),
      ...options.audit,
    });
    this.terminalCache = new TerminalCache(options.terminalCacheMs);
    this.settings = new SettingsRepository(db);
    this.sessions = new SessionRepository(db);
    this.printers = new PrinterRepository(db);
    this.authorizations = new AuthorizationRepository(db);
  }

  async migrate(): Promise<void> {
    const migrator = new Migrator({ db: this.db, provider: migrationProvider(this.dialect) });
    const { error, results } = await migrator.migrateToLatest();
    if (error) {
      const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
      throw new Error(`Database migration ${failed} failed: ${String(error)}`, { cause: error });
    }
  }

  async close(): Promise<void> {
    try {
      await this.audit.close();
    } finally {
      try {
        await this.options.beforeClose?.();
      } finally {
        await this.db.destroy();
      }
    }
  }

  /**
   * Forgets terminals cached by token hash. Every method here that changes a terminal calls it;
   * call it after changing the terminals table any other way.
   */
  forgetCachedTerminals(): void {
    this.terminalCache.forget();
  }

  createUser(user: NewUser): Promise<UserRecord> {
    return insertUser(this.db, user);
  }

  createUserInGroups(user: NewUser, groupNames: readonly string[]): Promise<UserRecord> {
    return this.db.transaction().execute(async (trx) => {
      const created = await insertUser(trx, user);
      const ids: number[] = [];
      for (const name of new Set(groupNames)) ids.push(await ensureGroupWith(trx, name));
      await insertMemberships(trx, created.id, ids);
      return created;
    });
  }

  async findUserByUsername(username: string): Promise<UserRecord | undefined> {
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('username_key', '=', usernameKey(username))
      .executeTakeFirst();
    return row && toUser(row);
  }

  async findUserById(id: number): Promise<UserRecord | undefined> {
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toUser(row);
  }

  async updateUser(
    id: number,
    changes: Partial<
      Pick<UserRecord, 'fullName' | 'email' | 'passwordHash' | 'disabledAt' | 'language'>
    >,
  ): Promise<void> {
    const set = {
      ...(changes.fullName === undefined ? {} : { full_name: changes.fullName }),
      ...(changes.email === undefined ? {} : { email: changes.email }),
      ...(changes.passwordHash === undefined ? {} : { password_hash: changes.passwordHash }),
      ...(changes.disabledAt === undefined ? {} : { disabled_at: changes.disabledAt }),
      ...(changes.language === undefined ? {} : { language: changes.language }),
    };
    if (Object.keys(set).length === 0) return;
    await this.db.updateTable('users').set(set).where('id', '=', id).execute();
  }

  /** Cards with their owner and enrolling terminal, as every card listing shows them. */
  private cardRows() {
    return this.db
      .selectFrom('cards')
      .innerJoin('users', 'users.id', 'cards.user_id')
      .leftJoin('terminals', 'terminals.id', 'cards.terminal_id')
      .select([
        'cards.card_id',
        'users.username',
        'users.full_name',
        'cards.created_at',
        'cards.expires_at',
        'cards.source',
        'terminals.name as terminal',
      ]);
  }

  async cardsOfUser(userId: number): Promise<CardListItem[]> {
    const rows = await this.cardRows()
      .where('cards.user_id', '=', userId)
      .orderBy('cards.created_at', 'desc')
      .execute();
    return rows.map(toCardItem);
  }

  async listUsers(): Promise<UserRecord[]> {
    const rows = await this.db.selectFrom('users').selectAll().orderBy('username_key').execute();
    return rows.map(toUser);
  }

  async searchUsers(query: UserQuery): Promise<{ users: UserRecord[]; total: number }> {
    let q = this.db.selectFrom('users');
    if (query.search) {
      const pattern = likePattern(query.search);
      q = q.where((eb) =>
        eb.or([
          eb('username_key', 'like', pattern),
          eb(eb.fn('lower', ['full_name']), 'like', pattern),
          eb(eb.fn('lower', ['email']), 'like', pattern),
        ]),
      );
    }
    if (query.source) q = q.where('source', '=', query.source);
    if (query.group) {
      const group = query.group;
      q = q.where('id', 'in', (eb) =>
        eb
          .selectFrom('group_members')
          .innerJoin('groups', 'groups.id', 'group_members.group_id')
          .select('group_members.user_id')
          .where('groups.name', '=', group),
      );
    }
    const [rows, count] = await Promise.all([
      q.selectAll().orderBy('username_key').limit(query.limit).offset(query.offset).execute(),
      q
        .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
        .executeTakeFirstOrThrow(),
    ]);
    return { users: rows.map(toUser), total: Number(count.n) };
  }

  async setUserGroups(userId: number, groupNames: string[]): Promise<void> {
    const ids: number[] = [];
    for (const name of new Set(groupNames)) ids.push(await this.ensureGroup(name));
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('group_members').where('user_id', '=', userId).execute();
      await insertMemberships(trx, userId, ids);
    });
  }

  async listGroups(): Promise<GroupRecord[]> {
    const groups = await this.db
      .selectFrom('groups')
      .select((eb) => [
        'groups.id',
        'groups.name',
        'groups.builtin',
        eb
          .selectFrom('group_members')
          .select((m) => m.fn.countAll<number | string | bigint>().as('n'))
          .whereRef('group_members.group_id', '=', 'groups.id')
          .as('members'),
      ])
      .orderBy('groups.name')
      .execute();
    const roles = await this.db.selectFrom('group_roles').select(['group_id', 'role']).execute();
    return groups.map((g) => ({
      name: g.name,
      builtin: g.builtin === 1,
      roles: roles
        .filter((r) => r.group_id === g.id)
        .map((r) => r.role)
        .sort(),
      members: Number(g.members ?? 0),
    }));
  }

  async setGroupRoles(groupName: string, roles: string[]): Promise<void> {
    const groupId = await this.ensureGroup(groupName);
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('group_roles').where('group_id', '=', groupId).execute();
      const unique = [...new Set(roles)];
      if (unique.length > 0) {
        await trx
          .insertInto('group_roles')
          .values(unique.map((role) => ({ group_id: groupId, role })))
          .execute();
      }
    });
  }

  addCard(card: NewCard): Promise<void> {
    return addCardWith(this.db, card);
  }

  async deleteCard(cardId: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('cards')
      .where('card_id', '=', cardId)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  updateCard(change: CardChange): Promise<boolean> {
    return updateCardWith(this.db, change);
  }

  async changeCards<T>(work: (cards: CardTransaction) => Promise<T>): Promise<T> {
    // Swipe events buffered so far go first, to keep the log in order (a failure is logged).
    await this.audit.flush().catch(() => {});
    return this.db.transaction().execute((trx) =>
      work({
        addCard: (card) => addCardWith(trx, card),
        updateCard: (change) => updateCardWith(trx, change),
        recordAudit: (events) => insertAuditEvents(trx, events),
      }),
    );
  }

  async syncDirectoryCards(userId: number, cardIds: string[], at: string): Promise<string[]> {
    return this.db.transaction().execute(async (trx) => {
      const wanted = [...new Set(cardIds)];
      let stale = trx
        .deleteFrom('cards')
        .where('user_id', '=', userId)
        .where('source', '=', 'directory');
      if (wanted.length > 0) stale = stale.where('card_id', 'not in', wanted);
      await stale.execute();
      const skipped: string[] = [];
      for (const cardId of wanted) {
        const result = await trx
          .insertInto('cards')
          .values({
            card_id: cardId,
            user_id: userId,
            terminal_id: null,
            created_at: at,
            expires_at: null,
            source: 'directory',
          })
          .onConflict((oc) => oc.column('card_id').doNothing())
          .executeTakeFirst();
        if (Number(result.numInsertedOrUpdatedRows ?? 0n) === 0) {
          const owner = await trx
            .selectFrom('cards')
            .select('user_id')
            .where('card_id', '=', cardId)
            .executeTakeFirstOrThrow();
          if (owner.user_id !== userId) skipped.push(cardId);
        }
      }
      return skipped;
    });
  }

  async countUsers(): Promise<number> {
    const row = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async countEnabledUsersWithoutEmail(groups: readonly string[] | 'all'): Promise<number> {
    if (groups !== 'all' && groups.length === 0) return 0;
    let query = this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
      .where('email', 'is', null)
      .where('disabled_at', 'is', null);
    if (groups !== 'all') {
      query = query.where(
        'id',
        'in',
        this.db
          .selectFrom('group_members')
          .innerJoin('groups', 'groups.id', 'group_members.group_id')
          .select('group_members.user_id')
          .where('groups.name', 'in', [...groups]),
      );
    }
    return Number((await query.executeTakeFirstOrThrow()).n);
  }

  async addUserToGroup(userId: number, groupName: string): Promise<void> {
    const groupId = await this.ensureGroup(groupName);
    await this.db
      .insertInto('group_members')
      .values({ group_id: groupId, user_id: userId })
      .onConflict((oc) => oc.columns(['group_id', 'user_id']).doNothing())
      .execute();
  }

  async grantRole(groupName: string, role: string): Promise<void> {
    const groupId = await this.ensureGroup(groupName);
    await this.db
      .insertInto('group_roles')
      .values({ group_id: groupId, role })
      .onConflict((oc) => oc.columns(['group_id', 'role']).doNothing())
      .execute();
  }

  private ensureGroup(name: string): Promise<number> {
    return ensureGroupWith(this.db, name);
  }

  async groupsOfUser(userId: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('group_members')
      .innerJoin('groups', 'groups.id', 'group_members.group_id')
      .select('groups.name')
      .where('group_members.user_id', '=', userId)
      .orderBy('groups.name')
      .execute();
    return rows.map((r) => r.name);
  }

  async rolesOfUser(userId: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('group_roles')
      .innerJoin('groups', 'groups.id', 'group_roles.group_id')
      .select('group_roles.role')
      .distinct()
      .where((eb) =>
        eb.or([
          eb('groups.name', '=', ALL_USERS_GROUP),
          eb(
            'group_roles.group_id',
            'in',
            eb.selectFrom('group_members').select('group_id').where('user_id', '=', userId),
          ),
        ]),
      )
      .orderBy('group_roles.role')
      .execute();
    return rows.map((r) => r.role);
  }

  async createTerminal(
    name: string,
    tokenHash: string,
    createdAt: string,
  ): Promise<TerminalRecord> {
    try {
      const row = await this.db
        .insertInto('terminals')
        .values({ name, token_hash: tokenHash, created_at: createdAt })
        .returning(['id', 'name', 'created_at', 'last_seen_at'])
        .executeTakeFirstOrThrow();
      return {
        id: row.id,
        name: row.name,
        createdAt: row.created_at,
        lastSeenAt: row.last_seen_at,
      };
    } catch (error) {
      if (isUniqueViolation(error)) throw new DuplicateError('terminal', name);
      throw error;
    }
  }

  async findTerminalByTokenHash(tokenHash: string): Promise<TerminalRecord | undefined> {
    const found = await this.lookupTerminalByTokenHash(tokenHash);
    return found.status === 'active' ? found.terminal : undefined;
  }

  async lookupTerminalByTokenHash(tokenHash: string): Promise<TerminalLookup> {
    // The cache keeps working terminals only; a revoked one is seen by the load that read it.
    let revoked: TerminalLookup | undefined;
    const terminal = await this.terminalCache.find(tokenHash, async (hash) => {
      const row = await this.swipe.terminalByTokenHash(hash);
      if (!row) return undefined;
      if (row.revoked_at !== null) {
        revoked = { status: 'revoked', name: row.name, revokedAt: row.revoked_at };
        return undefined;
      }
      return {
        id: row.id,
        name: row.name,
        createdAt: row.created_at,
        lastSeenAt: row.last_seen_at,
      };
    });
    if (terminal) return { status: 'active', terminal };
    return revoked ?? { status: 'unknown' };
  }

  async touchTerminal(id: number, at: string): Promise<void> {
    await this.db.updateTable('terminals').set({ last_seen_at: at }).where('id', '=', id).execute();
    this.terminalCache.touched(id, at);
  }

  async listTerminals(): Promise<TerminalRecord[]> {
    const rows = await this.db
      .selectFrom('terminals')
      .select(['id', 'name', 'created_at', 'last_seen_at'])
      .orderBy('name')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      createdAt: r.created_at,
      lastSeenAt: r.last_seen_at,
    }));
  }

  private terminalsForAdmin() {
    return this.db.selectFrom('terminals').select((eb) => [
      'terminals.id',
      'terminals.name',
      'terminals.created_at',
      'terminals.last_seen_at',
      'terminals.revoked_at',
      eb
        .selectFrom('cards')
        .select((c) => c.fn.countAll<number | string | bigint>().as('n'))
        .whereRef('cards.terminal_id', '=', 'terminals.id')
        .as('cards'),
    ]);
  }

  async listTerminalsForAdmin(): Promise<TerminalAdminRecord[]> {
    const rows = await this.terminalsForAdmin().orderBy('terminals.name').execute();
    return rows.map(terminalAdminRecord);
  }

  async findTerminalByName(name: string): Promise<TerminalAdminRecord | undefined> {
    const row = await this.terminalsForAdmin()
      .where('terminals.name', '=', name)
      .executeTakeFirst();
    return row && terminalAdminRecord(row);
  }

  async renameTerminal(id: number, name: string): Promise<void> {
    try {
      await this.db.updateTable('terminals').set({ name }).where('id', '=', id).execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw new DuplicateError('terminal', name);
      throw error;
    } finally {
      this.terminalCache.forget();
    }
  }

  async revokeTerminal(id: number, at: string): Promise<boolean> {
    // One statement: the token stops matching in the same instant the terminal is marked.
    // Token hashes are base64url, so `revoked:<id>` never equals one (and stays unique).
    const result = await this.db
      .updateTable('terminals')
      .set((eb) => ({
        revoked_at: at,
        revoked_token_hash: eb.ref('token_hash'),
        token_hash: `revoked:${id}`,
      }))
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    // After the write: a swipe that read the row before cannot cache it any more.
    this.terminalCache.forget();
    return Number(result.numUpdatedRows) > 0;
  }

  async createApiToken(
    name: string,
    tokenHash: string,
    createdAt: string,
  ): Promise<ApiTokenRecord> {
    try {
      const row = await this.db
        .insertInto('api_tokens')
        .values({ name, token_hash: tokenHash, role: 'admin', created_at: createdAt })
        .returning(['id', 'name', 'created_at'])
        .executeTakeFirstOrThrow();
      return { id: row.id, name: row.name, role: 'admin', createdAt: row.created_at };
    } catch (error) {
      if (isUniqueViolation(error)) throw new DuplicateError('API token', name);
      throw error;
    }
  }

  async findApiTokenByHash(tokenHash: string): Promise<ApiTokenRecord | undefined> {
    const row = await this.db
      .selectFrom('api_tokens')
      .select(['id', 'name', 'role', 'created_at'])
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    if (!row || row.role !== 'admin') return undefined;
    return { id: row.id, name: row.name, role: 'admin', createdAt: row.created_at };
  }

  async findCard(cardId: string): Promise<CardOwnership | undefined> {
    const row = await this.swipe.cardWithOwner(cardId);
    return row && { owner: toUser(row), expiresAt: row.card_expires_at };
  }

  async findCards(cardIds: readonly string[]): Promise<Map<string, CardOwnership>> {
    const found = new Map<string, CardOwnership>();
    const unique = [...new Set(cardIds)];
    // Chunked: both databases cap the bound values of one statement (SQLite at 32766).
    for (let start = 0; start < unique.length; start += LOOKUP_CHUNK) {
      const rows = await this.db
        .selectFrom('cards')
        .innerJoin('users', 'users.id', 'cards.user_id')
        .selectAll('users')
        .select(['cards.card_id', 'cards.expires_at as card_expires_at'])
        .where('cards.card_id', 'in', unique.slice(start, start + LOOKUP_CHUNK))
        .execute();
      for (const row of rows) {
        found.set(row.card_id, { owner: toUser(row), expiresAt: row.card_expires_at });
      }
    }
    return found;
  }

  async findUserIdsByUsernames(usernames: readonly string[]): Promise<Map<string, number>> {
    const found = new Map<string, number>();
    const keys = [...new Set(usernames.map(usernameKey))];
    for (let start = 0; start < keys.length; start += LOOKUP_CHUNK) {
      const rows = await this.db
        .selectFrom('users')
        .select(['id', 'username_key'])
        .where('username_key', 'in', keys.slice(start, start + LOOKUP_CHUNK))
        .execute();
      for (const row of rows) found.set(row.username_key, row.id);
    }
    return found;
  }

  async listCards(query: CardQuery): Promise<CardListItem[]> {
    const column = {
      createdAt: 'cards.created_at',
      cardId: 'cards.card_id',
      username: 'users.username_key',
    } as const;
    const order = query.order ?? 'desc';
    const rows = await this.searchCards(this.cardRows(), query.search)
      .orderBy(column[query.sort ?? 'createdAt'], order)
      .orderBy('cards.id', order)
      .limit(query.limit)
      .offset(query.offset)
      .execute();
    return rows.map(toCardItem);
  }

  async countCards(query: Pick<CardQuery, 'search'>): Promise<number> {
    const base = this.db
      .selectFrom('cards')
      .innerJoin('users', 'users.id', 'cards.user_id')
      .leftJoin('terminals', 'terminals.id', 'cards.terminal_id');
    const row = await this.searchCards(base, query.search)
      .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Card id, username or terminal name containing the search text, ignoring case. */
  private searchCards<
    Q extends SelectQueryBuilder<Database, 'cards' | 'users' | 'terminals', object>,
  >(query: Q, search: string | undefined): Q {
    if (!search) return query;
    const pattern = likePattern(search);
    return query.where((eb) =>
      eb.or([
        eb(eb.fn('lower', ['cards.card_id']), 'like', pattern),
        eb('users.username_key', 'like', pattern),
        eb(eb.fn('lower', ['terminals.name']), 'like', pattern),
      ]),
    ) as Q;
  }

  async createEnrollment(enrollment: {
    tokenHash: string;
    cardId: string;
    terminalId: number;
    createdAt: string;
    expiresAt: string;
  }): Promise<void> {
    await this.db
      .insertInto('enrollments')
      .values({
        token_hash: enrollment.tokenHash,
        card_id: enrollment.cardId,
        terminal_id: enrollment.terminalId,
        created_at: enrollment.createdAt,
        expires_at: enrollment.expiresAt,
      })
      .execute();
  }

  async findEnrollment(tokenHash: string): Promise<EnrollmentRecord | undefined> {
    const row = await this.db
      .selectFrom('enrollments')
      .select(['id', 'card_id', 'terminal_id', 'expires_at', 'used_at'])
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    return (
      row && {
        id: row.id,
        cardId: row.card_id,
        terminalId: row.terminal_id,
        expiresAt: row.expires_at,
        usedAt: row.used_at,
      }
    );
  }

  bindCard(binding: CardBinding): Promise<BindResult> {
    return this.db.transaction().execute(async (trx) => {
      const consumed = await trx
        .updateTable('enrollments')
        .set({ used_at: binding.at })
        .where('id', '=', binding.enrollmentId)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      if (consumed.numUpdatedRows === 0n) return 'enrollment_used';
      const card = {
        user_id: binding.userId,
        terminal_id: binding.terminalId,
        created_at: binding.at,
        expires_at: binding.expiresAt ?? null,
        source: 'panel',
      };
      // An upsert instead of catching the unique violation: a failed statement would abort the
      // whole transaction on PostgreSQL. Concurrent inserters wait for each other; an expired
      // temporary card is taken over, a live one is left alone.
      const written = await trx
        .insertInto('cards')
        .values({ card_id: binding.cardId, ...card })
        .onConflict((oc) =>
          oc
            .column('card_id')
            .doUpdateSet(card)
            .where('cards.expires_at', 'is not', null)
            .where('cards.expires_at', '<=', binding.at),
        )
        .executeTakeFirst();
      if (Number(written.numInsertedOrUpdatedRows ?? 0n) === 1) {
        if (binding.replaceOtherCards) {
          await trx
            .deleteFrom('cards')
            .where('user_id', '=', binding.userId)
            .where('card_id', '!=', binding.cardId)
            .where('source', '!=', 'directory')
            .execute();
        }
        return 'bound';
      }
      const owner = await trx
        .selectFrom('cards')
        .select('user_id')
        .where('card_id', '=', binding.cardId)
        .executeTakeFirstOrThrow();
      return owner.user_id === binding.userId ? 'already_bound_to_user' : 'bound_to_other_user';
    });
  }

  async deleteEnrollmentsExpiredBefore(at: string): Promise<number> {
    const result = await this.db
      .deleteFrom('enrollments')
      .where('expires_at', '<', at)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

/** Inserts the user with the connection or transaction given; `DuplicateError` if it is taken. */
async function insertUser(db: Kysely<Database>, user: NewUser): Promise<UserRecord> {
  try {
    const row = await db
      .insertInto('users')
      .values({
        username: user.username,
        username_key: usernameKey(user.username),
        full_name: user.fullName,
        email: user.email,
        password_hash: user.passwordHash,
        created_at: user.createdAt,
        source: user.source ?? 'local',
        language: user.language ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toUser(row);
  } catch (error) {
    if (isUniqueViolation(error)) throw new DuplicateError('user', user.username);
    throw error;
  }
}

async function insertMemberships(
  db: Kysely<Database>,
  userId: number,
  groupIds: readonly number[],
): Promise<void> {
  if (groupIds.length === 0) return;
  await db
    .insertInto('group_members')
    .values(groupIds.map((group_id) => ({ group_id, user_id: userId })))
    .execute();
}

/** The group's id, creating the group on first use. */
async function ensureGroupWith(db: Kysely<Database>, name: string): Promise<number> {
  await db
    .insertInto('groups')
    .values({ name, created_at: new Date().toISOString() })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const group = await db
    .selectFrom('groups')
    .select('id')
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
  return group.id;
}

/** Adds the card with the connection or transaction given; `DuplicateError` if it is taken. */
async function addCardWith(db: Kysely<Database>, card: NewCard): Promise<void> {
  // No unique violation to catch: on PostgreSQL it would abort an enclosing transaction.
  const result = await db
    .insertInto('cards')
    .values({
      card_id: card.cardId,
      user_id: card.userId,
      terminal_id: null,
      created_at: card.at,
      expires_at: card.expiresAt ?? null,
      source: card.source,
    })
    .onConflict((oc) => oc.column('card_id').doNothing())
    .executeTakeFirst();
  if (Number(result.numInsertedOrUpdatedRows ?? 0n) === 0) {
    throw new DuplicateError('card', card.cardId);
  }
}

async function updateCardWith(db: Kysely<Database>, change: CardChange): Promise<boolean> {
  const moved =
    change.toUserId === change.fromUserId
      ? {}
      : { user_id: change.toUserId, terminal_id: null, created_at: change.at, source: 'admin' };
  // The owner check is in the same statement: a card moved or removed since it was read stays.
  const result = await db
    .updateTable('cards')
    .set({ expires_at: change.expiresAt, ...moved })
    .where('card_id', '=', change.cardId)
    .where('user_id', '=', change.fromUserId)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

function toCardItem(row: {
  card_id: string;
  username: string;
  full_name: string;
  created_at: string;
  expires_at: string | null;
  source: string;
  terminal: string | null;
}): CardListItem {
  return {
    cardId: row.card_id,
    username: row.username,
    fullName: row.full_name,
    createdAt: row.created_at,
    terminal: row.terminal,
    expiresAt: row.expires_at,
    source: row.source,
  };
}

/** A LIKE pattern matching `text` anywhere, case-insensitively, with its own % and _ taken literally. */
function likePattern(text: string) {
  const escaped = text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
  return sql<string>`${`%${escaped}%`} ESCAPE '\\'`;
}

function toUser(row: Selectable<UsersTable>): UserRecord {
  return {
    id: row.id,
    username: row.username,
    fullName: row.full_name,
    email: row.email,
    passwordHash: row.password_hash,
    createdAt: row.created_at,
    source: row.source,
    disabledAt: row.disabled_at,
    language: row.language,
  };
}

function terminalAdminRecord(row: {
  id: number;
  name: string;
  created_at: string;
  last_seen_at: string | null;
  revoked_at: string | null;
  cards: number | string | bigint | null;
}): TerminalAdminRecord {
  return {
    id: row.id,
    name: row.name,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    revokedAt: row.revoked_at,
    cards: Number(row.cards ?? 0),
  };
}
