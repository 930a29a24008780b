import type { Kysely, Selectable } from 'kysely';
import type { Database, OAuthAuthorizationsTable, OAuthStatesTable } from './schema.ts';

/** An OAuth 2.0 authorization-code flow that a user started and the provider has not answered. */
export interface OAuthStateRecord {
  stateHash: string;
  userId: number;
  sessionId: number;
  connectorType: string;
  /** The PKCE code verifier, sealed with the server key. */
  sealedVerifier: string;
  redirectUri: string;
  bindingHash: string | null;
  createdAt: string;
  expiresAt: string;
}

/** A user's standing authorization for a connector type. Tokens stay sealed here. */
export interface OAuthAuthorizationRecord {
  userId: number;
  connectorType: string;
  sealedTokens: string;
  scope: string | null;
  authorizedAt: string;
  /** When the access token runs out; null when the provider did not say. */
  expiresAt: string | null;
  /** A refresh token was issued, so an expired access token can be renewed. */
  refreshable: boolean;
}

export class AuthorizationRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async createState(state: OAuthStateRecord): Promise<void> {
    await this.db
      .insertInto('oauth_states')
      .values({
        state_hash: state.stateHash,
        user_id: state.userId,
        session_id: state.sessionId,
        connector_type: state.connectorType,
        sealed_verifier: state.sealedVerifier,
        redirect_uri: state.redirectUri,
        binding_hash: state.bindingHash,
        created_at: state.createdAt,
        expires_at: state.expiresAt,
      })
      .execute();
  }

  /**
   * Removes the state and returns it, whatever its age: a state works once, and of two
   * callbacks racing with the same one, only one gets it.
   */
  async takeState(stateHash: string): Promise<OAuthStateRecord | undefined> {
    const row = await this.db
      .deleteFrom('oauth_states')
      .where('state_hash', '=', stateHash)
      .returningAll()
      .executeTakeFirst();
    return row && toState(row);
  }

  async deleteStatesExpiredBefore(at: string): Promise<number> {
    const result = await this.db
      .deleteFrom('oauth_states')
      .where('expires_at', '<=', at)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Stores (or replaces) the user's authorization for the connector type. */
  async save(authorization: OAuthAuthorizationRecord): Promise<void> {
    const values = {
      sealed_tokens: authorization.sealedTokens,
      scope: authorization.scope,
      authorized_at: authorization.authorizedAt,
      expires_at: authorization.expiresAt,
      refreshable: authorization.refreshable ? 1 : 0,
      refresh_lease_until: null,
    };
    await this.db
      .insertInto('oauth_authorizations')
      .values({
        user_id: authorization.userId,
        connector_type: authorization.connectorType,
        ...values,
      })
      .onConflict((oc) => oc.columns(['user_id', 'connector_type']).doUpdateSet(values))
      .execute();
  }

  /**
   * Replaces the tokens of an authorization only if they are still `expectedSealedTokens`:
   * false when the row is gone (revoked meanwhile) or another refresh got there first, so a
   * late refresh never brings back a revoked authorization or overwrites newer tokens.
   */
  async replaceTokens(
    userId: number,
    connectorType: string,
    expectedSealedTokens: string,
    changes: Pick<OAuthAuthorizationRecord, 'sealedTokens' | 'scope' | 'expiresAt' | 'refreshable'>,
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('oauth_authorizations')
      .set({
        sealed_tokens: changes.sealedTokens,
        scope: changes.scope,
        expires_at: changes.expiresAt,
        refreshable: changes.refreshable ? 1 : 0,
        refresh_lease_until: null,
      })
      .where('user_id', '=', userId)
      .where('connector_type', '=', connectorType)
      .where('sealed_tokens', '=', expectedSealedTokens)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /**
   * Takes the right to refresh these tokens until `until`, across every server instance on the
   * database: true only for the one caller that finds them unchanged and no lease running at
   * `now`. `replaceTokens` ends the lease; so does `releaseRefreshLease`, or its expiry.
   */
  async leaseRefresh(
    userId: number,
    connectorType: string,
    expectedSealedTokens: string,
    now: string,
    until: string,
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('oauth_authorizations')
      .set({ refresh_lease_until: until })
      .where('user_id', '=', userId)
      .where('connector_type', '=', connectorType)
      .where('sealed_tokens', '=', expectedSealedTokens)
      .where((eb) =>
        eb.or([eb('refresh_lease_until', 'is', null), eb('refresh_lease_until', '<=', now)]),
      )
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Whether some instance holds the right to refresh this authorization at `now`. */
  async isRefreshLeased(userId: number, connectorType: string, now: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('oauth_authorizations')
      .select('refresh_lease_until')
      .where('user_id', '=', userId)
      .where('connector_type', '=', connectorType)
      .executeTakeFirst();
    return row?.refresh_lease_until != null && row.refresh_lease_until > now;
  }

  /** Ends a lease `leaseRefresh` gave until `until` (a refresh that failed for now). */
  async releaseRefreshLease(userId: number, connectorType: string, until: string): Promise<void> {
    await this.db
      .updateTable('oauth_authorizations')
      .set({ refresh_lease_until: null })
      .where('user_id', '=', userId)
      .where('connector_type', '=', connectorType)
      .where('refresh_lease_until', '=', until)
      .execute();
  }

  async listForUser(userId: number): Promise<OAuthAuthorizationRecord[]> {
    const rows = await this.db
      .selectFrom('oauth_authorizations')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('connector_type')
      .execute();
    return rows.map(toAuthorization);
  }

  async find(userId: number, connectorType: string): Promise<OAuthAuthorizationRecord | undefined> {
    const row = await this.db
      .selectFrom('oauth_authorizations')
      .selectAll()
      .where('user_id', '=', userId)
      .where('connector_type', '=', connectorType)
      .executeTakeFirst();
    return row && toAuthorization(row);
  }

  async delete(userId: number, connectorType: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('oauth_authorizations')
      .where('user_id', '=', userId)
      .where('connector_type', '=', connectorType)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}

function toState(row: Selectable<OAuthStatesTable>): OAuthStateRecord {
  return {
    stateHash: row.state_hash,
    userId: row.user_id,
    sessionId: row.session_id,
    connectorType: row.connector_type,
    sealedVerifier: row.sealed_verifier,
    redirectUri: row.redirect_uri,
    bindingHash: row.binding_hash,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}

function toAuthorization(row: Selectable<OAuthAuthorizationsTable>): OAuthAuthorizationRecord {
  return {
    userId: row.user_id,
    connectorType: row.connector_type,
    sealedTokens: row.sealed_tokens,
    scope: row.scope,
    authorizedAt: row.authorized_at,
    expiresAt: row.expires_at,
    refreshable: row.refreshable === 1,
  };
}
