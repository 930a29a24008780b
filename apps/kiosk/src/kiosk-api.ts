import type {
  CardAuthResponse,
  CardEvent,
  EnrollResponse,
  PublicUser,
  ReaderStatus,
} from '@cardbind/shared';

/**
 * The contract between the kiosk host and its page. Browser code: only type imports from
 * @cardbind/shared (its zod schemas would multiply the script size), so answers are checked with
 * the small guards below; the host already checked reader events against the shared schemas.
 */

export type { ReaderStatus };

/**
 * The kiosk host's API for its page (same origin). The host adds the terminal token and forwards
 * to the Cardbind server, so the token never reaches the browser.
 */
export const KIOSK_API = {
  /** POST `{"cardId"}` → the server's `/api/v1/terminal/card-auth` answer, status and JSON as is. */
  cardAuth: '/kiosk/v1/card-auth',
  /** POST `EnrollRequest` → the server's `/api/v1/terminal/enroll` answer, status and JSON as is. */
  enroll: '/kiosk/v1/enroll',
  /** GET: Server-Sent Events `card` (CardEvent) and `reader` (ReaderStatus). */
  events: '/kiosk/v1/events',
} as const;

/**
 * The reader id the kiosk uses for its own link to the reader daemon: `disconnected` means no
 * card events can arrive at all (daemon down, or the page lost its kiosk host).
 */
export const READER_LINK_ID = 'reader-daemon';

/** What the page receives from its host, tagged like the SSE event it came from. */
export type ReaderFeedEvent =
  { type: 'card'; card: CardEvent } | { type: 'reader'; reader: ReaderStatus };

export function linkStatus(status: ReaderStatus['status'], at = new Date()): ReaderStatus {
  return { readerId: READER_LINK_ID, status, at: at.toISOString() };
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isText = (value: unknown): value is string => typeof value === 'string' && value !== '';
const isPublicUser = (value: unknown): value is PublicUser =>
  isObject(value) && isText(value.username) && typeof value.fullName === 'string';

export function isCardAuthResponse(value: unknown): value is CardAuthResponse {
  if (!isObject(value)) return false;
  if (value.result === 'known') return isPublicUser(value.user);
  return value.result === 'unknown' && isText(value.enrollmentToken) && isText(value.expiresAt);
}

export function isEnrollResponse(value: unknown): value is EnrollResponse {
  return isObject(value) && value.result === 'enrolled' && isPublicUser(value.user);
}

export interface ErrorAnswer {
  code: string;
  message: string;
  retryAfterSeconds?: number;
  attemptsLeft?: number;
}

/** The `error` of an `{"error":{"code","message"}}` body, or undefined for anything else. */
export function errorAnswer(value: unknown): ErrorAnswer | undefined {
  if (!isObject(value) || !isObject(value.error)) return undefined;
  const { code, message, retryAfterSeconds, attemptsLeft } = value.error;
  if (!isText(code) || typeof message !== 'string') return undefined;
  return {
    code,
    message,
    ...(typeof retryAfterSeconds === 'number' && { retryAfterSeconds }),
    ...(typeof attemptsLeft === 'number' && { attemptsLeft }),
  };
}

/** One SSE message from the host's feed; unknown event names and malformed data give undefined. */
export function readFeedMessage(event: string, data: string): ReaderFeedEvent | undefined {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (!isObject(json) || !isText(json.readerId) || !isText(json.at)) return undefined;
  if (event === 'card' && isText(json.cardId) && isText(json.profile)) {
    return { type: 'card', card: json as CardEvent };
  }
  if (event === 'reader' && (json.status === 'connected' || json.status === 'disconnected')) {
    return { type: 'reader', reader: json as ReaderStatus };
  }
  return undefined;
}
