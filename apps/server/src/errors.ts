import type { TerminalLookup } from './store/store.ts';
import type { ErrorCode } from '@cardbind/shared';

/** An error meant for the API client: status, stable code, and a message a person can act on. */
export class ApiError extends Error {
  retryAfterSeconds?: number;
  attemptsLeft?: number;

  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const terminalUnauthorized = () =>
  new ApiError(
    401,
    'unauthorized',
    'This terminal is not registered with the server or its token is wrong. ' +
      'Ask an administrator for a terminal token (`cardbind admin terminal add NAME`) and configure it on the kiosk.',
  );

export const terminalRevoked = (name: string, revokedAt: string) =>
  new ApiError(
    401,
    'unauthorized',
    `This terminal ("${name}") was revoked by an administrator at ${revokedAt}; its token no longer works. ` +
      'Ask an administrator to register the terminal again and configure the kiosk with the new token.',
  );

/** Why a terminal token is refused: no token, a revoked terminal's, or none known. */
export const terminalRefusal = (
  found: Exclude<TerminalLookup, { status: 'active' }> | undefined,
) =>
  found?.status === 'revoked'
    ? terminalRevoked(found.name, found.revokedAt)
    : terminalUnauthorized();
