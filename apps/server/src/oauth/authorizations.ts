import { randomBytes } from 'node:crypto';
import type { Logger } from '@cardbind/shared';
import { ApiError } from '../errors.ts';
import { ALL_USERS_GROUP } from '../permissions.ts';
import { hashToken } from '../secrets.ts';
import type { SessionRecord } from '../store/sessions.ts';
import type { Store, UserRecord } from '../store/store.ts';
import { codeChallengeOf, createCodeVerifier, createState } from './pkce.ts';
import type { ConnectorProvider, OAuthConfig } from './providers.ts';
import { hasRunOut, StoredTokensKeeper } from './stored-tokens.ts';
import { TokenBox } from './token-box.ts';
import { exchangeCode, expiresAtOf, TokenEndpointError, type TokenSet } from './token-client.ts';

/**
 * `expired`: the access token ran out and cannot be renewed (no refresh token, or the provider
 * refused it): the user has to authorize again. An expired access token that a refresh token
 * renews is still `authorized`.
 */
export type AuthorizationStatus = 'authorized' | 'not_authorized' | 'expired';

/**
 * Why a connector cannot act for a user: `not_authorized` (never authorized, revoked, or the
 * connector type is not offered to the user), `reauthorization_required` (the grant ran out or
 * the provider refused it: the user authorizes again in the portal), `provider_unreachable`
 * (the token needs renewing and the provider does not answer: try again later).
 */
export class ConnectorAuthorizationError extends Error {
  constructor(
    readonly reason: 'not_authorized' | 'reauthorization_required' | 'provider_unreachable',
    readonly connectorType: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConnectorAuthorizationError';
  }
}

export interface AuthorizationView {
  type: string;
  name: string;
  status: AuthorizationStatus;
  /** Since when the user has authorized; null when never. */
  authorizedAt: string | null;
  /** When the access token runs out, if known. */
  expiresAt: string | null;
}

/**
 * How a flow ended, as the portal is told in `?result=`: no provider text is passed on (it is
 * logged), so nobody can make the portal show words of their choosing.
 */
export const CALLBACK_RESULTS = [
  'authorized',
  'denied',
  'invalid_state',
  'provider_error',
  'provider_unreachable',
  'token_rejected',
  'not_configured',
] as const;
export type CallbackResult = (typeof CALLBACK_RESULTS)[number];

export interface CallbackQuery {
  state?: string;
  code?: string;
  error?: string;
}

export const DEFAULT_STATE_TTL_MS = 10 * 60_000;

export interface AuthorizationServiceOptions {
  store: Store;
  serverKey: Buffer;
  now: () => Date;
  logger: Logger;
  config?: OAuthConfig;
  /** How long a user may take at the provider. */
  stateTtlMs?: number;
  tokenTimeoutMs?: number;
  revocationTimeoutMs?: number;
}

/**
 * Users' OAuth 2.0 authorizations for connector types: the authorization-code flow with PKCE
 * and a single-use `state` bound to the user's session (and, in a browser, to a cookie of the
 * browser that started it), tokens fetched server-side and stored sealed, never shown.
 */
export class AuthorizationService {
  private readonly box: TokenBox;
  private readonly tokens: StoredTokensKeeper;
  private readonly providers: ConnectorProvider[];
  private readonly stateTtlMs: number;

  constructor(private readonly options: AuthorizationServiceOptions) {
    // Derived once from the server key: the verifier and the stored tokens share the box.
    this.box = new TokenBox(options.serverKey);
    this.tokens = new StoredTokensKeeper({ ...options, box: this.box });
    this.providers = options.config?.providers ?? [];
    this.stateTtlMs = options.stateTtlMs ?? DEFAULT_STATE_TTL_MS;
  }

  /** The configured redirect URI, if any (else the route derives it from the request). */
  get configuredRedirectUri(): string | undefined {
    return this.options.config?.redirectUri;
  }

  /**
   * The user's authorizations per connector type offered to them. Access tokens that have run
   * out are refreshed first (in parallel), so a grant the provider withdrew shows as `expired`.
   */
  async list(user: UserRecord): Promise<AuthorizationView[]> {
    const { store, now } = this.options;
    const providers = await this.providersFor(user);
    const records = new Map(
      (await store.authorizations.listForUser(user.id)).map((r) => [r.connectorType, r]),
    );
    return Promise.all(
      providers.map(async (provider) => {
        const stored = records.get(provider.type);
        // Only what has run out: listing should not renew tokens that still work.
        const record = stored && (await this.tokens.ensureFresh(provider, stored, 0)).record;
        return {
          type: provider.type,
          name: provider.name,
          status: !record ? 'not_authorized' : hasRunOut(record, now()) ? 'expired' : 'authorized',
          authorizedAt: record?.authorizedAt ?? null,
          expiresAt: record?.expiresAt ?? null,
        };
      }),
    );
  }

