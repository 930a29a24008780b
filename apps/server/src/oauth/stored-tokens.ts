import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@cardbind/shared';
import type { OAuthAuthorizationRecord } from '../store/authorizations.ts';
import type { Store } from '../store/store.ts';
import type { ConnectorProvider } from './providers.ts';
import type { TokenBox } from './token-box.ts';
import {
  expiresAtOf,
  refreshTokens,
  revokeToken,
  TokenEndpointError,
  type TokenSet,
} from './token-client.ts';

/** What is sealed in `oauth_authorizations.sealed_tokens`. */
export interface StoredTokens {
  accessToken: string;
  refreshToken: string | null;
}

/**
 * Refresh this long before the access token runs out, so a connector that gets it does not
 * see it expire on its way to the provider.
 */
export const REFRESH_MARGIN_MS = 60_000;

/** How often an instance that waits for another's refresh looks at the stored row again. */
const LEASE_POLL_MS = 50;

/**
 * How an authorization stands after `ensureFresh`: `fresh` (usable; possibly just refreshed),
 * `reauthorization_required` (the provider refused the refresh token, or it cannot be read: the
 * user has to authorize again), `provider_unreachable` (the refresh failed for now; retrying
 * later may work), `gone` (revoked meanwhile).
 */
export type Freshness = 'fresh' | 'reauthorization_required' | 'provider_unreachable' | 'gone';

export interface StoredTokensOptions {
  store: Store;
  /** Seals the tokens; shared with the authorization flow, so its key is derived once. */
  box: TokenBox;
  now: () => Date;
  logger: Logger;
  /** How long a token request may take; a refresh lease lasts a little longer than that. */
  tokenTimeoutMs?: number;
  /** The user waits for revocation at the provider: keep it short. */
  revocationTimeoutMs?: number;
}

/**
 * Users' provider tokens at rest: sealed in the database, refreshed on demand, revoked at the
 * provider on request. Tokens never reach a log line or an error message.
 *
 * A rotating refresh token works once: presented twice, the second answer is `invalid_grant`
 * (and a provider with reuse detection withdraws the whole grant). So a refresh runs once at a
 * time per user and connector type: within this process callers share one promise, and across
 * server instances on the database the one that takes the row's refresh lease refreshes while
 * the others wait for the tokens it stores.
 */
export class StoredTokensKeeper {
  private readonly box: TokenBox;
  private readonly refreshing = new Map<string, Promise<RefreshResult>>();

  constructor(private readonly options: StoredTokensOptions) {
    this.box = options.box;
  }

  seal(userId: number, type: string, tokens: StoredTokens): string {
    return this.box.seal(JSON.stringify(tokens), tokenContext(userId, type));
  }

  /** Throws when the value does not open (altered, or sealed under another server key). */
  open(record: OAuthAuthorizationRecord): StoredTokens {
    return JSON.parse(
      this.box.open(record.sealedTokens, tokenContext(record.userId, record.connectorType)),
    ) as StoredTokens;
  }

  /** The access token has run out (or is about to) and a refresh token could renew it. */
  isDue(record: OAuthAuthorizationRecord, marginMs = REFRESH_MARGIN_MS): boolean {
    return (
      record.refreshable &&
      record.expiresAt !== null &&
      Date.parse(record.expiresAt) - this.options.now().getTime() <= marginMs
    );
  }

  /**
   * Refreshes the access token when it is due. Never throws for what the provider answers:
   * the result says how the authorization stands, with the record as it is now stored.
   */
  async ensureFresh(
    provider: ConnectorProvider,
    record: OAuthAuthorizationRecord,
    marginMs = REFRESH_MARGIN_MS,
  ): Promise<RefreshResult> {
    if (!this.isDue(record, marginMs)) return { freshness: 'fresh', record };
    const key = tokenContext(record.userId, record.connectorType);
    const running = this.refreshing.get(key);
    if (running) return running;
    const refresh = this.refresh(provider, record).finally(() => this.refreshing.delete(key));
    this.refreshing.set(key, refresh);
    return refresh;
  }

