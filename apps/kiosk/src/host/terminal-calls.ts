import { CardAuthRequest, EnrollRequest, TerminalLoginRequest } from '@cardbind/shared';
import type { z } from 'zod';

/** How one terminal call reaches the Cardbind server, and what its payload must match. */
interface TerminalCallRoute {
  /** `GET` takes no payload; `POST` takes one JSON payload. */
  method: 'GET' | 'POST';
  /** The Cardbind server's endpoint, under its API prefix. */
  serverPath: string;
  /** The shared schema the payload must match; null for a call without payload. */
  schema: z.ZodType | null;
}

/**
 * The terminal calls the page may make, by name: the one table that the kiosk host's HTTP
 * routes (`KIOSK_API[name]`), the Electron IPC handlers (channel `KIOSK_IPC[name]`), the payload
 * check and the server proxy all map from. Host side only: it holds the shared zod schemas,
 * which the page bundle must not take.
 */
export const TERMINAL_CALLS = {
  cardAuth: { method: 'POST', serverPath: '/terminal/card-auth', schema: CardAuthRequest },
  enroll: { method: 'POST', serverPath: '/terminal/enroll', schema: EnrollRequest },
  login: { method: 'POST', serverPath: '/terminal/login', schema: TerminalLoginRequest },
  policy: { method: 'GET', serverPath: '/terminal/policy', schema: null },
} as const satisfies Record<string, TerminalCallRoute>;

export type TerminalCall = keyof typeof TERMINAL_CALLS;

export const TERMINAL_CALL_NAMES = Object.keys(TERMINAL_CALLS) as TerminalCall[];
