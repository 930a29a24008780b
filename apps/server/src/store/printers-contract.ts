import { describe, expect, it } from 'vitest';
import { CONTRACT_TIME, storeForEachTest, type OpenStore } from './contract-fixtures.ts';
import { MissingReferenceError } from './printers.ts';
import { DuplicateError, type Store } from './store.ts';

/**
 * What the printer and OAuth repositories must do on every backend (run by sqlite.test.ts and
 * postgres.test.ts beside the main store contract).
 */
export function describePrinterStoreContract(backend: string, open: OpenStore): void {
  describe(`Printer and authorization store on ${backend}`, () => {
    const at = CONTRACT_TIME;
    let store: Store;
    const { user } = storeForEachTest(open, (opened) => (store = opened));

    it('keeps a tree of containers and queues with their groups', async () => {
      const { printers } = store;
      const top = await printers.createContainer({ name: 'HQ', parentId: null, createdAt: at });
      const floor = await printers.createContainer({ name: 'F1', parentId: top.id, createdAt: at });
      await expect(
        printers.createContainer({ name: 'X', parentId: 9999, createdAt: at }),
      ).rejects.toBeInstanceOf(MissingReferenceError);
      await store.setGroupRoles('Staff', []);
      const queue = await printers.createQueue({
        name: 'Color',
        containerId: floor.id,
        availableByDefault: true,
        groups: ['Staff', 'ALL USERS'],
        createdAt: at,
      });
      expect(queue).toMatchObject({
        name: 'Color',
        containerId: floor.id,
        availableByDefault: true,
        groups: ['ALL USERS', 'Staff'],
      });
      await expect(
        printers.createQueue({ ...queue, containerId: null, createdAt: at }),
      ).rejects.toBeInstanceOf(DuplicateError);
      await expect(
        printers.createQueue({
          name: 'Lost',
          containerId: 9999,
          availableByDefault: false,
          groups: null,
          createdAt: at,
        }),
      ).rejects.toBeInstanceOf(MissingReferenceError);

      expect(
        await printers.updateQueue(queue.id, { groups: null, availableByDefault: false }),
      ).toBe(true);
      expect(await printers.findQueue(queue.id)).toMatchObject({
        groups: null,
        availableByDefault: false,
      });
      expect(await printers.updateQueue(queue.id, { groups: [] })).toBe(true);
      expect((await printers.findQueue(queue.id))?.groups).toEqual([]);
      expect(await printers.updateQueue(9999, { name: 'nope' })).toBe(false);

      expect(await printers.deleteContainer(top.id)).toBe('not_empty');
      expect(await printers.deleteContainer(floor.id)).toBe('not_empty');
      expect(await printers.deleteQueue(queue.id)).toBe(true);
      expect(await printers.deleteContainer(floor.id)).toBe('deleted');
      expect(await printers.renameContainer(top.id, 'Head office')).toBe(true);
      expect(await printers.listContainers()).toEqual([
        { id: top.id, name: 'Head office', parentId: null, createdAt: at },
      ]);
      expect(await printers.deleteContainer(floor.id)).toBe('not_found');
    });

    it('keeps favourites per user and drops them with the queue', async () => {
      const ada = await user('ada');
      const bob = await user('bob');
      const { printers } = store;
      const q = (name: string) =>
        printers.createQueue({
          name,
          containerId: null,
          availableByDefault: false,
          groups: null,
          createdAt: at,
        });
      const a = await q('A');
      const b = await q('B');
      await printers.setFavourites(ada.id, [b.id, a.id, b.id]);
      await printers.setFavourites(bob.id, [a.id]);
      expect(await printers.favouritesOf(ada.id)).toEqual([a.id, b.id]);
      await printers.setFavourites(ada.id, [b.id]);
      expect(await printers.favouritesOf(ada.id)).toEqual([b.id]);
      await expect(printers.setFavourites(ada.id, [9999])).rejects.toBeInstanceOf(
        MissingReferenceError,
      );
      expect(await printers.favouritesOf(ada.id)).toEqual([b.id]);
      await printers.deleteQueue(b.id);
      expect(await printers.favouritesOf(ada.id)).toEqual([]);
      expect(await printers.favouritesOf(bob.id)).toEqual([a.id]);
    });

    it('hands out an OAuth state once and keeps one authorization per connector type', async () => {
      const ada = await user('ada');
      const session = await store.sessions.create({
        userId: ada.id,
        clientId: 'portal',
        userAgent: null,
        createdAt: at,
        expiresAt: '2026-02-01T00:00:00.000Z',
        accessHash: 'a',
        accessExpiresAt: '2026-01-01T10:15:00.000Z',
        refreshHash: 'r',
      });
      const state = {
        stateHash: 'h1',
        userId: ada.id,
        sessionId: session.id,
        connectorType: 'drive',
        sealedVerifier: 'v1.x',
        redirectUri: 'http://127.0.0.1/api/v1/oauth/callback',
        bindingHash: null,
        createdAt: at,
        expiresAt: '2026-01-01T10:10:00.000Z',
      };
      await store.authorizations.createState(state);
      await store.authorizations.createState({ ...state, stateHash: 'h2', expiresAt: at });
      expect(await store.authorizations.deleteStatesExpiredBefore(at)).toBe(1);
      expect(await store.authorizations.takeState('h1')).toEqual(state);
      expect(await store.authorizations.takeState('h1')).toBeUndefined();

      const grant = {
        userId: ada.id,
        connectorType: 'drive',
        sealedTokens: 'v1.first',
        scope: 'files',
        authorizedAt: at,
        expiresAt: null,
        refreshable: true,
      };
      await store.authorizations.save(grant);
      await store.authorizations.save({ ...grant, sealedTokens: 'v1.second', refreshable: false });
      expect(await store.authorizations.listForUser(ada.id)).toEqual([
        { ...grant, sealedTokens: 'v1.second', refreshable: false },
      ]);
      expect(await store.authorizations.delete(ada.id, 'drive')).toBe(true);
      expect(await store.authorizations.delete(ada.id, 'drive')).toBe(false);
    });
  });
}
