import { API_PREFIX } from '@cardbind/shared';
import type { FastifyInstance } from 'fastify';
import { AuditQuery, CardListQuery, SessionParams, UserParams } from './schemas.ts';
import type { ServerContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { parse } from './validation.ts';
import { auditAction, requirePermissions } from './principal.ts';

/** Administration: cards, credentials for users, settings, audit. */
export function registerAdminRoutes(app: FastifyInstance, context: ServerContext): void {
  const { store, admin, settings, credentials } = context;

  app.get(`${API_PREFIX}/cards`, async (request) => {
    await requirePermissions(context, request, 'ViewCards');
    return { cards: await store.listCards(parse(CardListQuery, request.query)) };
  });

  app.post(`${API_PREFIX}/users/:username/otp`, async (request, reply) => {
    const principal = await requirePermissions(context, request, 'ManageUsers');
    const { username } = parse(UserParams, request.params);
    const otp = await admin.generateOtp(username);
    await auditAction(context, principal, 'otp.generate', { subject: `user:${username}` });
    return reply.status(201).header('cache-control', 'no-store').send(otp);
  });

  app.post(`${API_PREFIX}/users/:username/pin`, async (request, reply) => {
    const principal = await requirePermissions(context, request, 'ManageUsers');
    const { username } = parse(UserParams, request.params);
    const pin = await admin.generatePin(username);
    await auditAction(context, principal, 'pin.generate', { subject: `user:${username}` });
    return reply.status(201).header('cache-control', 'no-store').send(pin);
  });

  app.post(`${API_PREFIX}/users/:username/unlock`, async (request, reply) => {
    const principal = await requirePermissions(context, request, 'ManageUsers');
    const { username } = parse(UserParams, request.params);
    await admin.unlock(username);
    await auditAction(context, principal, 'account.unlock', { subject: `user:${username}` });
    return reply.status(204).send();
  });

  app.delete(`${API_PREFIX}/sessions/:id`, async (request, reply) => {
    const principal = await requirePermissions(context, request, 'ManageUsers');
    const { id } = parse(SessionParams, request.params);
    if (!(await store.sessions.revoke(id, context.now().toISOString()))) {
      throw new ApiError(404, 'not_found', `There is no active session ${id}.`);
    }
    await auditAction(context, principal, 'session.revoke');
    return reply.status(204).send();
  });

  app.get(`${API_PREFIX}/settings`, async (request) => {
    await requirePermissions(context, request, 'ManageSettings');
    return settings.get();
  });

  app.put(`${API_PREFIX}/settings`, async (request) => {
    const principal = await requirePermissions(context, request, 'ManageSettings');
    const updated = await settings.replace(request.body ?? {});
    await auditAction(context, principal, 'settings.update');
    return updated;
  });

  app.get(`${API_PREFIX}/pin-policy`, async (request) => {
    await requirePermissions(context, request, 'ManageSettings');
    const status = await credentials.pinPolicy();
    return {
      ...status,
      warning:
        status.pinsTooShort > 0
          ? `${status.pinsTooShort} PIN(s) are shorter than the ${status.minimumLength} digits ${status.users} users need; regenerate them.`
          : null,
    };
  });

  app.get(`${API_PREFIX}/audit`, async (request) => {
    await requirePermissions(context, request, 'ViewAudit');
    return { events: await store.audit.list(parse(AuditQuery, request.query)) };
  });
}
