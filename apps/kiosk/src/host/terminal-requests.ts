import type { ErrorBody, ErrorCode } from '@cardbind/shared';
import type { z } from 'zod';
import { BODY_LIMIT_BYTES, errorBody } from './http.ts';
import type { ProxyAnswer } from './server-proxy.ts';
import { TERMINAL_CALLS, type TerminalCall } from './terminal-calls.ts';

/** A payload refused before it reaches the server: the answer the page gets, an error body. */
type Refused = ProxyAnswer & { body: ErrorBody };

/**
 * Checks a terminal call's payload as the server would, before anything is forwarded: none for a
 * GET, one JSON value of at most BODY_LIMIT_BYTES matching the call's schema for a POST.
 * Returns the error answer (400 `invalid_request`, 413 `payload_too_large`) that says what is
 * wrong, or undefined when the payload is fine. Zod's messages name fields and rules, never the
 * values (secrets) given.
 */
export function terminalRequestRefusal(call: TerminalCall, payload: unknown): Refused | undefined {
  const schema: z.ZodType | null = TERMINAL_CALLS[call].schema;
  if (schema === null) {
    return payload === undefined ? undefined : invalid('This call takes no payload.');
  }
  const size = jsonSize(payload);
  if (size === undefined) return invalid('Invalid request: not JSON data.');
  if (size > BODY_LIMIT_BYTES) {
    return refusal(
      413,
      'payload_too_large',
      `The request is larger than ${BODY_LIMIT_BYTES} bytes.`,
    );
  }
  const checked = schema.safeParse(payload);
  if (checked.success) return undefined;
  const issue = checked.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  return invalid(`Invalid request: ${where}${issue?.message ?? 'not what this call takes'}`);
}

function refusal(status: number, code: ErrorCode, message: string): Refused {
  return { status, body: errorBody(code, message) };
}

const invalid = (message: string) => refusal(400, 'invalid_request', message);

/** The payload's size as JSON in bytes; undefined for what JSON cannot carry (cycles, BigInt). */
function jsonSize(value: unknown): number | undefined {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? undefined : Buffer.byteLength(text);
  } catch {
    return undefined;
  }
}
