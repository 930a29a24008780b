import { z } from 'zod';
import { MAIL_LANGUAGES } from '../mail/templates.ts';

/**
 * Request schemas of the HTTP API: the routes validate with them, the OpenAPI document describes
 * them. Response schemas (at the end) type what the routes build, so the document cannot drift.
 */

/** A language of the portal and of e-mails. */
export const Language = z.enum(MAIL_LANGUAGES);

export const Page = {
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
};
export const CardListQuery = z.strictObject({
  ...Page,
  search: z.string().trim().max(200).optional(),
  sort: z.enum(['createdAt', 'cardId', 'username']).default('createdAt'),
  order: z.enum(['asc', 'desc']).default('desc'),
});
export const CardExportQuery = z.strictObject({ search: z.string().trim().max(200).optional() });
export const CardImportQuery = z.strictObject({
  /** Plan only, unless `false`: admins see what would change before anything does. */
  dryRun: z.enum(['true', 'false']).default('true'),
  /** Import the good lines even though others have errors (which the report lists). */
  skipErrors: z.enum(['true', 'false']).default('false'),
  /** Move a card another user has to the user the file names (each move is audited). */
  reassign: z.enum(['true', 'false']).default('false'),
});
export const AuditQuery = z.strictObject({
  ...Page,
  action: z.string().max(100).optional(),
  actor: z.string().max(300).optional(),
  subject: z.string().max(300).optional(),
  outcome: z.enum(['success', 'failure', 'denied']).optional(),
  from: z.iso.datetime().optional(),
  to: z.iso.datetime().optional(),
});
export const UserParams = z.strictObject({ username: z.string().min(1).max(128) });
export const SessionParams = z.strictObject({ id: z.coerce.number().int().positive() });

export const PinResetRequest = z.strictObject({ username: z.string().trim().min(1).max(128) });

export const ProfileChanges = z.strictObject({
  fullName: z.string().trim().min(1, 'must not be empty').max(200).optional(),
  email: z.email('must be an e-mail address').nullable().optional(),
  /**
   * Of the portal and of e-mails to the user; directory accounts may change it too. Null: no
   * choice (the portal follows the browser, e-mails use the site's language).
   */
  language: Language.nullable().optional(),
});
export const PasswordChange = z.strictObject({
  currentPassword: z.string().min(1).max(1024),
  newPassword: z.string().min(8, 'must be at least 8 characters').max(1024),
});

export const UserListQuery = z.strictObject({
  ...Page,
  search: z.string().trim().max(200).optional(),
  group: z.string().max(200).optional(),
  source: z.string().max(100).optional(),
});
export const NewUserRequest = z.strictObject({
  username: z.string(),
  fullName: z.string(),
  email: z.string().nullable().default(null),
  password: z.string().nullable().default(null),
  /** Left out or null: the user has not chosen one yet. */
  language: Language.nullable().optional(),
  groups: z.array(z.string().min(1).max(200)).max(100).optional(),
});
export const UserChanges = z.strictObject({
  fullName: z.string().trim().min(1, 'must not be empty').max(200).optional(),
  email: z.email('must be an e-mail address').nullable().optional(),
  language: Language.nullable().optional(),
  disabled: z.boolean().optional(),
});
export const PasswordReset = z.strictObject({
  password: z.string().min(8, 'must be at least 8 characters').max(1024),
});
export const GroupList = z.strictObject({
  groups: z.array(z.string().min(1).max(200)).max(100),
});
export const GroupParams = z.strictObject({ name: z.string().min(1).max(200) });
export const RoleList = z.strictObject({
  roles: z.array(
    z.enum(['self-service', 'card-manager', 'user-manager', 'auditor', 'administrator']),
  ),
});
export const TerminalParams = z.strictObject({ name: z.string().min(1).max(100) });
/** A terminal's name, to add one or rename it. */
export const TerminalName = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
});
export const CardParams = z.strictObject({ cardId: z.string().min(1).max(128) });
export const NewCardRequest = z.strictObject({
  cardId: z
    .string()
    .trim()
    .min(1)
    .max(128)
    .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces'),
});

/** Portal login: the grants of `POST /api/v1/auth/token` without client id or refresh. */
export const CookieLoginRequest = z.discriminatedUnion('grant_type', [
  z.strictObject({
    grant_type: z.literal('password'),
    username: z.string().trim().min(1).max(128),
    password: z.string().min(1).max(1024),
  }),
  z.strictObject({
    grant_type: z.literal('otp'),
    username: z.string().trim().min(1).max(128),
    otp: z.string().min(1).max(64),
  }),
  z.strictObject({
    grant_type: z.literal('pin'),
    pin: z.string().regex(/^[0-9]{4,16}$/, 'pin must be 4 to 16 digits'),
  }),
]);

/* Response schemas: the routes' answers are typed with `z.infer` of these. */

/** A terminal as the API shows it: never its token or token hash. */
export const TerminalView = z.object({
  name: z.string(),
  createdAt: z.string(),
  lastSeenAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  /** Cards enrolled at this terminal. */
  cards: z.number().int(),
});
export type TerminalView = z.infer<typeof TerminalView>;

/** Whether the user has a PIN, and how long it lasts; never the PIN itself. */
const PinStatus = z.object({
  length: z.number().int(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
});

/** `GET /me`: the logged-in user's own account. */
export const MyProfile = z.object({
  username: z.string(),
  fullName: z.string(),
  email: z.string().nullable(),
  /** `local`, or the directory the account comes from. */
  source: z.string(),
  /** Null until the user chooses one: the portal follows the browser, e-mails the site. */
  language: Language.nullable(),
  groups: z.array(z.string()),
  permissions: z.array(z.string()),
  cards: z.array(
    z.object({
      /** Masked: the full number is not needed to recognise one's own card. */
      cardId: z.string(),
      createdAt: z.string(),
      terminal: z.string().nullable(),
    }),
  ),
  pin: PinStatus.nullable(),
});
export type MyProfile = z.infer<typeof MyProfile>;
