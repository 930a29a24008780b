import { API_PREFIX, maskCardId } from '@cardbind/shared';
import type { FastifyInstance } from 'fastify';
import {
  Language,
  type MyProfile,
  PasswordChange,
  ProfileChanges,
  SessionParams,
} from './schemas.ts';
import type { ServerContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import type { UserRecord } from '../store/store.ts';
import { parse } from './validation.ts';
import { auditAction, requirePermissions, sessionView, userOf } from './principal.ts';

/** "My profile": what a logged-in user may see and do about their own account. */
export function registerSelfServiceRoutes(app: FastifyInstance, context: ServerContext): void {
  const { store, credentials, settings, admin } = context;

  app.get(`${API_PREFIX}/me`, async (request) => {
    const principal = await requirePermissions(context, request, 'ViewMyProfile');
    const { user } = userOf(principal);
    const pin = await store.credentials.findPinOfUser(user.id);
    const profile: MyProfile = {
      username: user.username,
      fullName: user.fullName,
      email: user.email,
      source: user.source,
      language: chosenLanguage(user.language),
      groups: await store.groupsOfUser(user.id),
      permissions: [...principal.permissions].sort(),
      cards: (await store.cardsOfUser(user.id)).map((c) => ({
        cardId: maskCardId(c.cardId),
        createdAt: c.createdAt,
        terminal: c.terminal,
      })),
      pin: pin ? { length: pin.length, createdAt: pin.createdAt, expiresAt: pin.expiresAt } : null,
    };
    return profile;
  });

  app.patch(`${API_PREFIX}/me`, async (request, reply) => {
    const principal = await requirePermissions(context, request, 'ModifyMyProfile');
    const { user } = userOf(principal);
    const changes = parse(ProfileChanges, request.body);
    // Name and e-mail of directory accounts come from the directory; the language is ours.
    if (changes.fullName !== undefined || changes.email !== undefined) requireLocal(user);
    await store.updateUser(user.id, changes);
    await auditAction(context, principal, 'profile.update', { subject: `user:${user.username}` });
    return reply.status(204).send();
  });

  app.put(`${API_PREFIX}/me/password`, async (request, reply) => {
    const principal = await requirePermissions(context, request, 'ModifyMyProfile');
    const { user, session } = userOf(principal);
    requireLocal(user);
    const change = parse(PasswordChange, request.body);
    await context.authenticator.verify(
      { kind: 'client', clientId: session.clientId, address: request.ip },
      user.username,
      'password',
      change.currentPassword,
      { action: 'password.change' },
    );
    await admin.setPassword(user.id, change.newPassword);
    await auditAction(context, principal, 'password.change', { subject: `user:${user.username}` });
    return reply.status(204).send();
  });

  app.post(`${API_PREFIX}/me/otp`, async (request, reply) => {
    const principal = await requirePermissions(context, request, 'ModifyMyProfile', 'GenerateOTP');
    const { user } = userOf(principal);
    const otp = await credentials.generateOtp(user);
    await auditAction(context, principal, 'otp.generate', { subject: `user:${user.username}` });
    return reply.status(201).header('cache-control', 'no-store').send(otp);
  });

  app.post(`${API_PREFIX}/me/pin`, async (request, reply) => {
    const principal = await requirePermissions(
      context,
      request,
      'ModifyMyProfile',
      'GenerateShortID',
    );
    const { user } = userOf(principal);
    if (!(await settings.get()).pin.userCanChange) {
      throw new ApiError(
        403,
        'forbidden',
        'Users may not generate their own PIN on this site. Ask an administrator for a new PIN.',
      );
    }
    const pin = await credentials.generatePin(user);
    await auditAction(context, principal, 'pin.generate', { subject: `user:${user.username}` });
    return reply.status(201).header('cache-control', 'no-store').send(pin);
  });

  app.get(`${API_PREFIX}/me/sessions`, async (request) => {
    const principal = await requirePermissions(context, request, 'ViewMyProfile');
    const { user, session: current } = userOf(principal);
    const sessions = await store.sessions.listForUser(user.id, context.now().toISOString());
    return {
      sessions: sessions.map((s) => ({ ...sessionView(s), current: s.id === current.id })),
    };
  });

  app.delete(`${API_PREFIX}/me/sessions/:id`, async (request, reply) => {
    const principal = await requirePermissions(context, request, 'ModifyMyProfile');
    const { user } = userOf(principal);
    const { id } = parse(SessionParams, request.params);
    const session = await store.sessions.find(id);
    if (!session || session.userId !== user.id || session.revokedAt !== null) {
      throw new ApiError(404, 'not_found', 'You have no such session. Reload the list.');
    }
    await store.sessions.revoke(id, context.now().toISOString());
    await auditAction(context, principal, 'session.revoke', { subject: `user:${user.username}` });
    return reply.status(204).send();
  });
}

/**
 * The stored language as the API documents it. Every write goes through the `Language` enum,
 * so this only narrows the type; a value outside it (a hand-edited database) reads as no
 * choice, which makes the portal follow the browser rather than guess.
 */
function chosenLanguage(stored: string | null): MyProfile['language'] {
  const parsed = Language.safeParse(stored);
  return parsed.success ? parsed.data : null;
}

function requireLocal(user: UserRecord): void {
  if (user.source !== 'local') {
    throw new ApiError(
      403,
      'forbidden',
      `Your name, e-mail and password come from the directory "${user.source}" and can only be changed there.`,
    );
  }
}
