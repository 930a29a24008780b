import { createLogger } from '@cardbind/shared';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConnectorAuthorizationError } from '../oauth/authorizations.ts';
import {
  authorizeConnector,
  connectorFor,
  startOAuthProvider,
  type TestOAuthProvider,
} from '../../../../test/support/oauth-provider.ts';
import { freePort } from '../../../../test/support/processes.ts';
import { ADA, errorOf, useApiFixture } from './api-fixture.ts';

let provider: TestOAuthProvider;
let downTokenUrl: string;
beforeAll(async () => {
  provider = await startOAuthProvider();
  // Nothing listens here: the provider is "down" for the token exchange.
  downTokenUrl = `http://127.0.0.1:${await freePort()}/token`;
});
afterAll(async () => {
  await provider?.close();
});

interface Authorization {
  type: string;
  name: string;
  status: string;
  authorizedAt: string | null;
  expiresAt: string | null;
}

describe('authorizations API (OAuth 2.0 code flow against a local provider)', () => {
  /** What the server logged, as JSON lines: checked for context, and for tokens that must not be there. */
  let logLines: string[] = [];
  beforeEach(() => {
    logLines = [];
    provider.down = false;
  });
  const f = useApiFixture({
    logger: () => createLogger({ level: 'debug', write: (line) => logLines.push(line) }),
    oauth: () => ({
      providers: [
        connectorFor(provider, 'cloud-drive', 'Cloud drive', {
          scopes: ['files.write', 'offline_access'],
        }),
        {
          type: 'broken-drive',
          name: 'Broken drive',
          clientId: provider.clientId,
          clientSecret: provider.clientSecret,
          authorizeUrl: provider.authorizeUrl,
          tokenUrl: downTokenUrl,
          scopes: [],
          clientAuthentication: 'post',
        },
        {
          type: 'staff-drive',
          name: 'Staff drive',
          clientId: 'someone-else',
          clientSecret: 'wrong secret',
          authorizeUrl: provider.authorizeUrl,
          tokenUrl: provider.tokenUrl,
          scopes: [],
          groups: ['Staff'],
          clientAuthentication: 'post',
        },
      ],
    }),
  });

  const login = () => f.accessToken(ADA);
  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  const list = async (token: string) =>
    (
      (await f.app.inject({ url: '/api/v1/me/authorizations', headers: as(token) })).json() as {
        authorizations: Authorization[];
      }
    ).authorizations;
  const start = (token: string, type: string, headers: Record<string, string> = {}) =>
    f.app.inject({
      method: 'POST',
      url: `/api/v1/me/authorizations/${type}/start`,
      headers: { ...as(token), ...headers },
    });

  /** What a browser does: open the authorize URL, follow the provider back to the callback. */
  async function visitProvider(redirectUrl: string): Promise<string> {
    const response = await fetch(redirectUrl, { redirect: 'manual' });
    expect(response.status).toBe(302);
    const back = new URL(response.headers.get('location') ?? '');
    return back.pathname + back.search;
  }
  async function callback(path: string, cookie?: string) {
    const response = await f.app.inject({
      url: path,
      headers: cookie ? { cookie } : {},
    });
    expect(response.statusCode).toBe(303);
    return new URL(response.headers.location as string, 'http://x');
  }

  it('authorizes, stores sealed tokens, shows only the status, and revokes', async () => {
    let token = await login();
    expect(await list(token)).toEqual([
      {
        type: 'cloud-drive',
        name: 'Cloud drive',
        status: 'not_authorized',
        authorizedAt: null,
        expiresAt: null,
      },
      {
        type: 'broken-drive',
        name: 'Broken drive',
        status: 'not_authorized',
        authorizedAt: null,
        expiresAt: null,
      },
    ]);

    const started = await start(token, 'cloud-drive');
    expect(started.statusCode).toBe(200);
    // A bearer-token client has no browser cookie to bind.
    expect(started.headers['set-cookie']).toBeUndefined();
    const { redirectUrl } = started.json() as { redirectUrl: string };
    const authorize = new URL(redirectUrl);
    expect(authorize.origin + authorize.pathname).toBe(provider.authorizeUrl);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: provider.clientId,
      redirect_uri: 'http://localhost:80/api/v1/oauth/callback',
      scope: 'files.write offline_access',
      code_challenge_method: 'S256',
    });
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(redirectUrl).not.toContain(provider.clientSecret.replace(/ /g, '+'));

    const back = await visitProvider(redirectUrl);
    expect(back).toMatch(/^\/api\/v1\/oauth\/callback\?/);
    const result = await callback(back);
    expect(result.pathname).toBe('/portal/profile/authorizations');
    expect(Object.fromEntries(result.searchParams)).toEqual({
      result: 'authorized',
      connector: 'cloud-drive',
    });
    expect(provider.tokenRequests.at(-1)).toEqual({ grant: 'authorization_code', status: 200 });

    const [cloud] = await list(token);
    expect(cloud).toMatchObject({
      status: 'authorized',
      authorizedAt: f.now().toISOString(),
      expiresAt: new Date(f.now().getTime() + 3600_000).toISOString(),
    });
    // The tokens: sealed in the database, in no API answer, but usable by the server.
    const accessToken = provider.issued.at(-1)!;
    const row = await f.store.authorizations.find(
      (await f.store.findUserByUsername('ada'))!.id,
      'cloud-drive',
    );
    expect(row?.sealedTokens).not.toContain(accessToken);
    const user = (await f.store.findUserByUsername('ada'))!;
    expect(await f.context.authorizations.getAccessToken(user.id, 'cloud-drive')).toBe(accessToken);
    const everything = JSON.stringify(await list(token));
    expect(everything).not.toContain(accessToken);

    // The same callback again: the state was used up.
    expect((await callback(back)).searchParams.get('result')).toBe('invalid_state');

    // Two hours on, the access token has run out; reading the status renews it with the
    // refresh token, so it stays "authorized" and runs for another hour.
    f.advance(2 * 3600_000);
    token = await login();
    expect((await list(token))[0]).toMatchObject({
      status: 'authorized',
      expiresAt: new Date(f.now().getTime() + 3600_000).toISOString(),
    });
    expect(provider.tokenRequests.at(-1)).toEqual({ grant: 'refresh_token', status: 200 });
    const renewed = provider.issued.at(-1)!;
    expect(renewed).not.toBe(accessToken);
    expect(await f.context.authorizations.getAccessToken(user.id, 'cloud-drive')).toBe(renewed);

    const revoked = await f.app.inject({
      method: 'DELETE',
      url: '/api/v1/me/authorizations/cloud-drive',
      headers: as(token),
    });
    expect(revoked.statusCode).toBe(204);
    expect((await list(token))[0]!.status).toBe('not_authorized');
    // Revoked at the provider too (RFC 7009): the refresh token first, then the access token.
    expect(provider.revocationRequests).toEqual([
      { status: 200, hint: 'refresh_token' },
      { status: 200, hint: 'access_token' },
    ]);
    expect(provider.revoked).toEqual([provider.issuedRefreshTokens.at(-1), renewed]);
    expect(provider.isLive(renewed)).toBe(false);
    const [entry] = await f.store.audit.list({
      action: 'authorization.revoke',
      limit: 1,
      offset: 0,
    });
    expect(entry).toMatchObject({ subject: 'connector:cloud-drive', detail: 'at provider: done' });
    const again = await f.app.inject({
      method: 'DELETE',
      url: '/api/v1/me/authorizations/cloud-drive',
      headers: as(token),
    });
    expect(again.statusCode).toBe(404);
  });

  it('answers invalid_state, not a server error, when the flow was sealed under another key', async () => {
    const token = await login();
    const started = await start(token, 'cloud-drive');
    const back = await visitProvider((started.json() as { redirectUrl: string }).redirectUrl);
    // As if the server key changed while the user was at the provider.
    const states = f.store.authorizations;
    const takeState = states.takeState.bind(states);
    states.takeState = async (hash) => {
      const state = await takeState(hash);
      return state && { ...state, sealedVerifier: 'v1.bm90IHNlYWxlZCBoZXJl' };
    };
    try {
      expect((await callback(back)).searchParams.get('result')).toBe('invalid_state');
    } finally {
      states.takeState = takeState;
    }
    expect(logLines.some((l) => l.includes('oauth flow state does not open'))).toBe(true);
  });

  /** Ada authorizes cloud-drive (bearer-token client); returns her user id. */
  async function authorizeCloudDrive(token: string): Promise<number> {
    await authorizeConnector(f.app, token, 'cloud-drive');
    return (await f.store.findUserByUsername('ada'))!.id;
  }
  const tokenOf = (userId: number) =>
    f.context.authorizations.getAccessToken(userId, 'cloud-drive');
  const reasonOf = (promise: Promise<unknown>) =>
    promise.then(
      () => 'resolved',
      (error: unknown) =>
        error instanceof ConnectorAuthorizationError ? error.reason : String(error),
    );
  /** The list as it is now: a fresh login each time, since the clock jumps past sessions. */
  const listNow = async () => list(await login());
  const refreshRequests = () =>
    provider.tokenRequests.filter((r) => r.grant === 'refresh_token').length;
  /** No log line carries any token the provider handed out. */
  const expectNoTokensLogged = () => {
    const logged = logLines.join('\n');
    for (const secret of [...provider.issued, ...provider.issuedRefreshTokens]) {
      expect(logged).not.toContain(secret);
    }
  };

  it('gives connectors a fresh access token, refreshing it once, shortly before it runs out', async () => {
    const ada = await authorizeCloudDrive(await login());
    const first = provider.issued.at(-1)!;
    const before = refreshRequests();
    const requestsBefore = provider.tokenRequests.length;
    expect(await tokenOf(ada)).toBe(first);
    expect(refreshRequests()).toBe(before);

    // Thirty seconds left: too little to hand out, so it is renewed.
    f.advance(3600_000 - 30_000);
    const second = await tokenOf(ada);
    expect(second).toBe(provider.issued.at(-1));
    expect(second).not.toBe(first);
    expect(refreshRequests()).toBe(before + 1);

    // Run out: several callers at once share one refresh (the refresh token rotates, so a
    // second refresh with the same one would be refused).
    f.advance(2 * 3600_000);
    const token = await login();
    const [a, b, listed] = await Promise.all([tokenOf(ada), tokenOf(ada), list(token)]);
    expect(refreshRequests()).toBe(before + 2);
    expect(a).toBe(provider.issued.at(-1));
    expect(b).toBe(a);
    expect(listed[0]!.status).toBe('authorized');
    expect(provider.tokenRequests.slice(requestsBefore).filter((r) => r.status !== 200)).toEqual(
      [],
    );

    // Someone without an authorization, or not offered the connector type, gets none.
    const bob = (await f.store.findUserByUsername('bob'))!.id;
    expect(await reasonOf(tokenOf(bob))).toBe('not_authorized');
    expect(await reasonOf(f.context.authorizations.getAccessToken(ada, 'staff-drive'))).toBe(
      'not_authorized',
    );
    expectNoTokensLogged();
  });

  it('keeps the grant through a provider outage, and marks it for re-authorization when the provider withdraws it', async () => {
    const ada = await authorizeCloudDrive(await login());
    const first = provider.issued.at(-1)!;

    // Down while the token still works (within the refresh margin): the old token is used.
    f.advance(3600_000 - 30_000);
    provider.down = true;
    expect(await tokenOf(ada)).toBe(first);
    // Down after it ran out: not the user's doing, so still "authorized", but no token now.
    f.advance(60_000);
    expect((await listNow())[0]!.status).toBe('authorized');
    expect(await reasonOf(tokenOf(ada))).toBe('provider_unreachable');
    expect(logLines.some((l) => l.includes('oauth token refresh failed'))).toBe(true);
    provider.down = false;
    expect(await tokenOf(ada)).toBe(provider.issued.at(-1));
    const lastExpiry = (await listNow())[0]!.expiresAt;

    // The user disconnects Cardbind at the provider: the refresh is refused (invalid_grant).
    provider.forgetGrants();
    f.advance(2 * 3600_000);
    // The refresh lease ends with the mark, not before: released first, another instance could
    // take it and present the refused refresh token again.
    const release = vi.spyOn(f.store.authorizations, 'releaseRefreshLease');
    const [withdrawn] = await listNow();
    expect(release).not.toHaveBeenCalled();
    release.mockRestore();
    expect(withdrawn!.status).toBe('expired');
    // It shows when the access token really ran out.
    expect(withdrawn!.expiresAt).toBe(lastExpiry);
    expect(provider.tokenRequests.at(-1)).toEqual({
      grant: 'refresh_token',
      status: 400,
      error: 'invalid_grant',
    });
    // Marked: nothing tries the refused refresh token again.
    const refreshes = refreshRequests();
    expect(await reasonOf(tokenOf(ada))).toBe('reauthorization_required');
    const token = await login();
    expect((await list(token))[0]!.status).toBe('expired');
    expect(refreshRequests()).toBe(refreshes);

    // Authorizing again puts it right.
    await authorizeCloudDrive(token);
    expect((await list(token))[0]!.status).toBe('authorized');
    expect(await tokenOf(ada)).toBe(provider.issued.at(-1));
    expectNoTokensLogged();
  });

  it('revokes locally even when the provider cannot revoke, and logs that without tokens', async () => {
    const token = await login();
    const ada = await authorizeCloudDrive(token);
    const accessToken = provider.issued.at(-1)!;
    provider.down = true;
    const revoked = await f.app.inject({
      method: 'DELETE',
      url: '/api/v1/me/authorizations/cloud-drive',
      headers: as(token),
    });
    expect(revoked.statusCode).toBe(204);
    expect(provider.revocationRequests.slice(-2)).toEqual([
      { status: 503, hint: null },
      { status: 503, hint: null },
    ]);
    expect(provider.isLive(accessToken)).toBe(true);
    expect((await list(token))[0]!.status).toBe('not_authorized');
    expect(await reasonOf(tokenOf(ada))).toBe('not_authorized');
    const failures = logLines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((entry) => entry.message === 'oauth token revocation at the provider failed');
    expect(failures.map((e) => [e.type, e.userId, e.tokenTypeHint])).toEqual([
      ['cloud-drive', ada, 'refresh_token'],
      ['cloud-drive', ada, 'access_token'],
    ]);
    expect(String(failures[0]!.reason)).toMatch(/503/);
    const [entry] = await f.store.audit.list({
      action: 'authorization.revoke',
      limit: 1,
      offset: 0,
    });
    expect(entry?.detail).toBe('at provider: failed');
    // A refresh that finishes after the revoke cannot bring the row back.
    const late = { sealedTokens: 'v1.x', scope: null, expiresAt: null, refreshable: true };
    expect(await f.store.authorizations.replaceTokens(ada, 'cloud-drive', 'v1.x', late)).toBe(
      false,
    );
    expect(await f.store.authorizations.find(ada, 'cloud-drive')).toBeUndefined();
    expectNoTokensLogged();
  });

  it('binds a portal flow to the browser that started it', async () => {
    const cookieLogin = await f.app.inject({
      method: 'POST',
      url: '/api/v1/auth/cookie',
      payload: { grant_type: 'password', ...ADA },
    });
    const cookies = ([] as string[])
      .concat(cookieLogin.headers['set-cookie'] ?? [])
      .map((c) => c.split(';')[0])
      .join('; ');
    const { csrfToken } = cookieLogin.json() as { csrfToken: string };
    const startInBrowser = () =>
      f.app.inject({
        method: 'POST',
        url: '/api/v1/me/authorizations/cloud-drive/start',
        headers: { cookie: cookies, 'x-csrf-token': csrfToken },
      });

    const first = await startInBrowser();
    expect(first.statusCode).toBe(200);
    const setCookie = String(first.headers['set-cookie']);
    expect(setCookie).toMatch(/^cardbind_oauth=[\w-]+; Path=\/api\/v1\/oauth\/callback;/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Lax');
    const binding = setCookie.split(';')[0]!;
    const back = await visitProvider((first.json() as { redirectUrl: string }).redirectUrl);
    // Someone else's browser (no cookie, or another one) cannot finish it.
    expect((await callback(back)).searchParams.get('result')).toBe('invalid_state');

    // Another browser's cookie does not fit either; a state is used up by any attempt.
    const second = await startInBrowser();
    const secondBack = await visitProvider((second.json() as { redirectUrl: string }).redirectUrl);
    expect((await callback(secondBack, binding)).searchParams.get('result')).toBe('invalid_state');

    const third = await startInBrowser();
    const thirdBack = await visitProvider((third.json() as { redirectUrl: string }).redirectUrl);
    const thirdBinding = String(third.headers['set-cookie']).split(';')[0]!;
    expect((await callback(thirdBack, thirdBinding)).searchParams.get('result')).toBe('authorized');
  });

  it('reports denial, a provider that is down, bad and expired states, without provider text', async () => {
    const token = await login();

    provider.mode = 'deny';
    try {
      const denied = await start(token, 'cloud-drive');
      const back = await visitProvider((denied.json() as { redirectUrl: string }).redirectUrl);
      const result = await callback(back);
      expect(Object.fromEntries(result.searchParams)).toEqual({
        result: 'denied',
        connector: 'cloud-drive',
      });
      expect(result.search).not.toContain('said');
    } finally {
      provider.mode = 'approve';
    }

    const broken = await start(token, 'broken-drive');
    const brokenBack = await visitProvider((broken.json() as { redirectUrl: string }).redirectUrl);
    expect((await callback(brokenBack)).searchParams.get('result')).toBe('provider_unreachable');

    expect(
      (await callback('/api/v1/oauth/callback?state=forged&code=x')).searchParams.get('result'),
    ).toBe('invalid_state');
    expect((await callback('/api/v1/oauth/callback')).searchParams.get('result')).toBe(
      'invalid_state',
    );

    const late = await start(token, 'cloud-drive');
    const lateBack = await visitProvider((late.json() as { redirectUrl: string }).redirectUrl);
    f.advance(11 * 60_000);
    expect((await callback(lateBack)).searchParams.get('result')).toBe('invalid_state');

    // A code that does not match the PKCE verifier is refused by the provider.
    const tampered = await start(token, 'cloud-drive');
    const tamperedUrl = new URL((tampered.json() as { redirectUrl: string }).redirectUrl);
    tamperedUrl.searchParams.set('code_challenge', 'A'.repeat(43));
    const tamperedBack = await visitProvider(tamperedUrl.toString());
    expect((await callback(tamperedBack)).searchParams.get('result')).toBe('token_rejected');
    expect(provider.tokenRequests.at(-1)).toEqual({
      grant: 'authorization_code',
      status: 400,
      error: 'invalid_grant',
    });

    const audit = await f.store.audit.list({ action: 'authorization.grant', limit: 10, offset: 0 });
    expect(audit.map((e) => e.outcome).sort()).toEqual(['denied', 'failure', 'failure']);
    expect((await list(token)).every((a) => a.status === 'not_authorized')).toBe(true);
  });

  it('offers a connector type only to its groups, and refuses unknown ones', async () => {
    const token = await login();
    expect((await list(token)).map((a) => a.type)).not.toContain('staff-drive');
    const hidden = await start(token, 'staff-drive');
    expect(hidden.statusCode).toBe(404);
    expect(errorOf(hidden).message).toContain('"staff-drive"');
    await f.store.setUserGroups((await f.store.findUserByUsername('ada'))!.id, ['Staff']);
    expect((await list(token)).map((a) => a.type)).toContain('staff-drive');
    const started = await start(token, 'staff-drive');
    expect(started.statusCode).toBe(200);
  });
});
