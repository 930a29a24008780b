import { describe, expect, it } from 'vitest';
import { ADA, errorOf, useApiFixture } from './api-fixture.ts';

describe('portal sessions in cookies with CSRF tokens', () => {
  const f = useApiFixture();

  const cookiesOf = (setCookie: string | string[] | undefined) =>
    Object.fromEntries(
      [setCookie ?? []].flat().map((c) => {
        const [pair] = c.split(';');
        const [name, ...value] = pair!.split('=');
        return [name, value.join('=')];
      }),
    ) as Record<string, string>;

  const login = async () => {
    const response = await f.post(
      '/api/v1/auth/cookie',
      { grant_type: 'password', username: 'ada', password: ADA.password },
      null,
    );
    expect(response.statusCode).toBe(200);
    const cookies = cookiesOf(response.headers['set-cookie']);
    return {
      response,
      csrf: (response.json() as { csrfToken: string }).csrfToken,
      access: cookies.cardbind_access!,
      refresh: cookies.cardbind_refresh!,
    };
  };
  const withCookies = (
    method: 'GET' | 'PATCH' | 'POST',
    url: string,
    cookies: string,
    csrf?: string,
    payload?: object,
  ) =>
    f.app.inject({
      method,
      url,
      headers: { cookie: cookies, ...(csrf ? { 'x-csrf-token': csrf } : {}) },
      ...(payload ? { payload } : {}),
    });

  it('sets HttpOnly, SameSite=Strict cookies and returns only a CSRF token', async () => {
    const { response, csrf } = await login();
    const setCookie = [response.headers['set-cookie']].flat() as string[];
    expect(setCookie.find((c) => c.startsWith('cardbind_access='))).toMatch(
      /Path=\/; Max-Age=900; HttpOnly; SameSite=Strict/,
    );
    expect(setCookie.find((c) => c.startsWith('cardbind_refresh='))).toMatch(
      /Path=\/api\/v1\/auth\/cookie; Max-Age=2592000; HttpOnly; SameSite=Strict/,
    );
    expect(Object.keys(response.json() as object).sort()).toEqual(['csrfToken', 'expiresIn']);
    expect(response.body).not.toMatch(/cbs_|cbr_/);
    expect(csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('reads with the cookie alone but changes nothing without the CSRF token', async () => {
    const { access, csrf } = await login();
    const cookie = `cardbind_access=${access}`;
    expect((await withCookies('GET', '/api/v1/me', cookie)).statusCode).toBe(200);
    const forged = await withCookies('PATCH', '/api/v1/me', cookie, undefined, {
      fullName: 'Mallory',
    });
    expect(forged.statusCode).toBe(403);
    expect(errorOf(forged).message).toMatch(/CSRF/);
    const wrong = await withCookies('PATCH', '/api/v1/me', cookie, 'x'.repeat(43), {
      fullName: 'Mallory',
    });
    expect(wrong.statusCode).toBe(403);
    const ok = await withCookies('PATCH', '/api/v1/me', cookie, csrf, { fullName: 'Ada King' });
    expect(ok.statusCode).toBe(204);
  });

  it('never takes an admin API token from a cookie', async () => {
    const response = await withCookies('GET', '/api/v1/cards', `cardbind_access=${f.adminToken}`);
    expect(response.statusCode).toBe(401);
  });

  it('rotates the session on refresh, keeping the CSRF token, and needs that token', async () => {
    const first = await login();
    const refreshCookie = `cardbind_refresh=${first.refresh}`;
    expect(
      (await withCookies('POST', '/api/v1/auth/cookie/refresh', refreshCookie)).statusCode,
    ).toBe(403);
    const refreshed = await withCookies(
      'POST',
      '/api/v1/auth/cookie/refresh',
      refreshCookie,
      first.csrf,
    );
    expect(refreshed.statusCode).toBe(200);
    expect((refreshed.json() as { csrfToken: string }).csrfToken).toBe(first.csrf);
    const next = cookiesOf(refreshed.headers['set-cookie']);
    expect(next.cardbind_access).not.toBe(first.access);
    expect(
      (await withCookies('GET', '/api/v1/me', `cardbind_access=${first.access}`)).statusCode,
    ).toBe(401);
    expect(
      (await withCookies('GET', '/api/v1/me', `cardbind_access=${next.cardbind_access}`))
        .statusCode,
    ).toBe(200);
    const gone = await withCookies(
      'POST',
      '/api/v1/auth/cookie/refresh',
      'cardbind_refresh=cbr_nope',
      first.csrf,
    );
    expect(gone.statusCode).toBe(401);
  });

  it('logs out: revokes the session and clears the cookies', async () => {
    const { access, csrf } = await login();
    const cookie = `cardbind_access=${access}`;
    const response = await withCookies('POST', '/api/v1/auth/cookie/logout', cookie, csrf);
    expect(response.statusCode).toBe(204);
    expect([response.headers['set-cookie']].flat().join('\n')).toMatch(
      /cardbind_access=; Path=\/; Max-Age=0/,
    );
    expect((await withCookies('GET', '/api/v1/me', cookie)).statusCode).toBe(401);
  });

  it('refuses a wrong password like the token endpoint does', async () => {
    const response = await f.post(
      '/api/v1/auth/cookie',
      { grant_type: 'password', username: 'ada', password: 'nope' },
      null,
    );
    expect(response.statusCode).toBe(401);
    expect(errorOf(response)).toMatchObject({ code: 'invalid_credentials', attemptsLeft: 4 });
    expect(response.headers['set-cookie']).toBeUndefined();
  });
});
