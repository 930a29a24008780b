import { describe, expect, it } from 'vitest';
import { ApiClient, ApiError, queryString, toApiError, type KeyValueStorage } from './api.ts';
import { errorText, isPermissionDenied } from './errors.ts';
import { translator } from './i18n/i18n.ts';

const t = translator('en');

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
const apiError = (status: number, error: Record<string, unknown>) => json(status, { error });

interface Call {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** A scripted server: answers in order, records what the client sent. */
function fakeServer(...answers: Array<Response | Error>) {
  const calls: Call[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    calls.push({
      method: init.method ?? 'GET',
      url,
      headers: init.headers as Record<string, string>,
      ...(typeof init.body === 'string' ? { body: init.body } : {}),
    });
    const answer = answers.shift();
    if (!answer) throw new Error(`unexpected request ${url}`);
    if (answer instanceof Error) throw answer;
    return answer;
  }) as unknown as typeof globalThis.fetch;
  return { fetch, calls };
}

function memoryStorage(): KeyValueStorage & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

function client(server: ReturnType<typeof fakeServer>, storage = memoryStorage()) {
  const timers: Array<{ callback: () => void; ms: number }> = [];
  const api = new ApiClient({
    fetch: server.fetch,
    storage,
    now: () => 1_000_000,
    setTimer: (callback, ms) => timers.push({ callback, ms }),
    clearTimer: () => {},
  });
  return { api, timers, storage };
}

describe('error mapping', () => {
  it('keeps the API’s code, message and hints', () => {
    const error = toApiError(401, {
      error: { code: 'invalid_credentials', message: 'Wrong.', attemptsLeft: 2 },
    });
    expect(error).toMatchObject({ status: 401, code: 'invalid_credentials', attemptsLeft: 2 });
    expect(
      toApiError(429, { error: { code: 'too_many_attempts', message: 'Wait.' } }, '30'),
    ).toMatchObject({ code: 'too_many_attempts', retryAfterSeconds: 30 });
  });

  it('guesses a code from the status when the body is not the API’s', () => {
    expect(toApiError(502, undefined)).toMatchObject({ status: 502, code: 'internal_error' });
    expect(toApiError(403, '<html>')).toMatchObject({ code: 'forbidden' });
    expect(toApiError(404, { error: 'nope' })).toMatchObject({ code: 'not_found' });
  });

  it('tells people what happened in their language', () => {
    const wrong = new ApiError(401, 'invalid_credentials', 'x', 3);
    expect(errorText(t, wrong)).toBe(
      'These login details are not valid. Check them and try again. Attempts left before you must wait: 3.',
    );
    expect(errorText(translator('de'), new ApiError(0, 'network', 'x'))).toMatch(
      /nicht erreichbar/,
    );
    expect(errorText(t, new ApiError(429, 'too_many_attempts', 'x', undefined, 30))).toBe(
      'Too many failed attempts. Try again in 30 seconds.',
    );
    expect(errorText(t, new ApiError(423, 'too_many_attempts', 'x'))).toMatch(/locked/);
    expect(errorText(t, new ApiError(409, 'card_already_bound', 'x'))).toMatch(
      /already registered/,
    );
    expect(errorText(translator('fr'), new ApiError(409, 'already_exists', 'x'))).toBe(
      'Ce nom est déjà utilisé. Choisissez-en un autre.',
    );
    // Validation and permission messages name the problem: they are kept.
    expect(errorText(t, new ApiError(400, 'invalid_request', 'email: must be an e-mail'))).toBe(
      'email: must be an e-mail',
    );
    expect(errorText(t, new Error('boom'))).toMatch(/failed to handle/);
  });

  it('tells a missing permission from a missing CSRF token', () => {
    expect(isPermissionDenied(new ApiError(403, 'forbidden', 'You need ManageUsers.'))).toBe(true);
    const csrf = new ApiError(403, 'forbidden', 'This request lacks a valid CSRF token.');
    expect(isPermissionDenied(csrf)).toBe(false);
    expect(errorText(t, csrf)).toMatch(/Reload the page/);
  });
});

