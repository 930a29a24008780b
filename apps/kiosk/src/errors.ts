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

/** Failures that may go away by themselves, so trying the same request again makes sense. */
export function isTransient(code: KioskErrorCode): boolean {
  return (
    code === 'network' ||
    code === 'server_unreachable' ||
    code === 'internal_error' ||
    code === 'too_many_attempts'
  );
}

/**
 * How an enrollment failure continues:
 * - `form`: the person can fix it by typing again (wrong or expired secret, rejected input);
 * - `retry`: the same attempt may work later (server unreachable or failing, attempts throttled);
 * - `final`: this card cannot be enrolled here now (bound elsewhere, token expired, method not
 *   allowed, kiosk not authorized).
 * The switch is exhaustive on purpose: a new server error code must be placed here.
 */
export type EnrollFailureKind = 'form' | 'retry' | 'final';

export function enrollFailureKind(code: KioskErrorCode): EnrollFailureKind {
  switch (code) {
    case 'invalid_credentials':
    case 'credential_expired':
    case 'invalid_request':
    case 'payload_too_large':
      return 'form';
    case 'network':
    case 'server_unreachable':
    case 'internal_error':
    case 'too_many_attempts':
      return 'retry';
    case 'card_already_bound':
    case 'enrollment_expired':
    case 'method_not_allowed':
    case 'unauthorized':
    case 'forbidden':
    case 'not_found':
      return 'final';
  }
}
