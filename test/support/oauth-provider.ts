import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

/**
 * A small OAuth 2.0 authorization server on 127.0.0.1 for tests: `/authorize` approves at once
 * (or denies, when told to) and redirects back with a code; `/token` checks the code, the PKCE
 * verifier (S256), the redirect URI and the client's credentials before it issues tokens, and
 * renews them for a live refresh token (rotating it: the old one stops working); `/revoke`
 * (RFC 7009) invalidates an access or refresh token.
 */
export interface TestOAuthProvider {
  url: string;
  authorizeUrl: string;
  tokenUrl: string;
  revocationUrl: string;
  clientId: string;
  clientSecret: string;
  /** `deny`: /authorize answers error=access_denied, as when a user clicks "Deny". */
  mode: 'approve' | 'deny';
  /** An outage: /token and /revoke answer 503 with a plain-text page, as a failing proxy does. */
  down: boolean;
  /**
   * Seconds the access tokens it issues from now on last (`expires_in`); starts as the
   * `expiresIn` option (default 3600). A test may change it between requests.
   */
  expiresIn: number;
  /** Token requests (both grants, also those refused while `down`) and how each was answered. */
  tokenRequests: Array<{ grant: string; status: number; error?: string }>;
  /** Revocation requests and how each was answered. */
  revocationRequests: Array<{ status: number; hint: string | null }>;
  /** Access tokens handed out. */
  issued: string[];
  /** Refresh tokens handed out. */
  issuedRefreshTokens: string[];
  /** Tokens invalidated through /revoke. */
  revoked: string[];
  /** Whether an access token is still good (issued, not revoked). */
  isLive(accessToken: string): boolean;
  /** Withdraws every grant, as when a user disconnects Cardbind at the provider's site. */
  forgetGrants(): void;
  close(): Promise<void>;
}

interface PendingCode {
  clientId: string;
  redirectUri: string;
  challenge: string;
  used: boolean;
}

