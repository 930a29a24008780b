import {
  CardAuthRequest,
  CardAuthResponse,
  CardListResponse,
  EnrollRequest,
  EnrollResponse,
  ErrorBody,
  GeneratedOtp,
  GeneratedPin,
  TerminalLoginRequest,
  TerminalLoginResponse,
} from '@cardbind/shared';
import { SettingsAdvice } from '../settings-advice.ts';
import { ImportReport } from '../card-import.ts';
import { z } from 'zod';
import { SiteSettings } from '../settings.ts';
import { TokenRequest } from '../sessions.ts';
import {
  AuditQuery,
  CardExportQuery,
  CardImportQuery,
  CardListQuery,
  CardParams,
  CookieLoginRequest,
  GroupList,
  GroupParams,
  MyProfile,
  NewCardRequest,
  NewUserRequest,
  PasswordReset,
  RoleList,
  UserChanges,
  UserListQuery,
  PasswordChange,
  PinResetRequest,
  ProfileChanges,
  SessionParams,
  TerminalName,
  TerminalParams,
  TerminalView,
  UserParams,
} from './schemas.ts';
import { PRINTER_OPERATIONS } from './printer-operations.ts';
import { StoredAuditEvent } from '../store/audit.ts';

type Security = 'none' | 'terminal' | 'user' | 'admin';

interface Operation {
  summary: string;
  security: Security;
  /** Permissions a user (or admin token) needs; documentation of `requirePermissions`. */
  permissions?: string[];
  body?: z.ZodType;
  query?: z.ZodObject;
  params?: z.ZodObject;
  /** Status and schema of the success answer; `null`: no body. */
  success: [number, z.ZodType | null];
  errors: number[];
}

/** Operations by path, then by HTTP method. */
export type Operations = Record<
  string,
  Partial<Record<'get' | 'post' | 'put' | 'patch' | 'delete', Operation>>
>;

const CookieSession = z.object({ csrfToken: z.string(), expiresIn: z.number().int() });

const TokenResponse = z.object({
  access_token: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int(),
  refresh_token: z.string(),
});

/**
 * Every endpoint of the API, described with the very schemas that validate its requests. A test
 * checks that every route the server registers appears here, so the two cannot drift apart.
 */
