import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuplicateError, type EnrollmentRecord, type Store } from './store.ts';

/**
 * The behaviour every `Store` must have, run against each backend. A backend factory returns a
 * fresh, migrated, empty store and a cleanup.
 */
export function describeStoreContract(
  backend: string,
  open: () => Promise<{ store: Store; cleanup(): Promise<void> }>,
): void {
  describe(`Store contract on ${backend}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    const at = '2026-01-01T10:00:00.000Z';

    beforeEach(async () => {
      ({ store, cleanup } = await open());
    });
    afterEach(async () => {
      await cleanup();
    });

    const user = (username: string) =>
      store.createUser({
        username,
        fullName: username,
        email: null,
        passwordHash: null,
        createdAt: at,
      });

    it('migrates idempotently', async () => {
      await store.migrate();
      await store.migrate();
      expect(await store.listUsers()).toEqual([]);
    });

    it('keeps usernames unique regardless of case, and finds them case-insensitively', async () => {
      const ada = await user('Ada');
      await expect(user('ADA')).rejects.toBeInstanceOf(DuplicateError);
      expect(await store.findUserByUsername('ada')).toEqual(ada);
      expect(await store.findUserByUsername('nobody')).toBeUndefined();
    });

    it('finds terminals and admin tokens only by their token hash', async () => {
      const terminal = await store.createTerminal('Lobby', 'hash-1', at);
      await expect(store.createTerminal('Lobby', 'hash-2', at)).rejects.toBeInstanceOf(
        DuplicateError,
      );
      expect(await store.findTerminalByTokenHash('hash-1')).toEqual(terminal);
      expect(await store.findTerminalByTokenHash('hash-2')).toBeUndefined();
      await store.touchTerminal(terminal.id, '2026-01-02T00:00:00.000Z');
      expect((await store.listTerminals())[0]?.lastSeenAt).toBe('2026-01-02T00:00:00.000Z');

      const token = await store.createApiToken('ops', 'admin-hash', at);
      expect(await store.findApiTokenByHash('admin-hash')).toEqual(token);
      expect(await store.findApiTokenByHash('hash-1')).toBeUndefined();
    });

    it('binds a card once per enrollment, and a card to one user only', async () => {
      const ada = await user('ada');
      const bob = await user('bob');
      const terminal = await store.createTerminal('Lobby', 'h', at);
      const enrollment = async (tokenHash: string) => {
        await store.createEnrollment({
          tokenHash,
          cardId: 'CARD1',
          terminalId: terminal.id,
          createdAt: at,
          expiresAt: '2026-01-01T10:05:00.000Z',
        });
        const found = await store.findEnrollment(tokenHash);
        if (!found) throw new Error('enrollment not stored');
        return found;
      };
      const bind = (enrollmentId: number, userId: number) =>
        store.bindCard({ enrollmentId, cardId: 'CARD1', userId, terminalId: terminal.id, at });

      const first = await enrollment('e1');
      expect(first).toMatchObject({ cardId: 'CARD1', terminalId: terminal.id, usedAt: null });
      expect(await bind(first.id, ada.id)).toBe('bound');
      expect(await bind(first.id, ada.id)).toBe('enrollment_used');
      expect((await store.findEnrollment('e1'))?.usedAt).toBe(at);
      expect(await bind((await enrollment('e2')).id, bob.id)).toBe('bound_to_other_user');
      expect(await bind((await enrollment('e3')).id, ada.id)).toBe('already_bound_to_user');
      expect(await store.findCardOwner('CARD1')).toEqual(ada);
      expect(await store.listCards({ limit: 10, offset: 0 })).toEqual([
        { cardId: 'CARD1', username: 'ada', fullName: 'ada', createdAt: at, terminal: 'Lobby' },
      ]);
    });

    it('lets exactly one of many concurrent bindings of one card win', async () => {
      const terminal = await store.createTerminal('Lobby', 'h', at);
      const users = await Promise.all(['u1', 'u2', 'u3', 'u4'].map(user));
      const enrollments: EnrollmentRecord[] = [];
      for (const [i] of users.entries()) {
        await store.createEnrollment({
          tokenHash: `e${i}`,
          cardId: 'RACE',
          terminalId: terminal.id,
          createdAt: at,
          expiresAt: at,
        });
        enrollments.push((await store.findEnrollment(`e${i}`))!);
      }
      const results = await Promise.all(
        users.map((u, i) =>
          store.bindCard({
            enrollmentId: enrollments[i]!.id,
            cardId: 'RACE',
            userId: u.id,
            terminalId: terminal.id,
            at,
          }),
        ),
      );
      expect(results.filter((r) => r === 'bound')).toHaveLength(1);
      expect(results.filter((r) => r === 'bound_to_other_user')).toHaveLength(3);
    });

    it('pages cards newest first and deletes expired enrollments', async () => {
      const ada = await user('ada');
      const terminal = await store.createTerminal('Lobby', 'h', at);
      for (let i = 0; i < 5; i++) {
        const created = `2026-01-01T10:0${i}:00.000Z`;
        await store.createEnrollment({
          tokenHash: `e${i}`,
          cardId: `C${i}`,
          terminalId: terminal.id,
          createdAt: created,
          expiresAt: created,
        });
        const e = (await store.findEnrollment(`e${i}`))!;
        await store.bindCard({
          enrollmentId: e.id,
          cardId: `C${i}`,
          userId: ada.id,
          terminalId: terminal.id,
          at: created,
        });
      }
      const page = await store.listCards({ limit: 2, offset: 1 });
      expect(page.map((c) => c.cardId)).toEqual(['C3', 'C2']);
      expect(await store.deleteEnrollmentsExpiredBefore('2026-01-01T10:02:00.000Z')).toBe(2);
      expect(await store.findEnrollment('e1')).toBeUndefined();
      expect(await store.findEnrollment('e2')).toBeDefined();
    });
  });
}
