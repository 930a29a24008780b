import type { z } from 'zod';
import { ApiError } from '../errors.ts';

/** Validates input against a schema; a failure is a 400 naming the first bad field. */
export function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  throw invalidRequest(result.error);
}

export function invalidRequest(error: z.ZodError): ApiError {
  const issue = error.issues[0];
  const where = issue?.path.length ? issue.path.join('.') : 'body';
  const message =
    issue?.code === 'unrecognized_keys'
      ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`
      : (issue?.message ?? 'invalid');
  return new ApiError(400, 'invalid_request', `Invalid request: ${where}: ${message}.`);
}
