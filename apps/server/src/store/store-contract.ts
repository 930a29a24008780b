import { describe, expect, it } from 'vitest';
import {
  auditEvent,
  CONTRACT_TIME,
  storeForEachTest,
  type OpenStore,
} from './contract-fixtures.ts';
import { DuplicateError, type EnrollmentRecord, type Store } from './store.ts';

/**
 * The behaviour every `Store` must have, run against each backend. A backend factory returns a
 * fresh, migrated, empty store and a cleanup.
 */
export function describeStoreContract(backend: string, open: OpenStore): void {
  describe(`Store contract on ${backend}`, () => {
    const at = CONTRACT_TIME;
    let store: Store;
    const { user } = storeForEachTest(open, (opened) => (store = opened));

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

    it('counts users and keeps group memberships', async () => {
      const ada = await user('ada');
      await user('bob');
      expect(await store.countUsers()).toBe(2);
      await store.addUserToGroup(ada.id, 'SELF-REGISTERED');
      await store.addUserToGroup(ada.id, 'SELF-REGISTERED');
      await store.addUserToGroup(ada.id, 'Guests');
      expect(await store.groupsOfUser(ada.id)).toEqual(['Guests', 'SELF-REGISTERED']);
      expect(await store.rolesOfUser(ada.id)).toEqual(['self-service']);
      await store.addUserToGroup(ada.id, 'ADMINISTRATORS');
      expect(await store.rolesOfUser(ada.id)).toEqual(['administrator', 'self-service']);
      await store.grantRole('Guests', 'auditor');
      await store.grantRole('Guests', 'auditor');
      expect(await store.rolesOfUser(ada.id)).toEqual(['administrator', 'auditor', 'self-service']);
    });

    it('creates a user with its groups in one transaction: all of it or nothing', async () => {
      const newUser = (username: string) => ({
        username,
        fullName: username,
        email: null,
        passwordHash: null,
        createdAt: at,
      });
      const ada = await store.createUserInGroups(newUser('ada'), ['Staff', 'Guests', 'Staff']);
      expect(await store.findUserByUsername('ada')).toEqual(ada);
      expect(await store.groupsOfUser(ada.id)).toEqual(['Guests', 'Staff']);
      expect(
        await store.groupsOfUser((await store.createUserInGroups(newUser('bo'), [])).id),
      ).toEqual([]);
      await expect(store.createUserInGroups(newUser('ADA'), ['Other'])).rejects.toBeInstanceOf(
        DuplicateError,
      );
      // A group the database refuses (no name) after the user row was written: no user stays.
      const refused = [null as unknown as string];
      await expect(
        store.createUserInGroups(newUser('cy'), ['Fresh', ...refused]),
      ).rejects.toThrow();
      expect(await store.findUserByUsername('cy')).toBeUndefined();
      expect((await store.listGroups()).map((g) => g.name)).not.toContain('Fresh');
      const cy = await store.createUserInGroups(newUser('cy'), ['Fresh']);
      expect(await store.groupsOfUser(cy.id)).toEqual(['Fresh']);
    });

    it('rotates refresh tokens once and reports a reused one', async () => {
      const ada = await user('ada');
      const session = await store.sessions.create({
        userId: ada.id,
        clientId: 'portal',
        userAgent: 'test',
        createdAt: at,
        expiresAt: '2026-02-01T00:00:00.000Z',
        accessHash: 'a1',
        accessExpiresAt: '2026-01-01T10:15:00.000Z',
        refreshHash: 'r1',
      });
      expect(await store.sessions.findByAccessHash('a1', at)).toEqual(session);
      expect(
        await store.sessions.findByAccessHash('a1', '2026-01-01T10:15:00.000Z'),
      ).toBeUndefined();
      const next = {
        accessHash: 'a2',
        accessExpiresAt: '2026-01-01T10:30:00.000Z',
        refreshHash: 'r2',
      };
      const [one, two] = await Promise.all([
        store.sessions.rotate('r1', next, at),
        store.sessions.rotate('r1', { ...next, accessHash: 'a3', refreshHash: 'r3' }, at),
      ]);
      expect([one.kind, two.kind].sort()).toEqual(['reused', 'rotated']);
      expect(await store.sessions.rotate('nope', next, at)).toEqual({ kind: 'unknown' });
      expect(await store.sessions.listForUser(ada.id, at)).toHaveLength(1);
      expect(await store.sessions.revoke(session.id, at)).toBe(true);
      expect(await store.sessions.revoke(session.id, at)).toBe(false);
      expect(await store.sessions.listForUser(ada.id, at)).toEqual([]);
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

    it('renames and revokes terminals; a revoked token no longer finds its terminal', async () => {
      const lobby = await store.createTerminal('Lobby', 'hash-1', at);
      await store.createTerminal('Floor 2', 'hash-2', at);
      const ada = await user('ada');
      await store.createEnrollment({
        tokenHash: 'e',
        cardId: 'CARD1',
        terminalId: lobby.id,
        createdAt: at,
        expiresAt: '2026-01-01T10:05:00.000Z',
      });
      const enrollment = await store.findEnrollment('e');
      await store.bindCard({
        enrollmentId: enrollment?.id ?? 0,
        cardId: 'CARD1',
        userId: ada.id,
        terminalId: lobby.id,
        at,
      });

      await expect(store.renameTerminal(lobby.id, 'Floor 2')).rejects.toBeInstanceOf(
        DuplicateError,
      );
      await store.renameTerminal(lobby.id, 'Entrance');
      expect(await store.findTerminalByTokenHash('hash-1')).toMatchObject({ name: 'Entrance' });

      const revokedAt = '2026-01-02T00:00:00.000Z';
      expect(await store.revokeTerminal(lobby.id, revokedAt)).toBe(true);
      expect(await store.revokeTerminal(lobby.id, '2026-01-03T00:00:00.000Z')).toBe(false);
      expect(await store.findTerminalByTokenHash('hash-1')).toBeUndefined();
      expect(await store.lookupTerminalByTokenHash('hash-1')).toEqual({
        status: 'revoked',
        name: 'Entrance',
        revokedAt,
      });
      // Asked twice: the revoked answer is not cached as a working terminal.
      expect((await store.lookupTerminalByTokenHash('hash-1')).status).toBe('revoked');
      expect(await store.lookupTerminalByTokenHash('hash-2')).toEqual({
        status: 'active',
        terminal: expect.objectContaining({ name: 'Floor 2' }),
      });
      expect(await store.lookupTerminalByTokenHash('hash-3')).toEqual({ status: 'unknown' });
      expect(await store.findTerminalByTokenHash('hash-2')).toMatchObject({ name: 'Floor 2' });
      expect(await store.listTerminalsForAdmin()).toEqual([
        { id: lobby.id, name: 'Entrance', createdAt: at, lastSeenAt: null, revokedAt, cards: 1 },
        expect.objectContaining({ name: 'Floor 2', revokedAt: null, cards: 0 }),
      ]);
      expect(await store.findTerminalByName('Entrance')).toMatchObject({ revokedAt, cards: 1 });
      expect(await store.findTerminalByName('Lobby')).toBeUndefined();
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
      expect(await store.findCard('CARD1')).toEqual({ owner: ada, expiresAt: null });
      expect(await store.listCards({ limit: 10, offset: 0 })).toEqual([
        {
          cardId: 'CARD1',
          username: 'ada',
          fullName: 'ada',
          createdAt: at,
          terminal: 'Lobby',
          expiresAt: null,
          source: 'panel',
        },
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

    it('consumes an OTP exactly once, even when presented concurrently', async () => {
      const ada = await user('ada');
      await store.credentials.createOtp({
        userId: ada.id,
        secretHash: 'otp-1',
        createdAt: at,
        expiresAt: '2026-01-02T10:00:00.000Z',
      });
      const results = await Promise.all(
        [1, 2, 3].map(() => store.credentials.consumeOtp(ada.id, 'otp-1', at)),
      );
      expect(results.sort()).toEqual(['consumed', 'used', 'used']);
      expect(await store.credentials.consumeOtp(ada.id, 'otp-2', at)).toBe('unknown');
      await store.credentials.createOtp({
        userId: ada.id,
        secretHash: 'otp-3',
        createdAt: at,
        expiresAt: at,
      });
      expect(await store.credentials.consumeOtp(ada.id, 'otp-3', at)).toBe('expired');
    });

    it("keeps PINs unique across users and replaces a user's PIN", async () => {
      const ada = await user('ada');
      const bob = await user('bob');
      const pin = (userId: number, lookupHash: string, length = 6) =>
        store.credentials.setPin({ userId, lookupHash, length, createdAt: at, expiresAt: null });
      await pin(ada.id, 'pin-a');
      await expect(pin(bob.id, 'pin-a')).rejects.toBeInstanceOf(DuplicateError);
      await pin(ada.id, 'pin-a2', 4);
      expect(await store.credentials.findPinByLookupHash('pin-a')).toBeUndefined();
      expect(await store.credentials.findPinByLookupHash('pin-a2')).toEqual({
        userId: ada.id,
        length: 4,
        createdAt: at,
        expiresAt: null,
      });
      await pin(bob.id, 'pin-a');
      expect(await store.credentials.countPinsShorterThan(5)).toBe(1);
      await store.credentials.deletePin(ada.id);
      expect(await store.credentials.findPinOfUser(ada.id)).toBeUndefined();
    });

    it('counts failures atomically and forgets old ones', async () => {
      const t = (m: number) => `2026-01-01T10:${String(m).padStart(2, '0')}:00.000Z`;
      const counts = await Promise.all(
        [1, 2, 3, 4].map(() => store.throttles.recordFailure('account:1', t(0), t(0))),
      );
      expect(counts.sort()).toEqual([1, 2, 3, 4]);
      await store.throttles.block('account:1', t(5));
      expect(await store.throttles.get('account:1')).toEqual({ failures: 4, blockedUntil: t(5) });
      expect(await store.throttles.recordFailure('account:1', t(30), t(20))).toBe(1);
      await store.throttles.clear('account:1');
      expect(await store.throttles.get('account:1')).toBeUndefined();
    });

    it('records and filters audit events, newest first', async () => {
      const event = {
        at,
        action: 'card.enroll',
        outcome: 'success' as const,
        actor: 'terminal:Lobby',
        subject: 'user:ada',
        terminal: 'Lobby',
        card: '******C3D4',
        detail: null,
      };
      await store.audit.record(event);
      await store.audit.record({ ...event, outcome: 'failure', detail: 'invalid_credentials' });
      await store.audit.record({ ...event, action: 'otp.generate', terminal: null, card: null });
      const enrollments = await store.audit.list({ action: 'card.enroll', limit: 10, offset: 0 });
      expect(enrollments.map((e) => e.outcome)).toEqual(['failure', 'success']);
      expect(await store.audit.list({ outcome: 'failure', limit: 10, offset: 0 })).toHaveLength(1);
      expect(await store.audit.count({ action: 'card.enroll' })).toBe(2);
      expect(await store.audit.count({})).toBe(3);
    });

    it('records several events in one write: all of them or none', async () => {
      const events = [1, 2, 3].map((n) => auditEvent(n, { action: 'card.reassign' }));
      await store.audit.recordMany(events);
      expect(
        (await store.audit.list({ limit: 10, offset: 0 })).map(({ id: _, ...event }) => event),
      ).toEqual(events.reverse());
      // The third cannot be stored (no action): the first two of this batch are not kept either.
      const broken = { ...auditEvent(6), action: null as unknown as string };
      await expect(
        store.audit.recordMany([auditEvent(4), auditEvent(5), broken]),
      ).rejects.toThrow();
      expect(await store.audit.count({})).toBe(3);
      await store.audit.recordMany([]);
      expect(await store.audit.count({})).toBe(3);
    });

    it('records and reads the audit log past a swipe row the database refuses', async () => {
      // No action: the database refuses this row, and the batch written with it.
      store.audit.append({ ...auditEvent(1), action: null as unknown as string });
      store.audit.append(auditEvent(2));
      await store.audit.record(auditEvent(3, { action: 'login.pin' }));
      await store.audit.recordMany([auditEvent(4, { action: 'otp.generate' })]);
      const listed = await store.audit.list({ limit: 10, offset: 0 });
      // The good swipe row is written once the database has shown it takes rows; the bad one
      // is dropped (and logged), not retried for ever.
      expect(listed.map((e) => e.action)).toEqual(['otp.generate', 'card.auth', 'login.pin']);
      expect(await store.audit.count({})).toBe(3);
      expect(await store.audit.count({ action: 'login.pin' })).toBe(1);
    });

    it('commits card changes with their audit events, or neither', async () => {
      const ada = await user('ada');
      const bob = await user('bob');
      await store.addCard({ cardId: 'C-1', userId: bob.id, at, source: 'admin' });
      const move = { cardId: 'C-1', fromUserId: bob.id, toUserId: ada.id, expiresAt: null, at };
      const reassigned = auditEvent(1, { action: 'card.reassign' });
      const broken = { ...auditEvent(2), action: null as unknown as string };
      await expect(
        store.changeCards(async (cards) => {
          expect(await cards.updateCard(move)).toBe(true);
          await cards.addCard({ cardId: 'C-2', userId: ada.id, at, source: 'admin' });
          await cards.recordAudit([reassigned, broken]);
        }),
      ).rejects.toThrow();
      expect((await store.findCard('C-1'))?.owner.username).toBe('bob');
      expect(await store.findCard('C-2')).toBeUndefined();
      expect(await store.audit.count({})).toBe(0);

      // A card taken meanwhile is an answer, not a failed statement that spoils the transaction.
      const moved = await store.changeCards(async (cards) => {
        await expect(
          cards.addCard({ cardId: 'C-1', userId: ada.id, at, source: 'admin' }),
        ).rejects.toBeInstanceOf(DuplicateError);
        const done = await cards.updateCard(move);
        await cards.recordAudit([reassigned]);
        return done;
      });
      expect(moved).toBe(true);
      expect((await store.findCard('C-1'))?.owner.username).toBe('ada');
      const listed = await store.audit.list({ limit: 10, offset: 0 });
      expect(listed.map(({ id: _, ...event }) => event)).toEqual([reassigned]);
    });

    it('finds many cards at once, across query chunks, ignoring unknown and repeated ids', async () => {
      const ada = await user('ada');
      const bob = await user('bob');
      const expiresAt = '2030-01-01T00:00:00.000Z';
      await store.addCard({ cardId: 'C-0', userId: ada.id, at, source: 'admin' });
      await store.addCard({ cardId: 'C-500', userId: bob.id, at, source: 'admin', expiresAt });
      await store.addCard({ cardId: 'C-1100', userId: ada.id, at, source: 'admin' });
      await store.addCard({ cardId: 'ELSEWHERE', userId: bob.id, at, source: 'admin' });
      // Enrolled ids in the first, second and third chunk of 500, among unknown ones.
      const ids = Array.from({ length: 1200 }, (_, i) => `C-${i}`);
      const found = await store.findCards([...ids, 'C-500', 'c-0']);
      expect(found).toEqual(
        new Map([
          ['C-0', { owner: ada, expiresAt: null }],
          ['C-500', { owner: bob, expiresAt }],
          ['C-1100', { owner: ada, expiresAt: null }],
        ]),
      );
      expect(found.get('C-500')).toEqual(await store.findCard('C-500'));
      expect(await store.findCards([])).toEqual(new Map());
    });

    it('finds many users at once by name in any case, across query chunks', async () => {
      const ada = await user('ada');
      const bob = await user('Bob');
      // Known names in the first and third chunk of 500, spelled as a spreadsheet might.
      const names = Array.from({ length: 1200 }, (_, i) => `nobody-${i}`);
      names[3] = 'ADA';
      names[1100] = 'bob';
      const found = await store.findUserIdsByUsernames([...names, 'Ada']);
      expect(found).toEqual(
        new Map([
          ['ada', ada.id],
          ['bob', bob.id],
        ]),
      );
      expect(await store.findUserIdsByUsernames([])).toEqual(new Map());
    });

    it('stores settings as JSON documents', async () => {
      expect(await store.settings.get('pin')).toBeUndefined();
      await store.settings.set('pin', { length: 6 });
      await store.settings.set('pin', { length: 8, temporary: true });
      expect(await store.settings.get('pin')).toEqual({ length: 8, temporary: true });
    });

    it('searches users by text, group and source, with a total for paging', async () => {
      const ada = await store.createUser({
        username: 'ada',
        fullName: 'Ada Lovelace',
        email: 'ada@example.org',
        passwordHash: null,
        createdAt: at,
      });
      await store.createUser({
        username: 'dirk',
        fullName: 'Dirk 100%_Directory',
        email: null,
        passwordHash: null,
        createdAt: at,
        source: 'ldap',
      });
      await user('bob');
      await store.setUserGroups(ada.id, ['Staff', 'Guests']);
      await store.setUserGroups(ada.id, ['Staff']);
      const page = (q: Partial<Parameters<Store['searchUsers']>[0]>) =>
        store.searchUsers({ limit: 10, offset: 0, ...q }).then((r) => ({
          names: r.users.map((u) => u.username),
          total: r.total,
        }));
      expect(await page({ search: 'LOVE' })).toEqual({ names: ['ada'], total: 1 });
      expect(await page({ search: 'example.org' })).toEqual({ names: ['ada'], total: 1 });
      expect(await page({ search: '100%_' })).toEqual({ names: ['dirk'], total: 1 });
      expect(await page({ search: '%' })).toEqual({ names: ['dirk'], total: 1 });
      expect(await page({ group: 'Staff' })).toEqual({ names: ['ada'], total: 1 });
      expect(await page({ group: 'Guests' })).toEqual({ names: [], total: 0 });
      expect(await page({ source: 'ldap' })).toEqual({ names: ['dirk'], total: 1 });
      expect(await page({ limit: 1, offset: 1 })).toEqual({ names: ['bob'], total: 3 });
      const groups = await store.listGroups();
      expect(groups.find((g) => g.name === 'Staff')).toEqual({
        name: 'Staff',
        builtin: false,
        roles: [],
        members: 1,
      });
      expect(groups.find((g) => g.name === 'ALL USERS')).toMatchObject({
        builtin: true,
        roles: ['self-service'],
      });
      await store.setGroupRoles('Staff', ['auditor', 'card-manager', 'auditor']);
      expect((await store.listGroups()).find((g) => g.name === 'Staff')?.roles).toEqual([
        'auditor',
        'card-manager',
      ]);
    });

    it("keeps panel cards through a directory sync, and never takes another user's card", async () => {
      const ada = await user('ada');
      const bob = await user('bob');
      await store.addCard({ cardId: 'ADMIN-1', userId: ada.id, at, source: 'admin' });
      await expect(
        store.addCard({ cardId: 'ADMIN-1', userId: bob.id, at, source: 'admin' }),
      ).rejects.toBeInstanceOf(DuplicateError);
      await store.addCard({ cardId: 'BOBS', userId: bob.id, at, source: 'admin' });
      expect(await store.syncDirectoryCards(ada.id, ['DIR-1', 'DIR-2', 'BOBS'], at)).toEqual([
        'BOBS',
      ]);
      expect(await store.syncDirectoryCards(ada.id, ['DIR-2'], at)).toEqual([]);
      const cards = (await store.cardsOfUser(ada.id)).map((c) => `${c.cardId}:${c.source}`).sort();
      expect(cards).toEqual(['ADMIN-1:admin', 'DIR-2:directory']);
      expect(await store.deleteCard('DIR-2')).toBe(true);
      expect(await store.deleteCard('DIR-2')).toBe(false);
    });

    it('changes a card only while it still belongs to the expected user', async () => {
      const ada = await user('ada');
      const bob = await user('bob');
      const later = '2026-05-01T00:00:00.000Z';
      const expiry = '2027-01-31T12:00:00.000Z';
      await store.addCard({ cardId: 'C-1', userId: ada.id, at, source: 'directory' });
      const change = { cardId: 'C-1', fromUserId: ada.id, toUserId: ada.id, at: later };
      expect(await store.updateCard({ ...change, expiresAt: expiry })).toBe(true);
      // A new expiry keeps where and how the card came to the account.
      expect(await store.cardsOfUser(ada.id)).toEqual([
        expect.objectContaining({ cardId: 'C-1', expiresAt: expiry, source: 'directory' }),
      ]);
      expect(
        await store.updateCard({
          ...change,
          fromUserId: bob.id,
          toUserId: bob.id,
          expiresAt: null,
        }),
      ).toBe(false);
      expect(await store.updateCard({ ...change, toUserId: bob.id, expiresAt: null })).toBe(true);
      expect(await store.cardsOfUser(ada.id)).toEqual([]);
      expect(await store.cardsOfUser(bob.id)).toEqual([
        expect.objectContaining({
          cardId: 'C-1',
          expiresAt: null,
          source: 'admin',
          createdAt: later,
        }),
      ]);
      expect((await store.findCard('C-1'))?.owner.username).toBe('bob');
      expect(await store.updateCard({ ...change, cardId: 'NONE', expiresAt: null })).toBe(false);
    });
  });
}
