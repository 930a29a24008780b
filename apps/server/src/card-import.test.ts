import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCards } from './card-import.ts';
import { openSqliteStore } from './store/sqlite.ts';
import type { AuditEvent } from './store/audit.ts';
import {
  DuplicateError,
  type CardTransaction,
  type Store,
  type UserRecord,
} from './store/store.ts';

const AT = '2026-01-01T10:00:00.000Z';
const USERS = ['ada', 'bob'] as const;
/** Two spellings of one instant, another instant, no expiry, and one that is not a date. */
const EXPIRIES = [
  '',
  '2030-01-01T00:00:00Z',
  '2030-01-01T01:00:00+01:00',
  '2031-06-01T12:00:00.000Z',
];

describe('card CSV import', () => {
  let dir: string;
  let store: Store;
  const users = new Map<string, UserRecord>();

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'cardbind-import-'));
    store = await openSqliteStore(dir);
    for (const username of USERS) {
      const user = await store.createUser({
        username,
        fullName: username,
        email: null,
        passwordHash: null,
        createdAt: AT,
      });
      users.set(username, user);
    }
  });
  afterAll(async () => {
    await store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const owner = (username: string) => users.get(username)?.id ?? -1;
  const instant = (value: string | null) => (value === null ? null : Date.parse(value));
  let run = 0;

  it('puts every line in one category, applies what it planned, and is idempotent', async () => {
    const line = fc.record({
      user: fc.constantFrom('ada', 'bob', 'nobody'),
      card: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constant('bad id')),
      expires: fc.constantFrom(...EXPIRIES, 'soon'),
    });
    const enrolled = fc.uniqueArray(
      fc.record({
        card: fc.integer({ min: 0, max: 5 }),
        user: fc.constantFrom(...USERS),
        // Imports before expiries were normalized stored them as written.
        expires: fc.constantFrom(null, '2030-01-01T00:00:00.000Z', '2030-01-01T00:00:00Z'),
      }),
      { selector: (c) => c.card, maxLength: 4 },
    );
    await fc.assert(
      fc.asyncProperty(
        enrolled,
        fc.array(line, { maxLength: 8 }),
        fc.boolean(),
        fc.boolean(),
        async (before, lines, withExpiry, reassign) => {
          // Card ids of earlier runs stay in the database: each run has its own.
          const prefix = `R${++run}-`;
          const id = (card: number | string) => (typeof card === 'number' ? prefix + card : card);
          for (const card of before) {
            await store.addCard({
              cardId: id(card.card),
              userId: owner(card.user),
              at: AT,
              source: 'admin',
              expiresAt: card.expires,
            });
          }
          const table = [
            withExpiry ? ['username', 'cardId', 'expiresAt'] : ['username', 'cardId'],
            ...lines.map((l) => [l.user, id(l.card), ...(withExpiry ? [l.expires] : [])]),
          ];
          const options = { at: AT, reassign, skipErrors: true };
          const plan = await importCards(store, table, { ...options, dryRun: true });
          const categorized = plan.add.length + plan.change.length + plan.unchanged;
          expect(categorized + plan.errors.length).toBe(lines.length);
          for (const c of plan.change) {
            // Another owner only when asked for; else a change always changes the expiry.
            if (c.was.username !== c.username) expect(reassign).toBe(true);
            else expect(instant(c.was.expiresAt)).not.toBe(instant(c.expiresAt));
          }

          const applied = await importCards(store, table, { ...options, dryRun: false });
          expect(applied).toEqual({ ...plan, applied: true });
          for (const card of [...applied.add, ...applied.change]) {
            const found = await store.findCard(card.cardId);
            expect(found?.owner.username).toBe(card.username);
            expect(found?.expiresAt).toBe(card.expiresAt);
          }
          const again = await importCards(store, table, { ...options, dryRun: true });
          expect(again).toEqual({
            ...plan,
            add: [],
            change: [],
            unchanged: categorized,
          });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('looks up the cards and the users of a file in one batch each, users in any case', async () => {
    await store.addCard({ cardId: 'BATCH-7', userId: owner('bob'), at: AT, source: 'admin' });
    const batches: string[][] = [];
    const userBatches: string[][] = [];
    const counted = Object.assign(Object.create(store) as Store, {
      findCard: () => Promise.reject(new Error('one query per line')),
      findUserByUsername: () => Promise.reject(new Error('one query per user')),
      findCards: (ids: readonly string[]) => {
        batches.push([...ids]);
        return store.findCards(ids);
      },
      findUserIdsByUsernames: (usernames: readonly string[]) => {
        userBatches.push([...usernames]);
        return store.findUserIdsByUsernames(usernames);
      },
    });
    const spellings = ['ada', 'ADA', ' Ada '];
    const lines = Array.from({ length: 1200 }, (_, i) => [spellings[i % 3] ?? '', `BATCH-${i}`]);
    const report = await importCards(
      counted,
      [['username', 'cardId'], ...lines, ['bob', 'not valid']],
      { dryRun: true, at: AT, reassign: true },
    );
    expect(batches).toEqual([lines.map(([, cardId]) => cardId)]);
    expect(userBatches).toEqual([[...lines.map(([username]) => username?.trim()), 'bob']]);
    expect(report.add).toHaveLength(1199);
    expect(report.change).toEqual([
      expect.objectContaining({ cardId: 'BATCH-7', was: { username: 'bob', expiresAt: null } }),
    ]);
    expect(report.errors).toEqual([
      {
        line: 1202,
        code: 'card_id_invalid',
        params: { cardId: 'not valid' },
        message: expect.stringMatching(/not valid/),
      },
    ]);
  });

  it('reports a card enrolled, moved or removed between plan and write as an error', async () => {
    await store.addCard({ cardId: 'RACE-1', userId: owner('bob'), at: AT, source: 'admin' });
    // The store answers as if someone else had been quicker, after the plan read the cards.
    const raced = Object.assign(Object.create(store) as Store, {
      changeCards: <T>(work: (cards: CardTransaction) => Promise<T>) =>
        store.changeCards((cards) =>
          work({
            ...cards,
            addCard: () => Promise.reject(new DuplicateError('card', 'RACE-2')),
            updateCard: () => Promise.resolve(false),
          }),
        ),
    });
    const report = await importCards(
      raced,
      [
        ['username', 'cardId'],
        ['ada', 'RACE-1'],
        ['ada', 'RACE-2'],
      ],
      { dryRun: false, at: AT, reassign: true },
    );
    expect(report).toEqual({
      rows: 2,
      add: [],
      change: [],
      unchanged: 0,
      errors: [
        {
          line: 2,
          code: 'card_changed_meanwhile',
          params: { cardId: 'RACE-1' },
          message:
            'card RACE-1 was removed or moved since the file was checked; skipped. Check the file again.',
        },
        {
          line: 3,
          code: 'card_enrolled_meanwhile',
          params: { cardId: 'RACE-2' },
          message: 'card RACE-2 was enrolled meanwhile; skipped.',
        },
      ],
      applied: true,
    });
    expect((await store.findCard('RACE-1'))?.owner.username).toBe('bob');
  });
  it('stores its audit events in its transaction: when they fail, no card has moved', async () => {
    await store.addCard({ cardId: 'AUDITED-1', userId: owner('bob'), at: AT, source: 'admin' });
    const table = [
      ['username', 'cardId'],
      ['ada', 'AUDITED-1'],
      ['ada', 'AUDITED-2'],
    ];
    const event = (action: string, card: string | null): AuditEvent => ({
      at: AT,
      action,
      outcome: 'success',
      actor: 'admin-token:tests',
      subject: 'user:ada',
      terminal: null,
      card,
      detail: null,
    });
    const options = { dryRun: false, at: AT, reassign: true };
    const auditedCards = () =>
      store.audit
        .list({ subject: 'user:ada', limit: 10, offset: 0 })
        .then((events) => events.map((e) => e.card));
    await expect(
      importCards(store, table, {
        ...options,
        audit: {
          // The database refuses an event without an action, as it would one it cannot store.
          changed: (cards) => [
            ...cards.map((c) => event('card.reassign', c.cardId)),
            event(null as unknown as string, null),
          ],
          applied: () => event('card.import', null),
        },
      }),
    ).rejects.toThrow();
    expect((await store.findCard('AUDITED-1'))?.owner.username).toBe('bob');
    expect(await store.findCard('AUDITED-2')).toBeUndefined();
    expect(await auditedCards()).toEqual([]);

    const applied = await importCards(store, table, {
      ...options,
      audit: {
        changed: (cards) => cards.map((c) => event('card.reassign', c.cardId)),
        applied: () => event('card.import', null),
      },
    });
    expect(applied).toMatchObject({ applied: true, add: [{ cardId: 'AUDITED-2' }] });
    expect((await store.findCard('AUDITED-1'))?.owner.username).toBe('ada');
    expect(await auditedCards()).toEqual([null, 'AUDITED-1']);
  });

  it('writes a large file in parts of 500 cards, each with its own transaction', async () => {
    const lines = Array.from({ length: 1200 }, (_, i) => ['ada', `PART-${i}`]);
    let transactions = 0;
    const counted = Object.assign(Object.create(store) as Store, {
      changeCards: <T>(work: (cards: CardTransaction) => Promise<T>) => {
        transactions++;
        return store.changeCards(work);
      },
    });
    const report = await importCards(counted, [['username', 'cardId'], ...lines], {
      dryRun: false,
      at: AT,
    });
    expect(report.add).toHaveLength(1200);
    // Between parts, card swipes get the database: none waits for the whole file.
    expect(transactions).toBe(3);
    expect((await store.findCard('PART-1199'))?.owner.username).toBe('ada');
  });

  it('gives the event loop back between parts, so that swipes are not held up', async () => {
    const lines = Array.from({ length: 1200 }, (_, i) => ['bob', `TURN-${i}`]);
    let finished = false;
    const importing = importCards(store, [['username', 'cardId'], ...lines], {
      dryRun: false,
      at: AT,
    }).then(() => (finished = true));
    // One turn of the event loop, which a swipe's request needs to be read: the import must not
    // have run to its end first (SQLite answers at once, so nothing else would give it back).
    await new Promise((resolve) => setImmediate(resolve));
    expect(finished).toBe(false);
    await importing;
    expect((await store.findCard('TURN-1199'))?.owner.username).toBe('bob');
  });
});
