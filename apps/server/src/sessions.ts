import type { EnrollmentMethod } from '@cardbind/shared';
import { z } from 'zod';
import type { Authenticator } from './authenticator.ts';
import { ApiError } from './errors.ts';
import { generateToken, hashToken } from './secrets.ts';
import type { SessionRecord } from './store/sessions.ts';
import type { Store, UserRecord } from './store/store.ts';

export const ACCESS_TOKEN_TTL_MS = 15 * 60_000;
export const SESSION_TTL_MS = 30 * 24 * 3_600_000;

/** Token requests, shaped after OAuth 2.0 (RFC 6749 §4.3 and §6) with our OTP and PIN grants. */
export const TokenRequest = z.discriminatedUnion('grant_type', [
  z.strictObject({
    grant_type: z.literal('password'),
    client_id: z.string().min(1).max(100),
    username: z.string().trim().min(1).max(128),
    password: z.string().min(1).max(1024),
  }),
  z.strictObject({
    grant_type: z.literal('otp'),
    client_id: z.string().min(1).max(100),
    username: z.string().trim().min(1).max(128),
    otp: z.string().min(1).max(64),
  }),
  z.strictObject({
    grant_type: z.literal('pin'),
    client_id: z.string().min(1).max(100),
    pin: z.string().regex(/^[0-9]{4,16}$/, 'pin must be 4 to 16 digits'),
  }),
  z.strictObject({
    grant_type: z.literal('refresh_token'),
    client_id: z.string().min(1).max(100),
    refresh_token: z.string().min(1).max(256),
  }),
]);
export type TokenRequest = z.infer<typeof TokenRequest>;

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
}

export interface ClientInfo {
  address: string;
  userAgent: string | null;
}

/** Sessions of the portal and of clients (desktop, mobile): who is logged in with which tokens. */
export class SessionService {
  constructor(
    private readonly store: Store,
    private readonly authenticator: Authenticator,
    private readonly now: () => Date,
  ) {}

  async grant(request: TokenRequest, client: ClientInfo): Promise<TokenResponse> {
    if (request.grant_type === 'refresh_token') return this.refresh(request, client);
    const origin = {
      kind: 'client',
      clientId: request.client_id,
      address: client.address,
    } as const;
    const grantMethod: Record<typeof request.grant_type, EnrollmentMethod> = {
      password: 'password',
      otp: 'otp',
      pin: 'pin',
    };
    const user =
      request.grant_type === 'pin'
        ? await this.authenticator.verifyPinAlone(origin, request.pin)
        : await this.authenticator.verify(
            origin,
            request.username,
            grantMethod[request.grant_type],
            request.grant_type === 'password' ? request.password : request.otp,
            { action: `login.${grantMethod[request.grant_type]}` },
          );
    return this.open(user, request.client_id, client);
  }

  private async open(
    user: UserRecord,
    clientId: string,
    client: ClientInfo,
  ): Promise<TokenResponse> {
    const now = this.now();
    const tokens = this.newTokens(now);
    await this.store.sessions.create({
      userId: user.id,
      clientId,
      userAgent: client.userAgent?.slice(0, 500) ?? null,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + SESSION_TTL_MS).toISOString(),
      accessHash: hashToken(tokens.access_token),
      accessExpiresAt: tokens.accessExpiresAt,
      refreshHash: hashToken(tokens.refresh_token),
    });
    return tokens.response;
  }

  private async refresh(
    request: Extract<TokenRequest, { grant_type: 'refresh_token' }>,
    client: ClientInfo,
  ): Promise<TokenResponse> {
    const now = this.now();
    const tokens = this.newTokens(now);
    const result = await this.store.sessions.rotate(
      hashToken(request.refresh_token),
      {
        accessHash: hashToken(tokens.access_token),
        accessExpiresAt: tokens.accessExpiresAt,
        refreshHash: hashToken(tokens.refresh_token),
      },
      now.toISOString(),
    );
    if (result.kind === 'rotated' && result.session.clientId === request.client_id) {
      return tokens.response;
    }
    if (result.kind !== 'unknown') {
      // A refresh token used twice, or by another client: someone copied it. End the session.
      const sessionId = result.kind === 'rotated' ? result.session.id : result.sessionId;
      await this.store.sessions.revoke(sessionId, now.toISOString());
      await this.store.audit.record({
        at: now.toISOString(),
        action: 'session.refresh',
        outcome: 'denied',
        actor: `client:${request.client_id}`,
        subject: null,
        terminal: null,
        card: null,
        detail: `refresh token reuse, session ${sessionId} revoked, from ${client.address}`,
      });
    }
    throw new ApiError(
      401,
      'unauthorized',
      'This refresh token is not valid (expired, revoked or already used). Log in again.',
    );
  }

  /** The user and session behind a current access token. */
  async authenticate(
    accessToken: string,
  ): Promise<{ user: UserRecord; session: SessionRecord } | undefined> {
    const session = await this.store.sessions.findByAccessHash(
      hashToken(accessToken),
      this.now().toISOString(),
    );
    if (!session) return undefined;
    const user = await this.store.findUserById(session.userId);
    if (!user || user.disabledAt !== null) return undefined;
    return { user, session };
  }

  private newTokens(now: Date) {
    const access_token = generateToken('session');
    const refresh_token = generateToken('refresh');
    return {
      access_token,
      refresh_token,
      accessExpiresAt: new Date(now.getTime() + ACCESS_TOKEN_TTL_MS).toISOString(),
      response: {
        access_token,
        token_type: 'Bearer' as const,
        expires_in: ACCESS_TOKEN_TTL_MS / 1000,
        refresh_token,
      },
    };
  }
}