export const OPERATIONS: Operations = {
  '/healthz': {
    get: {
      summary: 'Liveness check',
      security: 'none',
      success: [200, z.object({ status: z.literal('ok') })],
      errors: [],
    },
  },
  '/api/v1/openapi.json': {
    get: { summary: 'This document', security: 'none', success: [200, z.object({})], errors: [] },
  },
  '/api/v1/terminal/card-auth': {
    post: {
      summary: 'Identify a swiped card; offer enrollment for an unknown one',
      security: 'terminal',
      body: CardAuthRequest,
      success: [200, CardAuthResponse],
      errors: [400, 401, 403, 413],
    },
  },
  '/api/v1/terminal/enroll': {
    post: {
      summary: 'Bind the card of an enrollment token to an account',
      security: 'terminal',
      body: EnrollRequest,
      success: [201, EnrollResponse],
      errors: [400, 401, 403, 409, 410, 413, 423, 429],
    },
  },
  '/api/v1/terminal/login': {
    post: {
      summary: 'Log in at a panel without a card',
      security: 'terminal',
      body: TerminalLoginRequest,
      success: [200, TerminalLoginResponse],
      errors: [400, 401, 403, 423, 429],
    },
  },
  '/api/v1/terminal/policy': {
    get: {
      summary: 'Methods the panel may offer',
      security: 'terminal',
      success: [
        200,
        z.object({ enrollmentMethods: z.array(z.string()), loginMethods: z.array(z.string()) }),
      ],
      errors: [401],
    },
  },
  '/api/v1/auth/token': {
    post: {
      summary: 'Open a session (password, OTP or PIN grant) or refresh one',
      security: 'none',
      body: TokenRequest,
      success: [200, TokenResponse],
      errors: [400, 401, 423, 429],
    },
  },
  '/api/v1/auth/pin-reset': {
    post: {
      summary: 'E-mail a new PIN to a user who forgot theirs',
      security: 'none',
      body: PinResetRequest,
      success: [202, z.object({ result: z.literal('accepted'), message: z.string() })],
      errors: [400, 403, 429],
    },
  },
  '/api/v1/auth/cookie': {
    post: {
      summary: 'Portal login: session tokens in HttpOnly cookies, a CSRF token in the answer',
      security: 'none',
      body: CookieLoginRequest,
      success: [200, CookieSession],
      errors: [400, 401, 423, 429],
    },
  },
  '/api/v1/auth/cookie/refresh': {
    post: {
      summary: 'Rotate the portal session (needs the x-csrf-token header)',
      security: 'none',
      success: [200, CookieSession],
      errors: [401, 403],
    },
  },
  '/api/v1/auth/cookie/logout': {
    post: {
      summary: 'End the portal session and clear its cookies',
      security: 'none',
      success: [204, null],
      errors: [403],
    },
  },
  '/api/v1/auth/logout': {
    post: {
      summary: 'End the current session',
      security: 'user',
      success: [204, null],
      errors: [401, 403],
    },
  },
  '/api/v1/me': {
    get: {
      summary: 'My profile',
      security: 'user',
      permissions: ['ViewMyProfile'],
      success: [200, MyProfile],
      errors: [401, 403],
    },
    patch: {
      summary: 'Change my name or e-mail (local accounts) or my language (any account)',
      security: 'user',
      permissions: ['ModifyMyProfile'],
      body: ProfileChanges,
      success: [204, null],
      errors: [400, 401, 403],
    },
  },
  '/api/v1/me/password': {
    put: {
      summary: 'Change my password (local accounts)',
      security: 'user',
      permissions: ['ModifyMyProfile'],
      body: PasswordChange,
      success: [204, null],
      errors: [400, 401, 403, 429],
    },
  },
  '/api/v1/me/otp': {
    post: {
      summary: 'Generate a one-time password, shown once',
      security: 'user',
      permissions: ['ModifyMyProfile', 'GenerateOTP'],
      success: [201, GeneratedOtp],
      errors: [401, 403],
    },
  },
  '/api/v1/me/pin': {
    post: {
      summary: 'Generate a new PIN (short ID), shown once',
      security: 'user',
      permissions: ['ModifyMyProfile', 'GenerateShortID'],
      success: [201, GeneratedPin],
      errors: [401, 403],
    },
  },
  '/api/v1/me/sessions': {
    get: {
      summary: 'My sessions',
      security: 'user',
      permissions: ['ViewMyProfile'],
      success: [200, z.object({})],
      errors: [401, 403],
    },
  },
  '/api/v1/me/sessions/{id}': {
    delete: {
      summary: 'End one of my sessions',
      security: 'user',
      permissions: ['ModifyMyProfile'],
      params: SessionParams,
      success: [204, null],
      errors: [401, 403, 404],
    },
  },
  '/api/v1/cards': {
    get: {
      summary: 'Enrolled cards, newest first',
      security: 'admin',
      permissions: ['ViewCards'],
      query: CardListQuery,
      success: [200, CardListResponse],
      errors: [400, 401, 403],
    },
  },
  '/api/v1/cards/export.csv': {
    get: {
      summary: 'All cards matching a search as CSV (formula cells guarded)',
      security: 'admin',
      permissions: ['ViewCards'],
      query: CardExportQuery,
      success: [200, z.string()],
      errors: [400, 401, 403],
    },
  },
  '/api/v1/cards/import': {
    post: {
      summary:
        'Import card assignments from CSV (username, cardId[, expiresAt]): cards to add, changes (expiry; another owner only with reassign=true) and errors per line; a dry run unless dryRun=false, all or nothing unless skipErrors=true',
      security: 'admin',
      permissions: ['ManageCards'],
      query: CardImportQuery,
      success: [200, ImportReport],
      errors: [400, 401, 403, 413, 415],
    },
  },
  '/api/v1/users/{username}/otp': {
    post: {
      summary: "Generate a user's one-time password",
      security: 'admin',
      permissions: ['ManageUsers'],
      params: UserParams,
      success: [201, GeneratedOtp],
      errors: [401, 403, 404],
    },
  },
  '/api/v1/users/{username}/pin': {
    post: {
      summary: "Generate a user's PIN",
      security: 'admin',
      permissions: ['ManageUsers'],
      params: UserParams,
      success: [201, GeneratedPin],
      errors: [401, 403, 404],
    },
  },
  '/api/v1/users/{username}/unlock': {
    post: {
      summary: 'Clear the failed-attempt counter of an account',
      security: 'admin',
      permissions: ['ManageUsers'],
      params: UserParams,
      success: [204, null],
      errors: [401, 403, 404],
    },
  },
  '/api/v1/sessions/{id}': {
    delete: {
      summary: "Revoke anyone's session",
      security: 'admin',
      permissions: ['ManageUsers'],
      params: SessionParams,
      success: [204, null],
      errors: [401, 403, 404],
    },
  },
  '/api/v1/users': {
    get: {
      summary: 'Search users',
      security: 'admin',
      permissions: ['ManageUsers'],
      query: UserListQuery,
      success: [200, z.object({})],
      errors: [400, 401, 403],
    },
    post: {
      summary: 'Create a local user',
      security: 'admin',
      permissions: ['ManageUsers'],
      body: NewUserRequest,
      success: [201, z.object({})],
      errors: [400, 401, 403, 409],
    },
  },
  '/api/v1/users/{username}': {
    get: {
      summary: 'A user with groups, roles, cards and PIN validity',
      security: 'admin',
      permissions: ['ManageUsers'],
      params: UserParams,
      success: [200, z.object({})],
      errors: [401, 403, 404],
    },
    patch: {
      summary: 'Edit or disable a user (name and e-mail of local users only)',
      security: 'admin',
      permissions: ['ManageUsers'],
      params: UserParams,
      body: UserChanges,
      success: [204, null],
      errors: [400, 401, 403, 404],
    },
  },
  '/api/v1/users/{username}/password': {
    put: {
      summary: "Reset a local user's password",
      security: 'admin',
      permissions: ['ManageUsers'],
      params: UserParams,
      body: PasswordReset,
      success: [204, null],
      errors: [400, 401, 403, 404],
    },
  },
  '/api/v1/users/{username}/groups': {
    put: {
      summary: "Set a user's groups (ADMINISTRATORS also needs ManageSettings)",
      security: 'admin',
      permissions: ['ManageUsers'],
      params: UserParams,
      body: GroupList,
      success: [204, null],
      errors: [400, 401, 403, 404],
    },
  },
  '/api/v1/users/{username}/sessions': {
    get: {
      summary: "A user's sessions",
      security: 'admin',
      permissions: ['ManageUsers'],
      params: UserParams,
      success: [200, z.object({})],
      errors: [401, 403, 404],
    },
  },
  '/api/v1/users/{username}/cards': {
    post: {
      summary: 'Assign a card to a user',
      security: 'admin',
      permissions: ['ManageCards'],
      params: UserParams,
      body: NewCardRequest,
      success: [201, z.object({})],
      errors: [400, 401, 403, 404, 409],
    },
  },
  '/api/v1/cards/{cardId}': {
    delete: {
      summary: 'Remove an enrolled card',
      security: 'admin',
      permissions: ['ManageCards'],
      params: CardParams,
      success: [204, null],
      errors: [401, 403, 404],
    },
  },
  '/api/v1/groups': {
    get: {
      summary: 'Groups with their roles and member counts',
      security: 'admin',
      permissions: ['ManageUsers'],
      success: [200, z.object({})],
      errors: [401, 403],
    },
  },
  '/api/v1/groups/{name}/roles': {
    put: {
      summary: "Set a group's roles",
      security: 'admin',
      permissions: ['ManageSettings'],
      params: GroupParams,
      body: RoleList,
      success: [204, null],
      errors: [400, 401, 403],
    },
  },
  '/api/v1/terminals': {
    get: {
      summary: 'Terminals with last seen, revocation and cards enrolled there',
      security: 'admin',
      permissions: ['ManageTerminals'],
      success: [200, z.object({ terminals: z.array(TerminalView) })],
      errors: [401, 403],
    },
    post: {
      summary: 'Register a terminal; the answer holds its token, shown this once',
      security: 'admin',
      permissions: ['ManageTerminals'],
      body: TerminalName,
      success: [201, z.object({ terminal: TerminalView, token: z.string() })],
      errors: [400, 401, 403, 409],
    },
  },
  '/api/v1/terminals/{name}': {
    patch: {
      summary: 'Rename a terminal (its token stays valid)',
      security: 'admin',
      permissions: ['ManageTerminals'],
      params: TerminalParams,
      body: TerminalName,
      success: [200, TerminalView],
      errors: [400, 401, 403, 404, 409],
    },
  },
  '/api/v1/terminals/{name}/revoke': {
    post: {
      summary: 'Revoke a terminal: its token stops working at once (repeating it changes nothing)',
      security: 'admin',
      permissions: ['ManageTerminals'],
      params: TerminalParams,
      success: [200, TerminalView],
      errors: [401, 403, 404],
    },
  },
  '/api/v1/settings': {
    get: {
      summary: 'Site settings',
      security: 'admin',
      permissions: ['ManageSettings'],
      success: [200, SiteSettings],
      errors: [401, 403],
    },
    put: {
      summary: 'Replace the site settings',
      security: 'admin',
      permissions: ['ManageSettings'],
      body: SiteSettings,
      success: [200, SiteSettings],
      errors: [400, 401, 403],
    },
  },
  '/api/v1/settings/advice': {
    get: {
      summary:
        'Settings that leave people without a way in (temporary PINs nobody receives, e-mail without SMTP ...)',
      security: 'admin',
      permissions: ['ManageSettings'],
      success: [200, z.object({ advice: z.array(SettingsAdvice) })],
      errors: [401, 403],
    },
  },
  '/api/v1/pin-policy': {
    get: {
      summary: 'PIN length needed for the number of users, and PINs now too short',
      security: 'admin',
      permissions: ['ManageSettings'],
      success: [200, z.object({})],
      errors: [401, 403],
    },
  },
  '/api/v1/audit': {
    get: {
      summary: 'Audit log of credential and card events, newest first, with the matching total',
      security: 'admin',
      permissions: ['ViewAudit'],
      query: AuditQuery,
      success: [200, z.object({ events: z.array(StoredAuditEvent), total: z.number().int() })],
      errors: [400, 401, 403],
    },
  },
  ...PRINTER_OPERATIONS,
};

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' });

