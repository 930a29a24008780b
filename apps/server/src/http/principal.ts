import type { FastifyRequest } from 'fastify';
import type { ServerContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { ADMIN_PERMISSIONS, permissionsOfRoles, type Permission } from '../permissions.ts';
import { hashToken } from '../secrets.ts';
import type { AuditEvent } from '../store/audit.ts';
import type { SessionRecord } from '../store/sessions.ts';
import type { ApiTokenRecord, UserRecord } from '../store/store.ts';
import { ACCESS_COOKIE, checkCsrf, readCookie } from './cookie-session.ts';

/** Who is calling: a logged-in user (session), or an admin API token. */
export type Principal =
  | { kind: 'user'; user: UserRecord; session: SessionRecord; permissions: Set<Permission> }
  | { kind: 'admin-token'; token: ApiTokenRecord; permissions: Set<Permission> };

export function bearerToken(request: FastifyRequest): string | undefined {
  return bearerOf(request.headers.authorization);
}

/** The token of an `Authorization: Bearer …` header. */
export function bearerOf(authorization: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
}

export async function principalOf(
  context: ServerContext,
  request: FastifyRequest,
): Promise<Principal | undefined> {
  const bearer = bearerToken(request);
  const cookieToken = bearer === undefined ? readCookie(request, ACCESS_COOKIE) : undefined;
  const token = bearer ?? cookieToken;
  if (!token) return undefined;
  if (bearer !== undefined && token.startsWith('cba_')) {
    const found = await context.store.findApiTokenByHash(hashToken(token));
    return found && { kind: 'admin-token', token: found, permissions: new Set(ADMIN_PERMISSIONS) };
  }
  const current = await context.sessions.authenticate(token);
  if (!current) return undefined;
  // Browsers send cookies by themselves; only a same-origin page knows the CSRF token.
  if (cookieToken !== undefined) checkCsrf(context.serverKey, request, current.session.id);
  const roles = await context.store.rolesOfUser(current.user.id);
  return { kind: 'user', ...current, permissions: permissionsOfRoles(roles) };
}

/** The caller, who must hold every permission named; 401 when unknown, 403 when not allowed. */
export async function requirePermissions(
  context: ServerContext,
  request: FastifyRequest,
  ...needed: Permission[]
): Promise<Principal> {
  const principal = await principalOf(context, request);
  if (!principal) {
    throw new ApiError(
      401,
      'unauthorized',
      'Log in first (POST /api/v1/auth/token) or send an admin API token as "Authorization: Bearer <token>".',
    );
  }
  const missing = needed.filter((p) => !principal.permissions.has(p));
  if (missing.length > 0) {
    throw new ApiError(
      403,
      'forbidden',
      `You need the ${missing.join(' and ')} permission${missing.length > 1 ? 's' : ''} for this. Ask an administrator.`,
    );
  }
  return principal;
}

/** The logged-in user behind a principal; admin API tokens have no profile of their own. */
export function userOf(principal: Principal): { user: UserRecord; session: SessionRecord } {
  if (principal.kind !== 'user') {
    throw new ApiError(403, 'forbidden', 'An admin API token has no profile; log in as a user.');
  }
  return principal;
}

export function actorOf(principal: Principal): string {
  return principal.kind === 'user'
    ? `user:${principal.user.username}`
    : `admin-token:${principal.token.name}`;
}

type ActionDetails = { subject?: string | null; card?: string | null; detail?: string | null };

/** The audit event of a successful action of this caller (never with secrets). */
export function actionEvent(
  context: ServerContext,
  principal: Principal,
  action: string,
  details: ActionDetails = {},
): AuditEvent {
  return {
    at: context.now().toISOString(),
    action,
    outcome: 'success',
    actor: actorOf(principal),
    subject: details.subject ?? null,
    terminal: null,
    card: details.card ?? null,
    detail: details.detail ?? null,
  };
}

/** Records a successful action of this caller in the audit log (never with secrets). */
export function auditAction(
  context: ServerContext,
  principal: Principal,
  action: string,
  details: ActionDetails = {},
): Promise<void> {
  return context.store.audit.record(actionEvent(context, principal, action, details));
}

/** A session as the API shows it: never its tokens. */
export function sessionView(session: SessionRecord) {
  return {
    id: session.id,
    clientId: session.clientId,
    userAgent: session.userAgent,
    createdAt: session.createdAt,
    expiresAt: session.expiresAt,
  };
}
