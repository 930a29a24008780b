import type {
  CardAuthResponse,
  CardEvent,
  EnrollmentMethod,
  EnrollResponse,
  PublicUser,
  ReaderStatus,
  TerminalLoginResponse,
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
  /** POST `TerminalLoginRequest` → the server's `/api/v1/terminal/login` answer, as is. */
  login: '/kiosk/v1/login',
  /** GET → the server's `/api/v1/terminal/policy` answer (`TerminalPolicy`), as is. */
  policy: '/kiosk/v1/policy',
  /** GET → this terminal's `KioskPageConfig`, from the host's own configuration. */
  config: '/kiosk/v1/config',
  /** GET: Server-Sent Events `card` (CardEvent) and `reader` (ReaderStatus). */
  events: '/kiosk/v1/events',
} as const;

/** Languages the kiosk has catalogs for; the first is the fallback. */
export const LANGUAGES = ['en', 'de', 'cs', 'fr', 'es'] as const;
export type LanguageCode = (typeof LANGUAGES)[number];

export function isLanguage(value: unknown): value is LanguageCode {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** What the server allows at panels: the secrets that bind a card, and logging in without one. */
export interface TerminalPolicy {
  enrollmentMethods: EnrollmentMethod[];
  loginMethods: EnrollmentMethod[];
}

/** The server's defaults, used until the first policy arrives. */
export const DEFAULT_POLICY: TerminalPolicy = {
  enrollmentMethods: ['password', 'otp', 'pin'],
  loginMethods: ['password', 'pin'],
};

/** The facts of the panel the kiosk runs on that the page needs (hardware-profiles/panels). */
export interface PanelFacts {
  id: string;
  name: string;
  width: number;
  height: number;
  orientation: 'landscape' | 'portrait';
  touch: boolean;
  physicalKeyboard: boolean;
}

/** How long each screen waits for the person, in milliseconds. */
export interface KioskDelays {
  /** The welcome screen, before the next person may swipe. */
  sessionTimeout: number;
  /** Questions: "Enroll this card?", choosing a method. */
  promptTimeout: number;
  /** Inactivity in a form (typing restarts it). */
  formTimeout: number;
  /** Error screens. */
  errorTimeout: number;
}

export interface KioskPageConfig {
  /** The terminal's language; people may switch at the idle screen. */
  language: LanguageCode;
  panel: PanelFacts | null;
  /** Skip "Enroll this card?" and open the form at once for an unknown card. */
  enrollWithoutPrompt: boolean;
  /** Keyboard-wedge readers: keys closer together than this, ending in Enter, are a card. */
  wedge: { enabled: boolean; maxGapMs: number; minLength: number };
  delays: KioskDelays;
  /** Server unreachable: automatic retries, the first after `baseMs`, doubling up to `maxMs`. */
  retry: { attempts: number; baseMs: number; maxMs: number };
  /** How often the policy is fetched again. */
  policyRefreshMs: number;
}

export const DEFAULT_PAGE_CONFIG: KioskPageConfig = {
  language: 'en',
  panel: null,
  enrollWithoutPrompt: false,
  wedge: { enabled: true, maxGapMs: 35, minLength: 4 },
  delays: {
    sessionTimeout: 30_000,
    promptTimeout: 30_000,
    formTimeout: 90_000,
    errorTimeout: 20_000,
  },
  retry: { attempts: 4, baseMs: 2_000, maxMs: 15_000 },
  policyRefreshMs: 5 * 60_000,
};

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

export function isLoginResponse(value: unknown): value is TerminalLoginResponse {
  return isObject(value) && value.result === 'authenticated' && isPublicUser(value.user);
}

const METHODS: readonly string[] = ['password', 'otp', 'pin'];
const isMethodList = (value: unknown): value is EnrollmentMethod[] =>
  Array.isArray(value) && value.every((method) => METHODS.includes(method as string));

export function isTerminalPolicy(value: unknown): value is TerminalPolicy {
  return (
    isObject(value) && isMethodList(value.enrollmentMethods) && isMethodList(value.loginMethods)
  );
}

/** The host builds the config itself, so a light check is enough: the right shape at the top. */
export function isPageConfig(value: unknown): value is KioskPageConfig {
  return (
    isObject(value) &&
    isLanguage(value.language) &&
    isObject(value.delays) &&
    isObject(value.retry) &&
    isObject(value.wedge) &&
    typeof value.enrollWithoutPrompt === 'boolean'
  );
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