  /**
   * A usable access token of the user for the connector type, for connectors that act on the
   * user's behalf (never for the API): refreshed first when it has run out or is about to.
   * Throws `ConnectorAuthorizationError` saying why there is none.
   */
  async getAccessToken(userId: number, connectorType: string): Promise<string> {
    const { store, now } = this.options;
    const user = await store.findUserById(userId);
    const provider =
      user && user.disabledAt === null
        ? (await this.providersFor(user)).find((p) => p.type === connectorType)
        : undefined;
    const stored = provider && (await store.authorizations.find(userId, connectorType));
    const notAuthorized = new ConnectorAuthorizationError(
      'not_authorized',
      connectorType,
      `User ${userId} has not authorized "${connectorType}" (or it is not offered to them): they authorize it in the portal under My profile → Authorizations.`,
    );
    if (!provider || !stored) throw notAuthorized;
    const { freshness, record } = await this.tokens.ensureFresh(provider, stored);
    // Revoked while the token was being refreshed.
    if (freshness === 'gone') throw notAuthorized;
    const reauthorize = new ConnectorAuthorizationError(
      'reauthorization_required',
      connectorType,
      `The authorization of user ${userId} for "${connectorType}" has run out: they authorize it again in the portal under My profile → Authorizations.`,
    );
    if (freshness === 'reauthorization_required' || hasRunOut(record, now())) throw reauthorize;
    if (
      freshness === 'provider_unreachable' &&
      record.expiresAt !== null &&
      record.expiresAt <= now().toISOString()
    ) {
      throw new ConnectorAuthorizationError(
        'provider_unreachable',
        connectorType,
        `The access token of user ${userId} for "${connectorType}" needs renewing and the provider does not answer: try again later.`,
      );
    }
    try {
      return this.tokens.open(record).accessToken;
    } catch {
      // Sealed under another server key: only a new authorization helps.
      throw reauthorize;
    }
  }

  /**
   * Starts a flow: the provider's authorization URL to send the browser to. With
   * `bindToBrowser`, also a secret the caller sets as a cookie for the callback to match.
   */
  async start(
    user: UserRecord,
    session: SessionRecord,
    type: string,
    redirectUri: string,
    bindToBrowser: boolean,
  ): Promise<{ redirectUrl: string; binding: string | null }> {
    const { store, now } = this.options;
    const provider = await this.requireProvider(user, type);
    const state = createState();
    const verifier = createCodeVerifier();
    const binding = bindToBrowser ? randomBytes(32).toString('base64url') : null;
    const stateHash = hashToken(state);
    const at = now();
    await store.authorizations.deleteStatesExpiredBefore(at.toISOString());
    await store.authorizations.createState({
      stateHash,
      userId: user.id,
      sessionId: session.id,
      connectorType: provider.type,
      sealedVerifier: this.box.seal(verifier, `verifier:${stateHash}`),
      redirectUri,
      bindingHash: binding === null ? null : hashToken(binding),
      createdAt: at.toISOString(),
      expiresAt: new Date(at.getTime() + this.stateTtlMs).toISOString(),
    });
    const url = new URL(provider.authorizeUrl);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('client_id', provider.clientId);
    url.searchParams.set('redirect_uri', redirectUri);
    if (provider.scopes.length > 0) url.searchParams.set('scope', provider.scopes.join(' '));
    url.searchParams.set('state', state);
    url.searchParams.set('code_challenge', codeChallengeOf(verifier));
    url.searchParams.set('code_challenge_method', 'S256');
    return { redirectUrl: url.toString(), binding };
  }