function parameters(schema: z.ZodObject | undefined, where: 'query' | 'path') {
  if (!schema) return [];
  const shape = jsonSchema(schema, 'input') as {
    properties?: Record<string, object>;
    required?: string[];
  };
  return Object.entries(shape.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (shape.required ?? []).includes(name),
    schema: property,
  }));
}

const SECURITY: Record<Security, Array<Record<string, string[]>>> = {
  none: [],
  terminal: [{ terminalToken: [] }],
  user: [{ sessionToken: [] }],
  admin: [{ sessionToken: [] }, { adminToken: [] }],
};

/** The OpenAPI 3.1 document of the API. */
export function openApiDocument(): object {
  const errorSchema = jsonSchema(ErrorBody, 'output');
  const paths: Record<string, Record<string, object>> = {};
  for (const [path, methods] of Object.entries(OPERATIONS)) {
    paths[path] = {};
    for (const [method, op] of Object.entries(methods)) {
      const [status, success] = op.success;
      paths[path][method] = {
        summary: op.summary,
        ...(op.permissions
          ? { description: `Needs permission(s): ${op.permissions.join(', ')}.` }
          : {}),
        security: SECURITY[op.security],
        parameters: [...parameters(op.params, 'path'), ...parameters(op.query, 'query')],
        ...(op.body
          ? {
              requestBody: {
                required: true,
                content: { 'application/json': { schema: jsonSchema(op.body, 'input') } },
              },
            }
          : {}),
        responses: {
          [status]: success
            ? {
                description: 'Success',
                content: { 'application/json': { schema: jsonSchema(success, 'output') } },
              }
            : { description: 'Success, no content' },
          ...Object.fromEntries(
            op.errors.map((code) => [
              code,
              { description: 'Error', content: { 'application/json': { schema: errorSchema } } },
            ]),
          ),
        },
      };
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Cardbind API',
      version: '1',
      description:
        'Card enrollment for printers and print kiosks. Errors are always {"error":{"code","message"}}.',
    },
    components: {
      securitySchemes: {
        terminalToken: { type: 'http', scheme: 'bearer', description: 'Terminal token (cbt_…)' },
        sessionToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'Session access token (cbs_…)',
        },
        adminToken: { type: 'http', scheme: 'bearer', description: 'Admin API token (cba_…)' },
      },
    },
    paths,
  };
}
