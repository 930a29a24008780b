import { sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Database } from '../store/schema.ts';
import { ADA, errorOf, useApiFixture } from './api-fixture.ts';

describe('user, group and card administration', () => {
  const f = useApiFixture();
  const call = (
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    payload?: object,
  ) =>
    f.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${f.adminToken}` },
      ...(payload ? { payload } : {}),
    });

  it('creates, finds, edits and disables users', async () => {
    const created = await call('POST', '/api/v1/users', {
      username: 'cleo',
      fullName: 'Cleo Patra',
      email: 'cleo@example.org',
      password: 'a long passphrase',
      language: 'fr',
      groups: ['Staff'],
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      username: 'cleo',
      language: 'fr',
      disabled: false,
      source: 'local',
    });
    const duplicate = await call('POST', '/api/v1/users', { username: 'CLEO', fullName: 'X' });
    expect(duplicate.statusCode).toBe(409);
    expect(errorOf(duplicate)).toEqual({
      code: 'already_exists',
      message: 'A user "CLEO" already exists. Choose another username.',
    });
    const invalid = await call('POST', '/api/v1/users', { username: 'bad name', fullName: 'X' });
    expect(errorOf(invalid).message).toMatch(/username: must not contain spaces/);

    const search = await call('GET', '/api/v1/users?search=patra');
    expect(search.json()).toMatchObject({ total: 1, users: [{ username: 'cleo' }] });
    const byGroup = await call('GET', '/api/v1/users?group=Staff');
    expect((byGroup.json() as { total: number }).total).toBe(1);

    expect((await call('PATCH', '/api/v1/users/cleo', { fullName: 'Cleo VII' })).statusCode).toBe(
      204,
    );
    expect((await call('PATCH', '/api/v1/users/cleo', { disabled: true })).statusCode).toBe(204);
    const detail = (await call('GET', '/api/v1/users/cleo')).json() as Record<string, unknown>;
    expect(detail).toMatchObject({
      fullName: 'Cleo VII',
      disabled: true,
      groups: ['Staff'],
      roles: ['self-service'],
    });
    const login = await f.post('/api/v1/terminal/login', {
      method: 'password',
      username: 'cleo',
      secret: 'a long passphrase',
    });
    expect(login.statusCode).toBe(401);
  });

  it('creates a user and its groups together: a failed request can simply be sent again', async () => {
    // The database refuses the group "Broken" as a full disk would, after the user row is written.
    const db = (f.store as unknown as { db: Kysely<Database> }).db;
    await sql`CREATE TRIGGER refuse_group BEFORE INSERT ON groups WHEN NEW.name = 'Broken'
      BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`.execute(db);
    const request = { username: 'dora', fullName: 'Dora', groups: ['Staff', 'Broken'] };
    expect((await call('POST', '/api/v1/users', request)).statusCode).toBe(500);
    expect((await call('GET', '/api/v1/users/dora')).statusCode).toBe(404);
    await sql`DROP TRIGGER refuse_group`.execute(db);
    const again = await call('POST', '/api/v1/users', request);
    expect(again.statusCode).toBe(201);
    expect((await call('GET', '/api/v1/users/dora')).json()).toMatchObject({
      groups: ['Broken', 'Staff'],
    });
  });

  it('resets passwords of local users only, and keeps directory fields read-only', async () => {
    expect(
      (await call('PUT', '/api/v1/users/ada/password', { password: 'brand new secret' }))
        .statusCode,
    ).toBe(204);
    const login = await f.post('/api/v1/terminal/login', {
      method: 'password',
      username: 'ada',
      secret: 'brand new secret',
    });
    expect(login.statusCode).toBe(200);
    await f.store.createUser({
      username: 'dirk',
      fullName: 'Dirk',
      email: null,
      passwordHash: null,
      createdAt: f.now().toISOString(),
      source: 'ldap',
    });
    expect((await call('PATCH', '/api/v1/users/dirk', { fullName: 'X' })).statusCode).toBe(403);
    expect((await call('PATCH', '/api/v1/users/dirk', { language: 'cs' })).statusCode).toBe(204);
    expect(
      (await call('PUT', '/api/v1/users/dirk/password', { password: 'whatever123' })).statusCode,
    ).toBe(403);
  });

  it('assigns and removes cards, refusing a card someone else has', async () => {
    expect((await call('POST', '/api/v1/users/ada/cards', { cardId: 'ADM-1' })).statusCode).toBe(
      201,
    );
    const taken = await call('POST', '/api/v1/users/bob/cards', { cardId: 'ADM-1' });
    expect(taken.statusCode).toBe(409);
    expect(errorOf(taken).code).toBe('card_already_bound');
    expect((await f.cardAuth('ADM-1')).json()).toMatchObject({
      result: 'known',
      user: { username: 'ada' },
    });
    expect((await call('DELETE', '/api/v1/cards/ADM-1')).statusCode).toBe(204);
    expect((await call('DELETE', '/api/v1/cards/ADM-1')).statusCode).toBe(404);
    expect((await f.cardAuth('ADM-1')).json()).toMatchObject({ result: 'unknown' });
    const audit = (await call('GET', '/api/v1/audit?action=card.remove')).json() as {
      events: Array<{ card: string }>;
    };
    expect(audit.events[0]?.card).toBe('*DM-1');
  });

  it('manages groups and their roles, guarding ADMINISTRATORS', async () => {
    expect(
      (await call('PUT', '/api/v1/groups/Auditors/roles', { roles: ['auditor'] })).statusCode,
    ).toBe(204);
    expect(
      (await call('PUT', '/api/v1/users/ada/groups', { groups: ['Auditors'] })).statusCode,
    ).toBe(204);
    const groups = (await call('GET', '/api/v1/groups')).json() as {
      groups: Array<{ name: string; roles: string[]; members: number }>;
    };
    expect(groups.groups.find((g) => g.name === 'Auditors')).toMatchObject({
      roles: ['auditor'],
      members: 1,
    });
    const bad = await call('PUT', '/api/v1/groups/Auditors/roles', { roles: ['superuser'] });
    expect(bad.statusCode).toBe(400);

    // A user manager (ManageUsers without ManageSettings) cannot make anyone an administrator.
    await f.store.grantRole('Helpdesk', 'user-manager');
    await f.context.admin.addUser({
      username: 'helen',
      fullName: 'Helen',
      email: null,
      password: ADA.password,
    });
    await f.store.setUserGroups((await f.store.findUserByUsername('helen'))!.id, ['Helpdesk']);
    const session = (
      await f.post(
        '/api/v1/auth/token',
        { grant_type: 'password', client_id: 't', username: 'helen', password: ADA.password },
        null,
      )
    ).json() as { access_token: string };
    const asHelen = (payload: object) =>
      f.app.inject({
        method: 'PUT',
        url: '/api/v1/users/bob/groups',
        headers: { authorization: `Bearer ${session.access_token}` },
        payload,
      });
    expect((await asHelen({ groups: ['Staff'] })).statusCode).toBe(204);
    const escalate = await asHelen({ groups: ['ADMINISTRATORS'] });
    expect(escalate.statusCode).toBe(403);
    expect(errorOf(escalate).message).toMatch(/ManageSettings/);
  });
});
