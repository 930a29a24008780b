import {
  CardAuthRequest,
  EnrollRequest,
  TerminalLoginRequest,
  type ErrorBody,
  type ErrorCode,
} from '@cardbind/shared';
import type { z } from 'zod';
import { TERMINAL_CALLS, type RequestSchemaName, type TerminalCall } from '../kiosk-api.ts';
import { BODY_LIMIT_BYTES, errorBody } from './http.ts';

/** A payload refused before it reaches the server: the answer the page gets. */
export interface Refusal {
  status: number;
  body: ErrorBody;
}

/** The shared schemas `TERMINAL_CALLS` names, resolved here where zod may be loaded. */
const REQUEST_SCHEMAS = {
  CardAuthRequest,
  EnrollRequest,
  TerminalLoginRequest,
} satisfies Record<RequestSchemaName, z.ZodType>;

/**
 * Checks a terminal call's payload as the server would, before anything is forwarded: none for a
 * GET, one JSON value of at most BODY_LIMIT_BYTES matching the call's schema for a POST.
 * Returns the error answer (400 `invalid_request`, 413 `payload_too_large`) that says what is
 * wrong, or undefined when the payload is fine. Zod's messages name fields and rules, never the
 * values (secrets) given.
 */
export function terminalRequestRefusal(call: TerminalCall, payload: unknown): Refusal | undefined {
  const { request } = TERMINAL_CALLS[call];
  if (request === null) {
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
  const checked = REQUEST_SCHEMAS[request].safeParse(payload);
  if (checked.success) return undefined;
  const issue = checked.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  return invalid(`Invalid request: ${where}${issue?.message ?? 'not what this call takes'}`);
}

function refusal(status: number, code: ErrorCode, message: string): Refusal {
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