  /**
   * Asks the provider to invalidate the tokens (RFC 7009), refresh token first (which, per
   * §2.1, should take its access tokens with it), then the access token. Best effort: failures
   * are logged with the connector type and user, never with a token.
   */
  async revokeAtProvider(
    provider: ConnectorProvider,
    record: OAuthAuthorizationRecord,
  ): Promise<'done' | 'failed' | 'not_supported'> {
    const { revocationUrl } = provider;
    if (revocationUrl === undefined) return 'not_supported';
    const context = { type: provider.type, userId: record.userId };
    let tokens: StoredTokens;
    try {
      tokens = this.open(record);
    } catch (error) {
      this.options.logger.warn('cannot revoke oauth tokens at the provider: they do not open', {
        ...context,
        reason: (error as Error).message,
      });
      return 'failed';
    }
    const timeoutMs = this.options.revocationTimeoutMs ?? 5_000;
    const attempts: Array<[string, 'refresh_token' | 'access_token']> = [
      ...(tokens.refreshToken === null
        ? []
        : [[tokens.refreshToken, 'refresh_token'] as [string, 'refresh_token']]),
      [tokens.accessToken, 'access_token'],
    ];
    let outcome: 'done' | 'failed' = 'done';
    for (const [token, hint] of attempts) {
      try {
        await revokeToken({ ...provider, revocationUrl }, token, hint, { timeoutMs });
      } catch (error) {
        if (!(error instanceof TokenEndpointError)) throw error;
        this.options.logger.warn('oauth token revocation at the provider failed', {
          ...context,
          tokenTypeHint: hint,
          reason: error.message,
        });
        outcome = 'failed';
      }
    }
    return outcome;
  }

  private async refresh(
    provider: ConnectorProvider,
    record: OAuthAuthorizationRecord,
  ): Promise<RefreshResult> {
    const { logger, store } = this.options;
    const context = { type: record.connectorType, userId: record.userId };
    let tokens: StoredTokens;
    try {
      tokens = this.open(record);
    } catch (error) {
      logger.error('stored oauth tokens do not open (was the server key changed?)', {
        ...context,
        reason: (error as Error).message,
      });
      return this.markNeedsReauthorization(record, record.sealedTokens);
    }
    if (tokens.refreshToken === null) return this.markNeedsReauthorization(record, null);
    const lease = await this.takeRefreshLease(record);
    if (!('until' in lease)) return lease;
    let granted: TokenSet;
    try {
      granted = await refreshTokens(
        provider,
        tokens.refreshToken,
        this.options.tokenTimeoutMs === undefined ? {} : { timeoutMs: this.options.tokenTimeoutMs },
      );
    } catch (error) {
      const releaseLease = () =>
        store.authorizations.releaseRefreshLease(record.userId, record.connectorType, lease.until);
      if (!(error instanceof TokenEndpointError)) {
        await releaseLease();
        throw error;
      }
      if (error.providerError === 'invalid_grant') {
        logger.info('oauth refresh token refused: the user has to authorize again', context);
        // The lease stays until the mark (replaceTokens) ends it: released earlier, another
        // instance could take it and present the refused refresh token again.
        return this.markNeedsReauthorization(
          record,
          this.seal(record.userId, record.connectorType, { ...tokens, refreshToken: null }),
        );
      }
      // Down, slow, or misconfigured (invalid_client): not the user's doing, so keep the grant.
      await releaseLease();
      logger.warn('oauth token refresh failed', { ...context, reason: error.message });
      return { freshness: 'provider_unreachable', record };
    }
    const refreshToken = granted.refreshToken ?? tokens.refreshToken;
    const changes = {
      sealedTokens: this.seal(record.userId, record.connectorType, {
        accessToken: granted.accessToken,
        refreshToken,
      }),
      scope: granted.scope ?? record.scope,
      expiresAt: expiresAtOf(granted, this.options.now()),
      refreshable: true,
    };
    const stored = await store.authorizations
      .replaceTokens(record.userId, record.connectorType, record.sealedTokens, changes)
      .catch((error: unknown) => {
        // The provider has rotated the refresh token already: the grant is likely lost.
        logger.error(
          'oauth tokens refreshed but not stored: the user may have to authorize again',
          {
            ...context,
            error,
          },
        );
        throw error;
      });
    if (stored) {
      logger.debug('oauth access token refreshed', context);
      return { freshness: 'fresh', record: { ...record, ...changes } };
    }
    return this.current(record);
  }

