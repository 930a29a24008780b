import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../errors.ts';
import { ACCESS_TOKEN_TTL_MS, SESSION_TTL_MS, type TokenResponse } from '../sessions.ts';

/**
 * Browser sessions of the portal: the tokens of an ordinary session live in HttpOnly,
 * SameSite=Strict cookies that page scripts cannot read, and every state-changing request must
 * also carry a CSRF token (a keyed hash of the session id) in a header — which a cross-site
 * page can neither read nor set.
 */
export const ACCESS_COOKIE = 'cardbind_access';
export const REFRESH_COOKIE = 'cardbind_refresh';
export const CSRF_HEADER = 'x-csrf-token';
export const COOKIE_AUTH_PATH = '/api/v1/auth/cookie';
export const PORTAL_CLIENT_ID = 'portal';

export function readCookie(request: FastifyRequest, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

export function csrfTokenFor(serverKey: Buffer, sessionId: number): string {
  return createHmac('sha256', serverKey).update(`csrf:${sessionId}`).digest('base64url');
}

/** Refuses a state-changing cookie request without the session's CSRF token. */
export function checkCsrf(serverKey: Buffer, request: FastifyRequest, sessionId: number): void {
  if (request.method === 'GET' || request.method === 'HEAD') return;
  const sent = request.headers[CSRF_HEADER];
  const expected = Buffer.from(csrfTokenFor(serverKey, sessionId));
  const given = Buffer.from(typeof sent === 'string' ? sent : '');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new ApiError(
      403,
      'forbidden',
      'This request lacks a valid CSRF token. Reload the page and try again.',
    );
  }
}

function cookie(
  name: string,
  value: string,
  path: string,
  maxAgeSeconds: number,
  secure: boolean,
): string {
  return [
    `${name}=${encodeURIComponent(value)}`,
    `Path=${path}`,
    `Max-Age=${maxAgeSeconds}`,
    'HttpOnly',
    'SameSite=Strict',
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

export function setSessionCookies(
  reply: FastifyReply,
  request: FastifyRequest,
  tokens: TokenResponse,
): void {
  const secure = request.protocol === 'https';
  void reply.header('set-cookie', [
    cookie(ACCESS_COOKIE, tokens.access_token, '/', ACCESS_TOKEN_TTL_MS / 1000, secure),
    // The refresh token only travels to the refresh endpoint.
    cookie(REFRESH_COOKIE, tokens.refresh_token, COOKIE_AUTH_PATH, SESSION_TTL_MS / 1000, secure),
  ]);
}

export function clearSessionCookies(reply: FastifyReply, request: FastifyRequest): void {
  const secure = request.protocol === 'https';
  void reply.header('set-cookie', [
    cookie(ACCESS_COOKIE, '', '/', 0, secure),
    cookie(REFRESH_COOKIE, '', COOKIE_AUTH_PATH, 0, secure),
  ]);
}