  /** Finishes a flow at the callback; never throws for what the provider or browser sent. */
  async complete(
    query: CallbackQuery,
    browserBinding: string | undefined,
  ): Promise<{ type: string | null; result: CallbackResult }> {
    const { store, now, logger } = this.options;
    const at = now().toISOString();
    const flow = query.state
      ? await store.authorizations.takeState(hashToken(query.state))
      : undefined;
    if (!flow || flow.expiresAt <= at) {
      logger.warn('oauth callback with an unknown or expired state', { expired: Boolean(flow) });
      return { type: flow?.connectorType ?? null, result: 'invalid_state' };
    }
    const type = flow.connectorType;
    if (
      flow.bindingHash !== null &&
      (!browserBinding || hashToken(browserBinding) !== flow.bindingHash)
    ) {
      logger.warn('oauth callback from another browser than the one that started the flow', {
        type,
      });
      return { type, result: 'invalid_state' };
    }
    const session = await store.sessions.find(flow.sessionId);
    const user = await store.findUserById(flow.userId);
    if (
      !session ||
      session.revokedAt !== null ||
      session.expiresAt <= at ||
      !user ||
      user.disabledAt !== null
    ) {
      return { type, result: 'invalid_state' };
    }
    const provider = this.providers.find((p) => p.type === type);
    if (!provider) return { type, result: 'not_configured' };
    if (query.error !== undefined || !query.code) {
      // Provider text is logged, never shown: it is outside our control.
      logger.info('oauth authorization not granted', { type, error: query.error ?? 'no code' });
      await this.audit(user, type, 'denied', query.error ?? 'no_code');
      return { type, result: query.error === 'access_denied' ? 'denied' : 'provider_error' };
    }
    let codeVerifier: string;
    try {
      codeVerifier = this.box.open(flow.sealedVerifier, `verifier:${flow.stateHash}`);
    } catch {
      // Sealed under another server key (changed while the user was at the provider).
      logger.warn('oauth flow state does not open (was the server key changed?)', { type });
      return { type, result: 'invalid_state' };
    }
    let tokens: TokenSet;
    try {
      tokens = await exchangeCode(
        provider,
        { code: query.code, redirectUri: flow.redirectUri, codeVerifier },
        this.options.tokenTimeoutMs === undefined ? {} : { timeoutMs: this.options.tokenTimeoutMs },
      );
    } catch (error) {
      if (!(error instanceof TokenEndpointError)) throw error;
      logger.warn('oauth token exchange failed', { type, reason: error.message });
      await this.audit(user, type, 'failure', error.providerError ?? error.kind);
      return {
        type,
        result: error.kind === 'unreachable' ? 'provider_unreachable' : 'token_rejected',
      };
    }
    await store.authorizations.save({
      userId: user.id,
      connectorType: type,
      sealedTokens: this.tokens.seal(user.id, type, {
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken,
      }),
      scope: tokens.scope,
      authorizedAt: at,
      expiresAt: expiresAtOf(tokens, now()),
      refreshable: tokens.refreshToken !== null,
    });
    await this.audit(user, type, 'success', null);
    return { type, result: 'authorized' };
  }

  /**
   * Forgets the user's authorization, then asks the provider to invalidate its tokens when it
   * has a revocation endpoint. The local revoke holds whatever the provider answers.
   */
  async revoke(
    user: UserRecord,
    type: string,
  ): Promise<{ atProvider: 'done' | 'failed' | 'not_supported' }> {
    const { store } = this.options;
    const record = await store.authorizations.find(user.id, type);
    if (!record || !(await store.authorizations.delete(user.id, type))) {
      throw new ApiError(
        404,
        'not_found',
        `You have no authorization for "${type}". Reload the list.`,
      );
    }
    const provider = this.providers.find((p) => p.type === type);
    return {
      atProvider: provider ? await this.tokens.revokeAtProvider(provider, record) : 'not_supported',
    };
  }

  private async providersFor(user: UserRecord): Promise<ConnectorProvider[]> {
    if (this.providers.every((p) => p.groups === undefined)) return this.providers;
    const groups = new Set([ALL_USERS_GROUP, ...(await this.options.store.groupsOfUser(user.id))]);
    return this.providers.filter(
      (p) => p.groups === undefined || p.groups.some((g) => groups.has(g)),
    );
  }

  private async requireProvider(user: UserRecord, type: string): Promise<ConnectorProvider> {
    const provider = (await this.providersFor(user)).find((p) => p.type === type);
    if (!provider) {
      throw new ApiError(
        404,
        'not_found',
        `There is no connector type "${type}" for you. Reload the list or ask an administrator.`,
      );
    }
    return provider;
  }

  private audit(
    user: UserRecord,
    type: string,
    outcome: 'success' | 'failure' | 'denied',
    detail: string | null,
  ): Promise<void> {
    return this.options.store.audit.record({
      at: this.options.now().toISOString(),
      action: 'authorization.grant',
      outcome,
      actor: `user:${user.username}`,
      subject: `connector:${type}`,
      terminal: null,
      card: null,
      detail: detail === null ? null : detail.slice(0, 100),
    });
  }
}
