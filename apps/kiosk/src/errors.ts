import type { ErrorCode } from '@cardbind/shared';

/** `network`: no answer from the kiosk host at all (host gone, request aborted or timed out). */
export type KioskErrorCode = ErrorCode | 'network';

/** What the kiosk flow knows about a failed server call: enough to choose a screen and a message. */
export class KioskApiError extends Error {
  constructor(
    readonly code: KioskErrorCode,
    message: string,
    /** HTTP status, or 0 when no response arrived. */
    readonly status: number,
    /** What the server adds to some codes: `too_many_attempts` and `invalid_credentials`. */
    readonly details: { retryAfterSeconds?: number; attemptsLeft?: number } = {},
  ) {
    super(message);
    this.name = 'KioskApiError';
  }
}

/**
 * Every code, as a type-checked table rather than the shared ERROR_CODES list: importing values
 * from @cardbind/shared would pull zod into the page's script.
 */
const KNOWN_CODES: Record<KioskErrorCode, true> = {
  invalid_request: true,
  unauthorized: true,
  forbidden: true,
  not_found: true,
  invalid_credentials: true,
  card_already_bound: true,
  enrollment_expired: true,
  credential_expired: true,
  method_not_allowed: true,
  too_many_attempts: true,
  payload_too_large: true,
  already_exists: true,
  internal_error: true,
  server_unreachable: true,
  network: true,
};

export function isKioskErrorCode(value: unknown): value is KioskErrorCode {
  return typeof value === 'string' && Object.hasOwn(KNOWN_CODES, value);
}

/** Anything an actor rejected with, as a KioskApiError: an unexpected exception is a bug, not a network problem. */
export function toKioskApiError(error: unknown): KioskApiError {
  if (error instanceof KioskApiError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new KioskApiError('internal_error', message, 0);
}

/**
 * Where the flow goes after a failed server call:
 * - `form`: the person can fix it by typing again (wrong or expired secret, rejected input, a
 *   name that is taken);
 * - `locked`: too many failures, the server wants a pause (`retryAfterSeconds`);
 * - `unreachable`: the server (or the kiosk host) did not answer or failed: try again later by itself;
 * - `cardBound`: the card belongs to another account;
 * - `enrollmentExpired`: the enrollment token expired or was used: swipe again;
 * - `final`: this kiosk cannot do it at all (not authorized, method not allowed): tell an admin.
 * The switch is exhaustive on purpose: a new server error code must be placed here.
 */
export type FailureRoute =
  'form' | 'locked' | 'unreachable' | 'cardBound' | 'enrollmentExpired' | 'final';

export function failureRoute(code: KioskErrorCode): FailureRoute {
  switch (code) {
    case 'invalid_credentials':
    case 'credential_expired':
    case 'invalid_request':
    case 'payload_too_large':
    case 'already_exists':
      return 'form';
    case 'too_many_attempts':
      return 'locked';
    case 'network':
    case 'server_unreachable':
    case 'internal_error':
      return 'unreachable';
    case 'card_already_bound':
      return 'cardBound';
    case 'enrollment_expired':
      return 'enrollmentExpired';
    case 'method_not_allowed':
    case 'unauthorized':
    case 'forbidden':
    case 'not_found':
      return 'final';
  }
}
