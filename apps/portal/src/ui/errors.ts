import { ApiError, isCsrfError } from './api.ts';
import type { Translate } from './i18n/i18n.ts';

/**
 * What to tell a person about a failed request, in their language. Codes with a fixed meaning
 * get a translated sentence (with the API's hints: attempts left, seconds to wait; for a taken
 * name the form that sent it is still on screen, so "that name" is clear); the rest
 * (validation, permissions, not found) keep the server's message, which names the problem.
 */
export function errorText(t: Translate, error: unknown): string {
  if (!(error instanceof ApiError)) {
    return t('error.server');
  }
  switch (error.code) {
    case 'network':
      return t('error.network');
    case 'invalid_credentials':
      return error.attemptsLeft === undefined
        ? t('error.invalidCredentials')
        : `${t('error.invalidCredentials')} ${t('error.attemptsLeft', { count: error.attemptsLeft })}`;
    case 'too_many_attempts':
      return error.status === 423 || error.retryAfterSeconds === undefined
        ? t('error.locked')
        : t('error.tooManyAttempts', { seconds: error.retryAfterSeconds });
    case 'credential_expired':
      return t('error.credentialExpired');
    case 'method_not_allowed':
      return t('error.methodNotAllowed');
    case 'card_already_bound':
      return t('error.cardAlreadyBound');
    case 'already_exists':
      return t('error.alreadyExists');
    case 'internal_error':
      return t('error.server');
    case 'forbidden':
      return isCsrfError(error) ? t('error.csrf') : error.message;
    default:
      return error.message;
  }
}

/** A 403 for a missing permission: the view shows the permission-denied page. */
export function isPermissionDenied(error: unknown): error is ApiError {
  return error instanceof ApiError && error.status === 403 && !isCsrfError(error);
}
