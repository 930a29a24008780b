import { API_PREFIX, maskCardId } from '@cardbind/shared';
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { DuplicateError, type UserRecord } from '../store/store.ts';
import { auditAction, requirePermissions, sessionView } from './principal.ts';
import {
  CardParams,
  GroupList,
  GroupParams,
  NewCardRequest,
  NewUserRequest,
  PasswordReset,
  RoleList,
  UserChanges,
  UserListQuery,
  UserParams,
} from './schemas.ts';
import { parse } from './validation.ts';

/** Users, groups and cards as administrators manage them. */
export function registerUserAdminRoutes(app: FastifyInstance, context: ServerContext): void {
  const { store, admin } = context;
  const summary = (user: UserRecord) => ({
    username: user.username,
    fullName: user.fullName,
    email: user.email,
    source: user.source,
    language: user.language,
    disabled: user.disabledAt !== null,
    createdAt: user.createdAt,
  });

  app.get(`${API_PREFIX}/users`, async (request) => {
    await requirePermissions(context, request, 'ManageUsers');
    const query = parse(UserListQuery, request.query);
    const { users, total } = await store.searchUsers(query);
    return { users: users.map(summary), total };
  });

  app.post(`${API_PREFIX}/users`, async (request, reply) => {
    const principal = await requirePermissions(context, request, 'ManageUsers');
    const body = parse(NewUserRequest, request.body);
    let user: UserRecord;
    try {
      user = await admin.addUser(body);
    } catch (error) {
      if (error instanceof DuplicateError) {
        throw new ApiError(
          409,
          'already_exists',
          `A user "${body.username}" already exists. Choose another username.`,
        );
      }
      throw error;
    }
    await auditAction(context, principal, 'user.create', { subject: `user:${user.username}` });
    const created = await admin.requireUser(user.username);
    return reply.status(201).send(summary(created));
  });

  app.get(`${API_PREFIX}/users/:username`, async (request) => {
    await requirePermissions(context, request, 'ManageUsers');
    const user = await admin.requireUser(parse(UserParams, request.params).username);
    const pin = await store.credentials.findPinOfUser(user.id);
    return {
      ...summary(user),
      groups: await store.groupsOfUser(user.id),
      roles: await store.rolesOfUser(user.id),
      cards: (await store.cardsOfUser(user.id)).map((c) => ({
        cardId: c.cardId,
        createdAt: c.createdAt,
        terminal: c.terminal,
        expiresAt: c.expiresAt,
        source: c.source,
      })),
      pin: pin ? { length: pin.length, createdAt: pin.createdAt, expiresAt: pin.expiresAt } : null,
    };
  });

  app.patch(`${API_PREFIX}/users/:username`, async (request, reply) => {
    const principal = await requirePermissions(context, request, 'ManageUsers');
    const user = await admin.requireUser(parse(UserParams, request.params).username);
    const changes = parse(UserChanges, request.body);
    if (
      user.source !== 'local' &&
      (changes.fullName !== undefined || changes.email !== undefined)
    ) {
      throw new ApiError(
        403,
        'forbidden',
        `The name and e-mail of "${user.username}" come from the directory "${user.source}"; change them there.`,
      );
    }
    await store.updateUser(user.id, {
      ...(changes.fullName === undefined ? {} : { fullName: changes.fullName }),
      ...(changes.email === undefined ? {} : { email: changes.email }),
      ...(changes.language === undefined ? {} : { language: changes.language }),
      ...(changes.disabled === undefined
        ? {}
        : { disabledAt: changes.disabled ? context.now().toISOString() : null }),
    });
    await auditAction(
      context,
      principal,
      changes.disabled === true ? 'user.disable' : 'user.update',
      {
        subject: `user:${user.username}`,
      },
    );
    return reply.status(204).send();
  });

  app.put(`${API_PREFIX}/users/:username/password`, async (request, reply) => {
    const principal = await requirePermissions(context, request, 'ManageUsers');
    const user = await admin.requireUser(parse(UserParams, request.params).username);
    if (user.source !== 'local') {
      throw new ApiError(
        403,
        'forbidden',
        `The password of "${user.username}" is managed by the directory "${user.source}".`,
      );
    }
    await admin.setPassword(user.id, parse(PasswordReset, request.body).password);
    await auditAction(context, principal, 'password.reset', { subject: `user:${user.username}` });
    return reply.status(204).send();
  });

  app.put(`${API_PREFIX}/users/:username/groups`, async (request, reply) => {
    const principal = await requirePermissions(context, request, 'ManageUsers');
    const user = await admin.requireUser(parse(UserParams, request.params).username);
    const { groups } = parse(GroupList, request.body);
    // Making someone an administrator is a settings-level decision.
    const before = await store.groupsOfUser(user.id);
    const touchesAdmins = before.includes('ADMINISTRATORS') !== groups.includes('ADMINISTRATORS');
    if (touchesAdmins && !principal.permissions.has('ManageSettings')) {
      throw new ApiError(
        403,
        'forbidden',
        'Changing membership of ADMINISTRATORS needs the ManageSettings permission.',
      );
    }
    await store.setUserGroups(user.id, groups);
    await auditAction(context, principal, 'user.groups', {
      subject: `user:${user.username}`,
      detail: groups.join(', '),
    });
    return reply.status(204).send();
  });

  app.get(`${API_PREFIX}/users/:username/sessions`, async (request) => {
    await requirePermissions(context, request, 'ManageUsers');
    const user = await admin.requireUser(parse(UserParams, request.params).username);
    const sessions = await store.sessions.listForUser(user.id, context.now().toISOString());
    return { sessions: sessions.map(sessionView) };
  });

  app.post(`${API_PREFIX}/users/:username/cards`, async (request, reply) => {
    const principal = await requirePermissions(context, request, 'ManageCards');
    const user = await admin.requireUser(parse(UserParams, request.params).username);
    const { cardId } = parse(NewCardRequest, request.body);
    try {
      await store.addCard({
        cardId,
        userId: user.id,
        at: context.now().toISOString(),
        source: 'admin',
      });
    } catch (error) {
      if (error instanceof DuplicateError) {
        throw new ApiError(
          409,
          'card_already_bound',
          'This card is already registered to an account. Remove it there first.',
        );
      }
      throw error;
    }
    await auditAction(context, principal, 'card.assign', {
      subject: `user:${user.username}`,
      card: maskCardId(cardId),
    });
    return reply.status(201).send({ cardId, username: user.username });
  });

  app.delete(`${API_PREFIX}/cards/:cardId`, async (request, reply) => {
    const principal = await requirePermissions(context, request, 'ManageCards');
    const { cardId } = parse(CardParams, request.params);
    const found = await store.findCard(cardId);
    if (!found || !(await store.deleteCard(cardId))) {
      throw new ApiError(404, 'not_found', 'No such card is enrolled. Reload the list.');
    }
    await auditAction(context, principal, 'card.remove', {
      subject: `user:${found.owner.username}`,
      card: maskCardId(cardId),
    });
    return reply.status(204).send();
  });

  app.get(`${API_PREFIX}/groups`, async (request) => {
    await requirePermissions(context, request, 'ManageUsers');
    return { groups: await store.listGroups() };
  });

  app.put(`${API_PREFIX}/groups/:name/roles`, async (request, reply) => {
    const principal = await requirePermissions(context, request, 'ManageSettings');
    const { name } = parse(GroupParams, request.params);
    const { roles } = parse(RoleList, request.body);
    await store.setGroupRoles(name, roles);
    await auditAction(context, principal, 'group.roles', {
      subject: `group:${name}`,
      detail: roles.join(', '),
    });
    return reply.status(204).send();
  });
}
