import { errors, request } from 'undici';
import type { ConnectorProvider } from './providers.ts';

/** What a token endpoint granted (RFC 6749 §5.1). */
export interface TokenSet {
  accessToken: string;
  tokenType: string;
  refreshToken: string | null;
  /** Seconds the access token lives, if the provider says. */
  expiresIn: number | null;
  scope: string | null;
}

/**
 * The token endpoint failed. `unreachable`: no usable answer (down, timeout, not JSON);
 * `rejected`: it refused the request (an RFC 6749 §5.2 error such as `invalid_grant`).
 */
export class TokenEndpointError extends Error {
  constructor(
    readonly kind: 'unreachable' | 'rejected',
    message: string,
    readonly providerError?: string,
  ) {
    super(message);
    this.name = 'TokenEndpointError';
  }
}

/** When the granted access token runs out, counted from `now`; null when the provider did not say. */
export function expiresAtOf(tokens: TokenSet, now: Date): string | null {
  return tokens.expiresIn === null
    ? null
    : new Date(now.getTime() + tokens.expiresIn * 1000).toISOString();
}

const MAX_RESPONSE_BYTES = 64 * 1024;

export interface CodeExchange {
  code: string;
  redirectUri: string;
  codeVerifier: string;
}

/** Swaps an authorization code for tokens, server to server (RFC 6749 §4.1.3, RFC 7636 §4.5). */
export function exchangeCode(
  provider: ConnectorProvider,
  exchange: CodeExchange,
  options: EndpointOptions = {},
): Promise<TokenSet> {
  return requestTokens(
    provider,
    new URLSearchParams({
      grant_type: 'authorization_code',
      code: exchange.code,
      redirect_uri: exchange.redirectUri,
      code_verifier: exchange.codeVerifier,
    }),
    options,
  );
}

/**
 * Gets a new access token with a refresh token (RFC 6749 §6). The answer may carry a new
 * refresh token (rotation); when it does not, the old one stays valid. `invalid_grant` means
 * the grant is gone (revoked at the provider, expired, or already rotated away).
 */
export function refreshTokens(
  provider: ConnectorProvider,
  refreshToken: string,
  options: EndpointOptions = {},
): Promise<TokenSet> {
  return requestTokens(
    provider,
    new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }),
    options,
  );
}

/**
 * Asks the provider to invalidate a token (RFC 7009 §2.1). Resolves when the provider confirmed
 * with HTTP 200 (which it also answers for tokens it no longer knows, §2.2); throws
 * `TokenEndpointError` otherwise. Error messages never carry the token.
 */
export async function revokeToken(
  provider: ConnectorProvider & { revocationUrl: string },
  token: string,
  tokenTypeHint: 'access_token' | 'refresh_token',
  options: EndpointOptions = {},
): Promise<void> {
  const form = new URLSearchParams({ token, token_type_hint: tokenTypeHint });
  const { status, text } = await post(
    provider,
    provider.revocationUrl,
    form,
    options,
    'revocation',
  );
  if (status === 200) return;
  const code = errorCodeOf(text) ?? `http_${status}`;
  // 503: the provider asks to try later (§2.2.1); anything else is a refusal.
  throw new TokenEndpointError(
    status === 503 ? 'unreachable' : 'rejected',
    `revocation endpoint refused: ${code}`,
    code,
  );
}

export interface EndpointOptions {
  timeoutMs?: number;
}

async function requestTokens(
  provider: ConnectorProvider,
  form: URLSearchParams,
  options: EndpointOptions,
): Promise<TokenSet> {
  const { status, text } = await post(provider, provider.tokenUrl, form, options, 'token');
  let body: Record<string, unknown>;
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== 'object' || parsed === null) throw new Error('not an object');
    body = parsed as Record<string, unknown>;
  } catch {
    throw new TokenEndpointError(
      'unreachable',
      `token endpoint answered HTTP ${status} without JSON`,
    );
  }
  if (status !== 200) {
    const code = typeof body.error === 'string' ? body.error : `http_${status}`;
    throw new TokenEndpointError('rejected', `token endpoint refused: ${code}`, code);
  }
  if (typeof body.access_token !== 'string' || body.access_token === '') {
    throw new TokenEndpointError('rejected', 'token endpoint answered without an access_token');
  }
  const expiresIn = Number(body.expires_in);
  return {
    accessToken: body.access_token,
    tokenType: typeof body.token_type === 'string' ? body.token_type : 'Bearer',
    refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : null,
    expiresIn: Number.isFinite(expiresIn) && expiresIn > 0 ? Math.floor(expiresIn) : null,
    scope: typeof body.scope === 'string' ? body.scope : null,
  };
}

/** A form POST with the client's credentials (RFC 6749 §2.3.1), the answer read up to a cap. */
async function post(
  provider: ConnectorProvider,
  url: string,
  form: URLSearchParams,
  options: EndpointOptions,
  endpoint: 'token' | 'revocation',
): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  };
  if (provider.clientAuthentication === 'basic') {
    // RFC 6749 §2.3.1: both parts form-encoded before Basic encoding.
    const user = encodeURIComponent(provider.clientId);
    const password = encodeURIComponent(provider.clientSecret);
    headers.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  } else {
    form.set('client_id', provider.clientId);
    form.set('client_secret', provider.clientSecret);
  }
  const timeout = options.timeoutMs ?? 10_000;
  try {
    const response = await request(url, {
      method: 'POST',
      headers,
      body: form.toString(),
      headersTimeout: timeout,
      bodyTimeout: timeout,
      signal: AbortSignal.timeout(timeout),
    });
    return { status: response.statusCode, text: await readCapped(response.body) };
  } catch (error) {
    const reason =
      error instanceof errors.UndiciError || error instanceof Error ? error.message : 'failed';
    throw new TokenEndpointError('unreachable', `${endpoint} endpoint unreachable: ${reason}`);
  }
}

function errorCodeOf(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as unknown;
    const code = (body as { error?: unknown } | null)?.error;
    return typeof code === 'string' ? code.slice(0, 100) : undefined;
  } catch {
    return undefined;
  }
}

async function readCapped(body: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_RESPONSE_BYTES) throw new Error('answer too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
