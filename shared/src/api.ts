import { z } from 'zod';

/**
 * The terminal and admin HTTP API of the Cardbind server, version 1.
 * These schemas are the contract between server, kiosk and CLI: change them only compatibly.
 */

export const API_PREFIX = '/api/v1';

export const ERROR_CODES = [
  'invalid_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'invalid_credentials',
  'card_already_bound',
  'enrollment_expired',
  'credential_expired',
  'method_not_allowed',
  'too_many_attempts',
  'payload_too_large',
  // 409: the name (username, terminal name, print queue name) is taken; choose another.
  'already_exists',
  'internal_error',
  // Only the kiosk host answers this one: the Cardbind server could not be reached.
  'server_unreachable',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const ErrorBody = z.object({
  error: z.object({
    code: z.enum(ERROR_CODES),
    message: z.string(),
    /** With `too_many_attempts`: how long to wait (also sent as the Retry-After header). */
    retryAfterSeconds: z.number().int().optional(),
    /** With `invalid_credentials`: failures left before attempts are delayed. */
    attemptsLeft: z.number().int().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** Card ids as they travel on the wire: already normalized by the reader profile. */
export const CardId = z
  .string()
  .min(1, 'cardId must not be empty')
  .max(128, 'cardId must be at most 128 characters')
  .regex(/^[\x21-\x7e]+$/, 'cardId must be printable ASCII without spaces');

export const PublicUser = z.object({ username: z.string(), fullName: z.string() });
export type PublicUser = z.infer<typeof PublicUser>;

export const CardAuthRequest = z.strictObject({ cardId: CardId });
export type CardAuthRequest = z.infer<typeof CardAuthRequest>;

export const CardAuthResponse = z.discriminatedUnion('result', [
  z.object({ result: z.literal('known'), user: PublicUser }),
  z.object({
    result: z.literal('unknown'),
    enrollmentToken: z.string(),
    expiresAt: z.iso.datetime(),
    /** Set when the card was enrolled as temporary and has expired: it may be enrolled again. */
    reason: z.literal('card_expired').optional(),
  }),
]);
export type CardAuthResponse = z.infer<typeof CardAuthResponse>;

/** The secret typed at the panel: account password, one-time password, or the user's PIN (short ID). */
export const ENROLLMENT_METHODS = ['password', 'otp', 'pin'] as const;
export type EnrollmentMethod = (typeof ENROLLMENT_METHODS)[number];

export const EnrollRequest = z.strictObject({
  enrollmentToken: z.string().min(1).max(256),
  username: z.string().trim().min(1, 'username must not be empty').max(128),
  secret: z.string().min(1, 'secret must not be empty').max(1024),
  method: z.enum(ENROLLMENT_METHODS),
});
export type EnrollRequest = z.infer<typeof EnrollRequest>;

export const TerminalLoginRequest = z.discriminatedUnion('method', [
  z.strictObject({
    method: z.enum(['password', 'otp']),
    username: z.string().trim().min(1, 'username must not be empty').max(128),
    secret: z.string().min(1, 'secret must not be empty').max(1024),
  }),
  z.strictObject({
    method: z.literal('pin'),
    pin: z.string().regex(/^[0-9]{4,16}$/, 'pin must be 4 to 16 digits'),
  }),
]);
export type TerminalLoginRequest = z.infer<typeof TerminalLoginRequest>;

export const TerminalLoginResponse = z.object({
  result: z.literal('authenticated'),
  user: PublicUser,
});
export type TerminalLoginResponse = z.infer<typeof TerminalLoginResponse>;

export const GeneratedOtp = z.object({ otp: z.string(), expiresAt: z.iso.datetime() });
export type GeneratedOtp = z.infer<typeof GeneratedOtp>;

export const GeneratedPin = z.object({
  pin: z.string(),
  /** null: the PIN does not expire. */
  expiresAt: z.iso.datetime().nullable(),
});
export type GeneratedPin = z.infer<typeof GeneratedPin>;

export const EnrollResponse = z.object({ result: z.literal('enrolled'), user: PublicUser });
export type EnrollResponse = z.infer<typeof EnrollResponse>;

export const EnrolledCard = z.object({
  cardId: z.string(),
  username: z.string(),
  fullName: z.string(),
  createdAt: z.iso.datetime(),
  terminal: z.string().nullable(),
  /** Temporary cards: when they stop working. */
  expiresAt: z.iso.datetime().nullable(),
  /** `panel`, `admin` or `directory`. */
  source: z.string(),
});
export type EnrolledCard = z.infer<typeof EnrolledCard>;

export const CardListResponse = z.object({
  cards: z.array(EnrolledCard),
  /** Cards matching the search, over all pages. */
  total: z.number().int(),
});
export type CardListResponse = z.infer<typeof CardListResponse>;
