/**
 * The portal's HTTP client. The session lives in HttpOnly cookies the page cannot read; the
 * page keeps only the CSRF token (in memory and in sessionStorage, so a reload keeps it) and
 * sends it with every state-changing request. The session is rotated shortly before its access
 * token expires, and once more when a request meets a 401.
 */

export const API_PREFIX = '/api/v1';
export const CSRF_HEADER = 'x-csrf-token';
const STORAGE_KEY = 'cardbind.portal.session';
/** Rotate this long before the access token runs out. */
const REFRESH_MARGIN_MS = 60_000;
const MIN_REFRESH_DELAY_MS = 5_000;

/** An API failure as the views use it: the API's code and message, plus its hints. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    /** The API's error code, or `network` when the server could not be reached. */
    readonly code: string,
    message: string,
    readonly attemptsLeft?: number,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const FALLBACK_CODES: Record<number, string> = {
  400: 'invalid_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  413: 'payload_too_large',
  429: 'too_many_attempts',
};

function integerOrUndefined(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

/**
 * Maps an error answer onto an ApiError: the API's `{"error":{code,message,…}}` when the body
 * has that shape, else a code guessed from the status (a proxy's HTML error page, say).
 */
export function toApiError(
  status: number,
  body: unknown,
  retryAfterHeader?: string | null,
): ApiError {
  const error =
    typeof body === 'object' && body !== null && 'error' in body
      ? (body as { error: unknown }).error
      : undefined;
  const header = retryAfterHeader ? Number.parseInt(retryAfterHeader, 10) : Number.NaN;
  const headerSeconds = Number.isFinite(header) ? header : undefined;
  if (typeof error === 'object' && error !== null) {
    const { code, message, attemptsLeft, retryAfterSeconds } = error as Record<string, unknown>;
    if (typeof code === 'string' && typeof message === 'string') {
      return new ApiError(
        status,
        code,
        message,
        integerOrUndefined(attemptsLeft),
        integerOrUndefined(retryAfterSeconds) ?? headerSeconds,
      );
    }
  }
  const code = FALLBACK_CODES[status] ?? (status >= 500 ? 'internal_error' : 'invalid_request');
  return new ApiError(
    status,
    code,
    `The server answered HTTP ${status}.`,
    undefined,
    headerSeconds,
  );
}

export function networkError(): ApiError {
  return new ApiError(0, 'network', 'The server cannot be reached.');
}

/** A CSRF refusal is a 403 too, but about the session, not about permissions. */
export function isCsrfError(error: ApiError): boolean {
  return error.status === 403 && /csrf/i.test(error.message);
}

export type LoginGrant =
  | { grant_type: 'password'; username: string; password: string }
  | { grant_type: 'otp'; username: string; otp: string }
  | { grant_type: 'pin'; pin: string };

interface StoredSession {
  csrfToken: string;
  /** Epoch ms when the access token expires. */
  expiresAt: number;
}

export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface ApiClientOptions {
  fetch?: typeof fetch;
  storage?: KeyValueStorage | null;
  now?: () => number;
  setTimer?: (callback: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

function readStored(storage: KeyValueStorage | null): StoredSession | null {
  try {
    const parsed = JSON.parse(storage?.getItem(STORAGE_KEY) ?? 'null') as unknown;
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      typeof (parsed as StoredSession).csrfToken === 'string' &&
      typeof (parsed as StoredSession).expiresAt === 'number'
    ) {
      return parsed as StoredSession;
    }
  } catch {
    // A damaged entry is the same as none: log in again.
  }
  return null;
}

export class ApiClient {
  private readonly fetch: typeof fetch;
  private readonly storage: KeyValueStorage | null;
  private readonly now: () => number;
  private readonly setTimer: (callback: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;
  private session: StoredSession | null;
  private refreshing: Promise<boolean> | null = null;
  private timer: unknown = null;
  private readonly listeners = new Set<() => void>();

  constructor(options: ApiClientOptions = {}) {
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.storage = options.storage ?? null;
    this.now = options.now ?? Date.now;
    this.setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms));
    this.clearTimer =
      options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
    this.session = readStored(this.storage);
    if (this.session) this.scheduleRefresh();
  }

  /** Whether this tab holds a session (its CSRF token); the cookie itself is invisible here. */
  get hasSession(): boolean {
    return this.session !== null;
  }

  /** Called when the session ends without the user logging out (expired, revoked). */
  onSessionEnded(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async login(grant: LoginGrant): Promise<void> {
    const response = await this.send('POST', '/auth/cookie', grant);
    this.setSession((await this.parse(response)) as { csrfToken: string; expiresIn: number });
  }

  async logout(): Promise<void> {
    try {
      const response = await this.send('POST', '/auth/cookie/logout');
      if (!response.ok && response.status !== 401) await this.parse(response);
    } finally {
      this.clearSession();
    }
  }

  /** `POST /api/v1/auth/pin-reset`: the server's 202 or its refusal (403 when switched off). */
  async requestPinReset(username: string): Promise<void> {
    await this.parse(await this.send('POST', '/auth/pin-reset', { username }));
  }

  /** Rotates the session; false when it has ended. Concurrent callers share one rotation. */
  refresh(): Promise<boolean> {
    this.refreshing ??= this.rotate().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }
  post<T = void>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }
  put<T = void>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('PUT', path, body);
  }
  patch<T = void>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('PATCH', path, body);
  }
  delete<T = void>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }
  /** POSTs a CSV file as it is (`text/csv`), as card imports want it. */
  postCsv<T>(path: string, csv: string): Promise<T> {
    return this.request<T>('POST', path, new CsvBody(csv));
  }

  /**
   * One API call. A 401 (access token expired) or a CSRF refusal (the session was replaced, say
   * by a login in another tab) rotates the session and tries once more, then ends the session.
   */
  async request<T>(method: Method, path: string, body?: unknown): Promise<T> {
    let response = await this.send(method, path, body);
    if (this.session && (await this.sessionProblem(response))) {
      if (await this.refresh()) response = await this.send(method, path, body);
      if (await this.sessionProblem(response)) this.endSession();
    }
    return (await this.parse(response)) as T;
  }

  private async sessionProblem(response: Response): Promise<boolean> {
    if (response.status === 401) return true;
    if (response.status !== 403) return false;
    const body = (await response
      .clone()
      .json()
      .catch(() => undefined)) as unknown;
    return isCsrfError(toApiError(403, body));
  }

  private async rotate(): Promise<boolean> {
    if (!this.session) return false;
    let response: Response;
    try {
      response = await this.send('POST', '/auth/cookie/refresh');
    } catch {
      // Offline for now: keep the session and try again a little later.
      this.scheduleRefresh(MIN_REFRESH_DELAY_MS * 6);
      return false;
    }
    if (response.ok) {
      this.setSession((await response.json()) as { csrfToken: string; expiresIn: number });
      return true;
    }
    if (response.status === 401 || response.status === 403) this.endSession();
    return false;
  }

  private async send(method: Method, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const csv = isCsvBody(body) ? body.csv : undefined;
    if (body !== undefined)
      headers['content-type'] = csv === undefined ? 'application/json' : 'text/csv';
    if (method !== 'GET' && this.session) headers[CSRF_HEADER] = this.session.csrfToken;
    try {
      return await this.fetch(`${API_PREFIX}${path}`, {
        method,
        headers,
        credentials: 'same-origin',
        cache: 'no-store',
        ...(body === undefined ? {} : { body: csv ?? JSON.stringify(body) }),
      });
    } catch {
      throw networkError();
    }
  }

  private async parse(response: Response): Promise<unknown> {
    if (response.status === 204) return undefined;
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      body = undefined;
    }
    if (!response.ok) {
      throw toApiError(response.status, body, response.headers.get('retry-after'));
    }
    return body;
  }

  private setSession(answer: { csrfToken: string; expiresIn: number }): void {
    this.session = {
      csrfToken: answer.csrfToken,
      expiresAt: this.now() + answer.expiresIn * 1000,
    };
    this.storage?.setItem(STORAGE_KEY, JSON.stringify(this.session));
    this.scheduleRefresh();
  }

  private clearSession(): void {
    this.session = null;
    this.storage?.removeItem(STORAGE_KEY);
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
  }

  private endSession(): void {
    const had = this.session !== null;
    this.clearSession();
    if (had) for (const listener of this.listeners) listener();
  }

  private scheduleRefresh(delay?: number): void {
    if (!this.session) return;
    if (this.timer !== null) this.clearTimer(this.timer);
    const due = delay ?? this.session.expiresAt - this.now() - REFRESH_MARGIN_MS;
    this.timer = this.setTimer(
      () => {
        this.timer = null;
        void this.refresh();
      },
      Math.max(MIN_REFRESH_DELAY_MS, due),
    );
  }
}

/** A body sent as text/csv rather than JSON: marked by its class, never by its shape. */
class CsvBody {
  constructor(readonly csv: string) {}
}
function isCsvBody(body: unknown): body is CsvBody {
  return body instanceof CsvBody;
}

/** Encodes one path segment (usernames may hold anything but spaces). */
export const segment = (value: string) => encodeURIComponent(value);

/** `?a=1&b=x` from the defined, non-empty values. */
export function queryString(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