export async function startOAuthProvider(
  options: { clientId?: string; clientSecret?: string; expiresIn?: number } = {},
): Promise<TestOAuthProvider> {
  const clientId = options.clientId ?? 'cardbind-test';
  const clientSecret = options.clientSecret ?? 'test secret: do not log';
  const codes = new Map<string, PendingCode>();
  const liveAccessTokens = new Set<string>();
  const liveRefreshTokens = new Set<string>();
  const provider = {
    mode: 'approve',
    down: false,
    expiresIn: options.expiresIn ?? 3600,
    tokenRequests: [],
    revocationRequests: [],
    issued: [],
    issuedRefreshTokens: [],
    revoked: [],
    isLive: (accessToken: string) => liveAccessTokens.has(accessToken),
    forgetGrants: () => {
      liveAccessTokens.clear();
      liveRefreshTokens.clear();
    },
  } as unknown as TestOAuthProvider;

  /** The client's id and secret, by HTTP Basic or in the form (RFC 6749 §2.3.1). */
  const authenticated = (request: IncomingMessage, form: URLSearchParams) => {
    const basic = /^Basic (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const [id, secret] = basic
      ? Buffer.from(basic, 'base64').toString().split(':').map(decodeURIComponent)
      : [form.get('client_id'), form.get('client_secret')];
    return id === clientId && secret === clientSecret;
  };

  const issueTokens = () => {
    const accessToken = `at-${randomBytes(16).toString('hex')}`;
    const refreshToken = `rt-${randomBytes(16).toString('hex')}`;
    provider.issued.push(accessToken);
    provider.issuedRefreshTokens.push(refreshToken);
    liveAccessTokens.add(accessToken);
    liveRefreshTokens.add(refreshToken);
    return {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: provider.expiresIn,
      refresh_token: refreshToken,
      scope: 'files.write',
    };
  };

  const authorize = (url: URL, response: ServerResponse) => {
    const q = url.searchParams;
    const redirectUri = q.get('redirect_uri');
    if (!redirectUri || q.get('client_id') !== clientId) {
      response.writeHead(400, { 'content-type': 'text/plain' }).end('unknown client or redirect');
      return;
    }
    const back = new URL(redirectUri);
    const state = q.get('state');
    if (state !== null) back.searchParams.set('state', state);
    if (provider.mode === 'deny') {
      back.searchParams.set('error', 'access_denied');
      back.searchParams.set('error_description', '<b>User said no</b>');
    } else if (q.get('response_type') !== 'code' || q.get('code_challenge_method') !== 'S256') {
      back.searchParams.set('error', 'invalid_request');
    } else {
      const code = randomBytes(16).toString('hex');
      codes.set(code, {
        clientId,
        redirectUri,
        challenge: q.get('code_challenge') ?? '',
        used: false,
      });
      back.searchParams.set('code', code);
    }
    response.writeHead(302, { location: back.toString() }).end();
  };

  const token = (request: IncomingMessage, body: string, response: ServerResponse) => {
    const form = new URLSearchParams(body);
    const grant = form.get('grant_type') ?? '';
    const answer = (status: number, json: object) => {
      provider.tokenRequests.push({
        grant,
        status,
        ...('error' in json ? { error: String(json.error) } : {}),
      });
      response
        .writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
        .end(JSON.stringify(json));
    };
    if (!authenticated(request, form)) return answer(401, { error: 'invalid_client' });
    if (grant === 'refresh_token') {
      const refreshToken = form.get('refresh_token') ?? '';
      if (!liveRefreshTokens.delete(refreshToken)) return answer(400, { error: 'invalid_grant' });
      return answer(200, issueTokens());
    }
    if (grant !== 'authorization_code') return answer(400, { error: 'unsupported_grant_type' });
    const pending = codes.get(form.get('code') ?? '');
    const verifier = form.get('code_verifier') ?? '';
    if (
      !pending ||
      pending.used ||
      pending.redirectUri !== form.get('redirect_uri') ||
      createHash('sha256').update(verifier).digest('base64url') !== pending.challenge
    ) {
      return answer(400, { error: 'invalid_grant' });
    }
    pending.used = true;
    return answer(200, issueTokens());
  };

  const revoke = (request: IncomingMessage, body: string, response: ServerResponse) => {
    const form = new URLSearchParams(body);
    const answer = (status: number, json?: object) => {
      provider.revocationRequests.push({ status, hint: form.get('token_type_hint') });
      response
        .writeHead(status, { 'content-type': 'application/json' })
        .end(json === undefined ? '' : JSON.stringify(json));
    };
    if (!authenticated(request, form)) return answer(401, { error: 'invalid_client' });
    const token = form.get('token');
    if (!token) return answer(400, { error: 'invalid_request' });
    // RFC 7009 §2.2: 200 also for a token that is unknown or already invalid.
    if (liveAccessTokens.delete(token) || liveRefreshTokens.delete(token)) {
      provider.revoked.push(token);
    }
    return answer(200);
  };

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (request.method === 'GET' && url.pathname === '/authorize') return authorize(url, response);
    const handler = { '/token': token, '/revoke': revoke }[url.pathname];
    if (request.method === 'POST' && handler) {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        if (!provider.down) return handler(request, body, response);
        if (url.pathname === '/revoke') {
          provider.revocationRequests.push({ status: 503, hint: null });
        } else {
          const grant = new URLSearchParams(body).get('grant_type') ?? '';
          provider.tokenRequests.push({ grant, status: 503 });
        }
        response.writeHead(503, { 'content-type': 'text/plain' }).end('Service Unavailable');
      });
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('no address');
  const url = `http://127.0.0.1:${address.port}`;
  return Object.assign(provider, {
    url,
    authorizeUrl: `${url}/authorize`,
    tokenUrl: `${url}/token`,
    revocationUrl: `${url}/revoke`,
    clientId,
    clientSecret,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

/** The part of a Fastify app the helpers below need. */
interface Injectable {
  inject(options: {
    method?: 'GET' | 'POST';
    url: string;
    headers?: Record<string, string>;
  }): Promise<{ statusCode: number; body: string; headers: Record<string, unknown> }>;
}

/**
 * What a person does in the portal: starts authorizing `type` with their API access token,
 * approves at the provider (a real HTTP round trip), and comes back to the server's callback.
 * Throws unless the server says `result=authorized`.
 */
export async function authorizeConnector(
  app: Injectable,
  accessToken: string,
  type: string,
): Promise<void> {
  const started = await app.inject({
    method: 'POST',
    url: `/api/v1/me/authorizations/${type}/start`,
    headers: { authorization: `Bearer ${accessToken}` },
  });
  if (started.statusCode !== 200) throw new Error(`start: ${started.statusCode} ${started.body}`);
  const { redirectUrl } = JSON.parse(started.body) as { redirectUrl: string };
  const approved = await fetch(redirectUrl, { redirect: 'manual' });
  const location = approved.headers.get('location');
  if (location === null) {
    throw new Error(
      `the provider answered the authorize request with ${approved.status} and no Location header: ${await approved.text()}`,
    );
  }
  const back = new URL(location);
  const callback = await app.inject({ url: back.pathname + back.search });
  const result = new URL(String(callback.headers.location), 'http://x').searchParams.get('result');
  if (result !== 'authorized') throw new Error(`authorization ended with result=${result}`);
}

/**
 * A connector type whose provider is this test provider, as the providers file of
 * `--oauth-providers` describes it: client credentials, endpoints (revocation included), no
 * scopes, HTTP Basic client authentication; `extra` changes any of it.
 */
export function connectorFor<T extends object = object>(
  provider: TestOAuthProvider,
  type: string,
  name: string,
  extra?: T,
) {
  return {
    type,
    name,
    clientId: provider.clientId,
    clientSecret: provider.clientSecret,
    authorizeUrl: provider.authorizeUrl,
    tokenUrl: provider.tokenUrl,
    revocationUrl: provider.revocationUrl,
    scopes: [] as string[],
    clientAuthentication: 'basic' as 'basic' | 'post',
    ...extra,
  };
}