describe('ApiClient', () => {
  it('logs in with cookies, keeps the CSRF token and sends it on changes only', async () => {
    const server = fakeServer(
      json(200, { csrfToken: 'csrf-1', expiresIn: 900 }),
      json(200, { username: 'ada' }),
      new Response(null, { status: 204 }),
    );
    const { api, storage, timers } = client(server);
    expect(api.hasSession).toBe(false);
    await api.login({ grant_type: 'password', username: 'ada', password: 'pw' });
    expect(api.hasSession).toBe(true);
    expect(JSON.parse(storage.items.get('cardbind.portal.session')!)).toEqual({
      csrfToken: 'csrf-1',
      expiresAt: 1_000_000 + 900_000,
    });
    // Rotated a minute before the access token expires.
    expect(timers.at(-1)?.ms).toBe(840_000);

    await api.get('/me');
    await api.patch('/me', { fullName: 'Ada' });
    const [login, get, patch] = server.calls;
    expect(login).toMatchObject({ method: 'POST', url: '/api/v1/auth/cookie' });
    expect(login!.headers['x-csrf-token']).toBeUndefined();
    expect(get!.headers['x-csrf-token']).toBeUndefined();
    expect(patch).toMatchObject({ method: 'PATCH', url: '/api/v1/me' });
    expect(patch!.headers['x-csrf-token']).toBe('csrf-1');
    expect(patch!.body).toBe('{"fullName":"Ada"}');
  });

  it('sends a CSV file as text/csv, as it is, with the CSRF token', async () => {
    const storage = memoryStorage();
    storage.setItem('cardbind.portal.session', JSON.stringify({ csrfToken: 'kept', expiresAt: 1 }));
    const server = fakeServer(json(200, { applied: false }));
    const { api } = client(server, storage);
    const file = 'username,cardId\r\n"ada, jr",{"x":1}\r\n';
    expect(await api.postCsv('/cards/import?dryRun=true', file)).toEqual({ applied: false });
    expect(server.calls[0]).toMatchObject({
      method: 'POST',
      url: '/api/v1/cards/import?dryRun=true',
      body: file,
    });
    expect(server.calls[0]!.headers['content-type']).toBe('text/csv');
    expect(server.calls[0]!.headers['x-csrf-token']).toBe('kept');
  });

  it('survives a reload through sessionStorage', async () => {
    const storage = memoryStorage();
    storage.setItem('cardbind.portal.session', JSON.stringify({ csrfToken: 'kept', expiresAt: 1 }));
    const server = fakeServer(new Response(null, { status: 204 }));
    const { api } = client(server, storage);
    expect(api.hasSession).toBe(true);
    await api.delete('/me/sessions/4');
    expect(server.calls[0]!.headers['x-csrf-token']).toBe('kept');
  });

  it('on a 401 rotates the session once and repeats the request', async () => {
    const server = fakeServer(
      json(200, { csrfToken: 'csrf-1', expiresIn: 900 }),
      apiError(401, { code: 'unauthorized', message: 'expired' }),
      json(200, { csrfToken: 'csrf-2', expiresIn: 900 }),
      new Response(null, { status: 204 }),
    );
    const { api } = client(server);
    await api.login({ grant_type: 'pin', pin: '123456' });
    await api.put('/me/password', { currentPassword: 'a', newPassword: 'bbbbbbbb' });
    const urls = server.calls.map((c) => `${c.method} ${c.url}`);
    expect(urls).toEqual([
      'POST /api/v1/auth/cookie',
      'PUT /api/v1/me/password',
      'POST /api/v1/auth/cookie/refresh',
      'PUT /api/v1/me/password',
    ]);
    expect(server.calls[2]!.headers['x-csrf-token']).toBe('csrf-1');
    expect(server.calls[3]!.headers['x-csrf-token']).toBe('csrf-2');
  });

  it('ends the session when rotating fails, and says so', async () => {
    const server = fakeServer(
      json(200, { csrfToken: 'csrf-1', expiresIn: 900 }),
      apiError(401, { code: 'unauthorized', message: 'expired' }),
      apiError(401, { code: 'unauthorized', message: 'Your session has ended.' }),
    );
    const { api, storage } = client(server);
    let ended = 0;
    api.onSessionEnded(() => ended++);
    await api.login({ grant_type: 'otp', username: 'ada', otp: 'ABCDEFGHJK' });
    await expect(api.get('/me')).rejects.toMatchObject({ status: 401, code: 'unauthorized' });
    expect(ended).toBe(1);
    expect(api.hasSession).toBe(false);
    expect(storage.items.size).toBe(0);
  });

  it('treats a CSRF refusal as an ended session, not as a missing permission', async () => {
    const csrf = { code: 'forbidden', message: 'This request lacks a valid CSRF token.' };
    const server = fakeServer(
      json(200, { csrfToken: 'csrf-1', expiresIn: 900 }),
      apiError(403, csrf),
      apiError(403, csrf),
    );
    const { api } = client(server);
    let ended = 0;
    api.onSessionEnded(() => ended++);
    await api.login({ grant_type: 'pin', pin: '123456' });
    await expect(api.post('/me/otp')).rejects.toMatchObject({ status: 403 });
    expect(server.calls.map((c) => c.url)).toEqual([
      '/api/v1/auth/cookie',
      '/api/v1/me/otp',
      '/api/v1/auth/cookie/refresh',
    ]);
    expect(ended).toBe(1);
  });

  it('leaves a permission refusal alone', async () => {
    const server = fakeServer(
      json(200, { csrfToken: 'csrf-1', expiresIn: 900 }),
      apiError(403, { code: 'forbidden', message: 'You need the ManageUsers permission.' }),
    );
    const { api } = client(server);
    await api.login({ grant_type: 'pin', pin: '123456' });
    await expect(api.get('/users')).rejects.toMatchObject({ status: 403, code: 'forbidden' });
    expect(server.calls).toHaveLength(2);
    expect(api.hasSession).toBe(true);
  });

  it('shares one rotation between concurrent 401s', async () => {
    const server = fakeServer(
      json(200, { csrfToken: 'csrf-1', expiresIn: 900 }),
      apiError(401, { code: 'unauthorized', message: 'expired' }),
      apiError(401, { code: 'unauthorized', message: 'expired' }),
      json(200, { csrfToken: 'csrf-2', expiresIn: 900 }),
      json(200, { a: 1 }),
      json(200, { b: 2 }),
    );
    const { api } = client(server);
    await api.login({ grant_type: 'pin', pin: '123456' });
    const results = await Promise.all([api.get('/x'), api.get('/y')]);
    expect(results).toEqual([{ a: 1 }, { b: 2 }]);
    expect(server.calls.filter((c) => c.url.endsWith('/refresh'))).toHaveLength(1);
  });

  it('reports failed logins without ending anything, with their hints', async () => {
    const server = fakeServer(
      apiError(401, { code: 'invalid_credentials', message: 'Wrong.', attemptsLeft: 4 }),
    );
    const { api } = client(server);
    let ended = 0;
    api.onSessionEnded(() => ended++);
    await expect(
      api.login({ grant_type: 'password', username: 'ada', password: 'nope' }),
    ).rejects.toMatchObject({ code: 'invalid_credentials', attemptsLeft: 4 });
    expect(ended).toBe(0);
  });

  it('maps an unreachable server to a network error', async () => {
    const { api } = client(fakeServer(new TypeError('Failed to fetch')));
    await expect(api.get('/me')).rejects.toMatchObject({ status: 0, code: 'network' });
  });

  it('logs out and forgets the session even when the server says it had ended', async () => {
    const server = fakeServer(
      json(200, { csrfToken: 'csrf-1', expiresIn: 900 }),
      apiError(401, { code: 'unauthorized', message: 'gone' }),
    );
    const { api, storage } = client(server);
    await api.login({ grant_type: 'pin', pin: '123456' });
    await api.logout();
    expect(server.calls[1]).toMatchObject({ method: 'POST', url: '/api/v1/auth/cookie/logout' });
    expect(server.calls[1]!.headers['x-csrf-token']).toBe('csrf-1');
    expect(api.hasSession).toBe(false);
    expect(storage.items.size).toBe(0);
  });

  it('passes the refusal of a PIN reset on to the page', async () => {
    const { api } = client(
      fakeServer(apiError(403, { code: 'forbidden', message: 'PINs cannot be reset here.' })),
    );
    await expect(api.requestPinReset('ada')).rejects.toMatchObject({
      status: 403,
      message: 'PINs cannot be reset here.',
    });
  });
});

describe('queryString', () => {
  it('drops empty values and encodes the rest', () => {
    expect(queryString({ search: 'a b&c', group: undefined, source: '', limit: 25 })).toBe(
      '?search=a+b%26c&limit=25',
    );
    expect(queryString({})).toBe('');
  });
});
