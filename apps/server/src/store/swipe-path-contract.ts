import { afterEach, describe, expect, it } from 'vitest';
import type { AuditBatching } from './audit.ts';
import { CONTRACT_TIME, auditEvent } from './contract-fixtures.ts';
import type { KyselyStore } from './kysely-store.ts';

export interface StoreTuning {
  audit?: AuditBatching;
  terminalCacheMs?: number;
}

export interface SwipePathBackend {
  /** A fresh, migrated, empty database, and a store on it. */
  create(options?: StoreTuning): Promise<KyselyStore>;
  /** Another store on the database `create` made last: a restart, or a second instance. */
  reopen(): Promise<KyselyStore>;
  /** Drops the database; every store opened on it is closed by then. */
  cleanup(): Promise<void>;
}

/**
 * What the swipe path (prepared queries, terminal cache, buffered audit events) must keep of the
 * store's behaviour, on each backend.
 */
export function describeSwipePathContract(backendName: string, backend: SwipePathBackend): void {
  describe(`Swipe path on ${backendName}`, () => {
    const at = CONTRACT_TIME;
    const open: KyselyStore[] = [];
    const track = (store: KyselyStore) => (open.push(store), store);
    const create = async (options?: StoreTuning) => track(await backend.create(options));
    const reopen = async () => track(await backend.reopen());
    const close = async (store: KyselyStore) => {
      open.splice(open.indexOf(store), 1);
      await store.close();
    };

    afterEach(async () => {
      for (const store of open.splice(0)) await store.close();
      await backend.cleanup();
    });

    it('finds a card with every field of its owner, and its expiry', async () => {
      const store = await create();
      const ada = await store.createUser({
        username: 'Ada',
        fullName: 'Ada Lovelace',
        email: 'ada@example.org',
        passwordHash: '$argon2id$placeholder',
        createdAt: at,
        source: 'corp-ldap',
        language: 'de',
      });
      await store.updateUser(ada.id, { disabledAt: '2026-01-02T00:00:00.000Z' });
      await store.addCard({
        cardId: 'CARD-1',
        userId: ada.id,
        at,
        source: 'admin',
        expiresAt: '2027-01-01T00:00:00.000Z',
      });
      expect(await store.findCard('CARD-1')).toEqual({
        owner: await store.findUserById(ada.id),
        expiresAt: '2027-01-01T00:00:00.000Z',
      });
      expect((await store.findCard('CARD-1'))?.owner.disabledAt).toBe('2026-01-02T00:00:00.000Z');
      expect(await store.findCard('card-1')).toBeUndefined();
    });

    it('applies renaming, revoking and last-seen times of a cached terminal at once', async () => {
      const store = await create();
      const lobby = await store.createTerminal('Lobby', 'hash-1', at);
      expect(await store.findTerminalByTokenHash('hash-1')).toEqual(lobby);
      await store.renameTerminal(lobby.id, 'Lobby West');
      expect((await store.findTerminalByTokenHash('hash-1'))?.name).toBe('Lobby West');
      await store.touchTerminal(lobby.id, '2026-01-01T11:00:00.000Z');
      expect((await store.findTerminalByTokenHash('hash-1'))?.lastSeenAt).toBe(
        '2026-01-01T11:00:00.000Z',
      );
      expect(await store.revokeTerminal(lobby.id, at)).toBe(true);
      expect(await store.findTerminalByTokenHash('hash-1')).toBeUndefined();
    });

    it('keeps a terminal changed by another instance until the cache forgets it', async () => {
      const store = await create({ terminalCacheMs: 600_000 });
      const lobby = await store.createTerminal('Lobby', 'hash-1', at);
      expect(await store.findTerminalByTokenHash('hash-1')).toEqual(lobby);
      const other = await reopen();
      await other.revokeTerminal(lobby.id, at);
      expect(await other.findTerminalByTokenHash('hash-1')).toBeUndefined();
      // Stale here for at most the cache time (2 s by default); forgetting ends it.
      expect(await store.findTerminalByTokenHash('hash-1')).toEqual(lobby);
      store.forgetCachedTerminals();
      expect(await store.findTerminalByTokenHash('hash-1')).toBeUndefined();
    });

    it('does not cache unknown tokens: a terminal added elsewhere works at once', async () => {
      const store = await create();
      expect(await store.findTerminalByTokenHash('hash-1')).toBeUndefined();
      const other = await reopen();
      const lobby = await other.createTerminal('Lobby', 'hash-1', at);
      expect(await store.findTerminalByTokenHash('hash-1')).toEqual(lobby);
    });

    it('shows appended audit events to readers, in the order they happened', async () => {
      const store = await create({ audit: { flushIntervalMs: 60_000 } });
      store.audit.append(auditEvent(1));
      await store.audit.record(auditEvent(2, { action: 'login.pin' }));
      store.audit.append(
        auditEvent(3, { outcome: 'failure', subject: null, detail: 'unknown_card' }),
      );
      const listed = await store.audit.list({ limit: 10, offset: 0 });
      expect(listed.map(({ id: _, ...rest }) => rest)).toEqual([
        auditEvent(3, { outcome: 'failure', subject: null, detail: 'unknown_card' }),
        auditEvent(2, { action: 'login.pin' }),
        auditEvent(1),
      ]);
      const ids = listed.map((e) => e.id);
      expect(ids).toEqual([...ids].sort((a, b) => b - a));
    });

    it('writes a large batch with empty columns in one go', async () => {
      const store = await create({ audit: { flushIntervalMs: 60_000, maxBatch: 10_000 } });
      const events = Array.from({ length: 1_200 }, (_, n) =>
        auditEvent(n, n % 2 ? { actor: null, terminal: null, card: null, detail: `d${n}` } : {}),
      );
      for (const e of events) store.audit.append(e);
      await store.audit.flush();
      const listed = await store.audit.list({ limit: 2_000, offset: 0 });
      expect(listed.map(({ id: _, ...rest }) => rest).reverse()).toEqual(events);
    });

    it('writes appended audit events when the store closes', async () => {
      const store = await create({ audit: { flushIntervalMs: 60_000 } });
      store.audit.append(auditEvent(1));
      store.audit.append(auditEvent(2));
      await close(store);
      expect(() => store.audit.append(auditEvent(3))).toThrow(/closed/);
      const restarted = await reopen();
      const listed = await restarted.audit.list({ limit: 10, offset: 0 });
      expect(listed.map((e) => e.subject)).toEqual(['user:u2', 'user:u1']);
    });
  });
}
