import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { ADA, BOB, errorOf, useApiFixture } from './api-fixture.ts';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface UserTree {
  containers: Array<{ name: string; containers: UserTree['containers']; queues: Queue[] }>;
  queues: Queue[];
}
interface Queue {
  id: number;
  name: string;
  availableByDefault: boolean;
  favourite: boolean;
}

describe('printers API', () => {
  const f = useApiFixture();

  const call = (method: Method, url: string, token: string, payload?: object) =>
    f.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload ? { payload } : {}),
    });
  const admin = (method: Method, url: string, payload?: object) =>
    call(method, url, f.adminToken, payload);
  const json = <T>(response: LightMyRequestResponse) => response.json() as T;
  const login = (user: { username: string; password: string }) => f.accessToken(user);

  /** Building A > Floor 1 > {Color, Mono}; Building A > Floor 2 > Staff only; Lobby at the top. */
  async function seed() {
    const building = json<{ id: number }>(
      await admin('POST', '/api/v1/printers/containers', { name: 'Building A' }),
    );
    const floor1 = json<{ id: number }>(
      await admin('POST', '/api/v1/printers/containers', {
        name: 'Floor 1',
        parentId: building.id,
      }),
    );
    const floor2 = json<{ id: number }>(
      await admin('POST', '/api/v1/printers/containers', {
        name: 'Floor 2',
        parentId: building.id,
      }),
    );
    const empty = json<{ id: number }>(
      await admin('POST', '/api/v1/printers/containers', { name: 'Empty' }),
    );
    const queue = async (body: object) =>
      json<{ id: number }>(await admin('POST', '/api/v1/printers/queues', body));
    await f.store.setUserGroups((await f.store.findUserByUsername(BOB.username))!.id, ['Staff']);
    return {
      building,
      floor1,
      floor2,
      empty,
      color: await queue({ name: 'Color', containerId: floor1.id }),
      mono: await queue({ name: 'Mono', containerId: floor1.id, availableByDefault: true }),
      staff: await queue({ name: 'Staff only', containerId: floor2.id, groups: ['Staff'] }),
      lobby: await queue({ name: 'Lobby', containerId: null }),
    };
  }

  it('lets an admin build a tree of containers and queues', async () => {
    const ids = await seed();
    const tree = json<{ containers: Array<{ name: string; containers: unknown[] }> }>(
      await admin('GET', '/api/v1/printers'),
    );
    expect(tree).toEqual({
      containers: [
        {
          id: ids.building.id,
          name: 'Building A',
          containers: [
            {
              id: ids.floor1.id,
              name: 'Floor 1',
              containers: [],
              queues: [
                { id: ids.color.id, name: 'Color', availableByDefault: false, groups: null },
                { id: ids.mono.id, name: 'Mono', availableByDefault: true, groups: null },
              ],
            },
            {
              id: ids.floor2.id,
              name: 'Floor 2',
              containers: [],
              queues: [
                {
                  id: ids.staff.id,
                  name: 'Staff only',
                  availableByDefault: false,
                  groups: ['Staff'],
                },
              ],
            },
          ],
          queues: [],
        },
        { id: ids.empty.id, name: 'Empty', containers: [], queues: [] },
      ],
      queues: [{ id: ids.lobby.id, name: 'Lobby', availableByDefault: false, groups: null }],
    });

    const moved = await admin('PATCH', `/api/v1/printers/queues/${ids.color.id}`, {
      name: 'Colour',
      containerId: ids.floor2.id,
      availableByDefault: true,
      groups: ['ALL USERS'],
    });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({
      name: 'Colour',
      containerId: ids.floor2.id,
      availableByDefault: true,
      groups: ['ALL USERS'],
    });
    expect(
      (await admin('PATCH', `/api/v1/printers/containers/${ids.empty.id}`, { name: 'Annex' }))
        .statusCode,
    ).toBe(204);
    // The log names the container before and after: the old name alone is what people remember.
    const [renamed] = await f.store.audit.list({
      action: 'printer.container.rename',
      limit: 1,
      offset: 0,
    });
    expect(renamed).toMatchObject({ subject: 'container:Annex', detail: 'was "Empty"' });
    expect((await admin('DELETE', `/api/v1/printers/containers/${ids.empty.id}`)).statusCode).toBe(
      204,
    );
    const audit = await f.store.audit.list({ limit: 50, offset: 0 });
    expect(audit.map((e) => e.action)).toContain('printer.queue.update');
  });

  it('refuses what cannot be: non-empty containers, unknown parents and groups, duplicates', async () => {
    const ids = await seed();
    const notEmpty = await admin('DELETE', `/api/v1/printers/containers/${ids.building.id}`);
    expect(notEmpty.statusCode).toBe(409);
    // Not a name clash: the container is in use.
    expect(errorOf(notEmpty).code).toBe('invalid_request');
    expect(errorOf(notEmpty).message).toMatch(/"Building A" still holds/);
    const noParent = await admin('POST', '/api/v1/printers/containers', {
      name: 'X',
      parentId: 999,
    });
    expect(noParent.statusCode).toBe(404);
    const noGroup = await admin('POST', '/api/v1/printers/queues', {
      name: 'Q',
      groups: ['Nobody'],
    });
    expect(noGroup.statusCode).toBe(400);
    expect(errorOf(noGroup).message).toContain('"Nobody"');
    const duplicate = await admin('POST', '/api/v1/printers/queues', { name: 'Lobby' });
    expect(duplicate.statusCode).toBe(409);
    expect(errorOf(duplicate).code).toBe('already_exists');
    const blank = await admin('POST', '/api/v1/printers/queues', { name: '  ' });
    expect(blank.statusCode).toBe(400);
    expect((await admin('DELETE', '/api/v1/printers/queues/999')).statusCode).toBe(404);
    expect((await admin('PATCH', '/api/v1/printers/queues/999', { name: 'Z' })).statusCode).toBe(
      404,
    );
    expect(
      (await admin('PATCH', `/api/v1/printers/queues/${ids.lobby.id}`, { containerId: 999 }))
        .statusCode,
    ).toBe(404);
  });

  it('shows each user the queues of their groups, and keeps their favourites', async () => {
    const ids = await seed();
    const ada = await login(ADA);
    const bob = await login(BOB);

    const adaTree = json<UserTree>(await call('GET', '/api/v1/me/printers', ada));
    // Ada is not in Staff: Floor 2 holds nothing for her and is left out, as is the empty one.
    expect(adaTree.containers).toHaveLength(1);
    expect(adaTree.containers[0]!.containers.map((c) => c.name)).toEqual(['Floor 1']);
    expect(adaTree.containers[0]!.containers[0]!.queues).toEqual([
      { id: ids.color.id, name: 'Color', availableByDefault: false, favourite: false },
      { id: ids.mono.id, name: 'Mono', availableByDefault: true, favourite: true },
    ]);
    const bobTree = json<UserTree>(await call('GET', '/api/v1/me/printers', bob));
    expect(bobTree.containers[0]!.containers.map((c) => c.name)).toEqual(['Floor 1', 'Floor 2']);

    const hidden = await call('PUT', '/api/v1/me/printers/favourites', ada, {
      queueIds: [ids.staff.id],
    });
    expect(hidden.statusCode).toBe(400);
    expect(errorOf(hidden).message).toContain(`${ids.staff.id}`);

    const saved = await call('PUT', '/api/v1/me/printers/favourites', ada, {
      queueIds: [ids.color.id, ids.lobby.id, ids.mono.id],
    });
    expect(saved.statusCode).toBe(204);
    // Default queues are implied, not stored: turning "available by default" off unchecks them.
    expect(
      await f.store.printers.favouritesOf((await f.store.findUserByUsername('ada'))!.id),
    ).toEqual([ids.color.id, ids.lobby.id].sort((a, b) => a - b));
    const after = json<UserTree>(await call('GET', '/api/v1/me/printers', ada));
    expect(after.queues).toEqual([
      { id: ids.lobby.id, name: 'Lobby', availableByDefault: false, favourite: true },
    ]);
    expect(after.containers[0]!.containers[0]!.queues.map((q) => q.favourite)).toEqual([
      true,
      true,
    ]);
    // Bob's choice is his own.
    const bobAfter = json<UserTree>(await call('GET', '/api/v1/me/printers', bob));
    expect(bobAfter.queues[0]!.favourite).toBe(false);

    // A deleted queue disappears from favourites.
    await admin('DELETE', `/api/v1/printers/queues/${ids.lobby.id}`);
    expect(json<UserTree>(await call('GET', '/api/v1/me/printers', ada)).queues).toEqual([]);
  });

  it('edits a queue after creation as the admin view does: only what is sent changes, and users follow', async () => {
    const ids = await seed();
    const ada = await login(ADA);
    const adaQueueNames = async () => {
      const tree = json<UserTree>(await call('GET', '/api/v1/me/printers', ada));
      const inside = (containers: UserTree['containers']): string[] =>
        containers.flatMap((c) => [...c.queues.map((q) => q.name), ...inside(c.containers)]);
      return [...tree.queues.map((q) => q.name), ...inside(tree.containers)].sort();
    };
    expect(
      (
        await call('PUT', '/api/v1/me/printers/favourites', ada, {
          queueIds: [ids.color.id],
        })
      ).statusCode,
    ).toBe(204);

    // Visibility alone: Color is shown to Staff only, so Ada no longer sees it.
    const restricted = await admin('PATCH', `/api/v1/printers/queues/${ids.color.id}`, {
      groups: ['Staff'],
    });
    expect(restricted.json()).toEqual({
      id: ids.color.id,
      name: 'Color',
      containerId: ids.floor1.id,
      availableByDefault: false,
      groups: ['Staff'],
    });
    expect(await adaQueueNames()).toEqual(['Lobby', 'Mono']);

    // Place alone: moved to the top level, still for Staff only.
    const top = await admin('PATCH', `/api/v1/printers/queues/${ids.color.id}`, {
      containerId: null,
    });
    expect(top.json()).toMatchObject({ name: 'Color', containerId: null, groups: ['Staff'] });
    const adminTree = json<{ queues: Array<{ name: string }> }>(
      await admin('GET', '/api/v1/printers'),
    );
    expect(adminTree.queues.map((q) => q.name)).toEqual(['Color', 'Lobby']);

    // Back to everybody: Ada sees it again, and her favourite was kept meanwhile.
    await admin('PATCH', `/api/v1/printers/queues/${ids.color.id}`, { groups: null });
    const tree = json<UserTree>(await call('GET', '/api/v1/me/printers', ada));
    expect(tree.queues.find((q) => q.name === 'Color')).toMatchObject({ favourite: true });

    // A rename onto another queue's name is refused, naming it; nothing changes.
    const clash = await admin('PATCH', `/api/v1/printers/queues/${ids.color.id}`, {
      name: 'Lobby',
      containerId: ids.floor2.id,
    });
    expect(clash.statusCode).toBe(409);
    expect(errorOf(clash).code).toBe('already_exists');
    expect(errorOf(clash).message).toContain('"Lobby"');
    expect((await f.store.printers.findQueue(ids.color.id))?.containerId).toBe(null);
  });

  it('validates the favourites body', async () => {
    const ada = await login(ADA);
    const response = await call('PUT', '/api/v1/me/printers/favourites', ada, {
      queueIds: ['x'],
    });
    expect(response.statusCode).toBe(400);
    expect(errorOf(response).message).toMatch(/queueIds/);
  });
});
