import type { ErrorBody, Logger } from '@cardbind/shared';
import { z } from 'zod';
import { ApiError } from '../errors.ts';
import { invalidRequest } from './validation.ts';

/**
 * How the API answers an error, and the line it logs for a request: shared by Fastify's handlers
 * and the card swipe's own path (swipe-fast-path.ts), so that both answer alike.
 */

/** The line every answered request leaves at `info`: the route pattern, never the URL. */
export function logRequest(
  logger: Logger,
  method: string,
  route: string,
  status: number,
  ms: number,
): void {
  logger.info('request', { method, route, status, ms: Math.round(ms) });
}

/** The API error a thrown error becomes; a server failure is logged with the request's route. */
export function apiErrorOf(
  error: unknown,
  logger: Logger,
  method: string,
  route: string | undefined,
): ApiError {
  const apiError = toApiError(error);
  if (apiError.status >= 500) logger.error('request failed', { method, route, error });
  return apiError;
}

/** The `{"error":…}` body of an API error, and its headers (Retry-After with a wait). */
export function errorAnswer(error: ApiError): { body: ErrorBody; headers: Record<string, string> } {
  const body: ErrorBody = { error: { code: error.code, message: error.message } };
  const headers: Record<string, string> = {};
  if (error.retryAfterSeconds !== undefined) {
    body.error.retryAfterSeconds = error.retryAfterSeconds;
    headers['retry-after'] = String(error.retryAfterSeconds);
  }
  if (error.attemptsLeft !== undefined) body.error.attemptsLeft = error.attemptsLeft;
  return { body, headers };
}

/** Maps framework and validation errors onto the API's error codes. */
function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof z.ZodError) return invalidRequest(error);
  const fastifyError = error as { statusCode?: number; code?: string; message?: string };
  const status = fastifyError.statusCode ?? 500;
  if (status === 413) {
    return new ApiError(413, 'payload_too_large', 'The request body is too large.');
  }
  if (status === 415) {
    return new ApiError(415, 'invalid_request', 'Send the request body as application/json.');
  }
  if (status >= 400 && status < 500) {
    return new ApiError(
      status,
      'invalid_request',
      `Invalid request: ${fastifyError.message ?? 'malformed'}.`,
    );
  }
  return new ApiError(
    500,
    'internal_error',
    'The server failed to handle this request. Try again; if it keeps failing, check the server log.',
  );
}