  /**
   * Keeps the row (the portal shows it as expired, with "Authorize again") but without a
   * refresh token and with its expiry now, so nothing tries the refused grant again.
   */
  private async markNeedsReauthorization(
    record: OAuthAuthorizationRecord,
    sealedTokens: string | null,
  ): Promise<RefreshResult> {
    const now = this.options.now().toISOString();
    const changes = {
      sealedTokens: sealedTokens ?? record.sealedTokens,
      scope: record.scope,
      expiresAt: record.expiresAt !== null && record.expiresAt < now ? record.expiresAt : now,
      refreshable: false,
    };
    if (
      await this.options.store.authorizations.replaceTokens(
        record.userId,
        record.connectorType,
        record.sealedTokens,
        changes,
      )
    ) {
      return { freshness: 'reauthorization_required', record: { ...record, ...changes } };
    }
    return this.current(record);
  }

  /**
   * The right to present this refresh token, across server instances: `{ until }` once this
   * caller holds the row's lease. While another instance holds it, waits (in real time, polling)
   * until that one stores new tokens — then the result is what it stored — or the lease ends
   * with the tokens unchanged (the holder gave it up because the refresh failed for now, or let
   * it run out): then the result is `provider_unreachable`, without asking the provider again,
   * so N instances waiting on a provider that is down cost one token timeout, not N. A holder
   * that does none of these within a lease's time is treated the same way.
   */
  private async takeRefreshLease(
    record: OAuthAuthorizationRecord,
  ): Promise<{ until: string } | RefreshResult> {
    const { store, now, logger } = this.options;
    const { userId, connectorType, sealedTokens } = record;
    const leaseMs = (this.options.tokenTimeoutMs ?? 10_000) + 5_000;
    const at = now();
    const until = new Date(at.getTime() + leaseMs).toISOString();
    if (
      await store.authorizations.leaseRefresh(
        userId,
        connectorType,
        sealedTokens,
        at.toISOString(),
        until,
      )
    ) {
      return { until };
    }
    const deadline = performance.now() + leaseMs;
    for (;;) {
      const stored = await store.authorizations.find(userId, connectorType);
      if (!stored || stored.sealedTokens !== sealedTokens) return this.current(record);
      if (
        !(await store.authorizations.isRefreshLeased(userId, connectorType, now().toISOString()))
      ) {
        return { freshness: 'provider_unreachable', record: stored };
      }
      if (performance.now() >= deadline) {
        logger.warn('oauth token refresh by another server instance did not finish', {
          type: connectorType,
          userId,
        });
        return { freshness: 'provider_unreachable', record: stored };
      }
      await sleep(LEASE_POLL_MS);
    }
  }

  /** Someone else changed the row while we talked to the provider: go by what is stored now. */
  private async current(record: OAuthAuthorizationRecord): Promise<RefreshResult> {
    const stored = await this.options.store.authorizations.find(
      record.userId,
      record.connectorType,
    );
    if (!stored) return { freshness: 'gone', record: undefined };
    return {
      freshness: hasRunOut(stored, this.options.now()) ? 'reauthorization_required' : 'fresh',
      record: stored,
    };
  }
}

export type RefreshResult =
  | { freshness: Exclude<Freshness, 'gone'>; record: OAuthAuthorizationRecord }
  | { freshness: 'gone'; record: undefined };

/** The access token has expired and nothing can renew it: the user has to authorize again. */
export function hasRunOut(record: OAuthAuthorizationRecord, now: Date): boolean {
  return !record.refreshable && record.expiresAt !== null && record.expiresAt <= now.toISOString();
}

function tokenContext(userId: number, type: string): string {
  return `tokens:${userId}:${type}`;
}
