import { describe, expect, it, vi } from 'vitest';
import type { AuditEvent } from '../store/audit.ts';
import { errorOf, useApiFixture } from './api-fixture.ts';

describe('enrolled cards: search, sort, CSV export and import', () => {
  const f = useApiFixture();
  const admin = (method: 'GET' | 'POST', url: string, body?: string) =>
    f.app.inject({
      method,
      url,
      headers: {
        authorization: `Bearer ${f.adminToken}`,
        ...(body === undefined ? {} : { 'content-type': 'text/csv' }),
      },
      ...(body === undefined ? {} : { payload: body }),
    });
  const assign = async (username: string, cardId: string) => {
    const user = (await f.store.findUserByUsername(username))!;
    await f.store.addCard({ cardId, userId: user.id, at: f.now().toISOString(), source: 'admin' });
    f.advance(1000);
  };

  it('searches by card, user or terminal, sorts, and reports the total', async () => {
    await assign('ada', 'AAA-1');
    await assign('bob', 'BBB-2');
    await assign('ada', 'CCC-3');
    const page = (query: string) =>
      admin('GET', `/api/v1/cards?${query}`).then((r) => {
        const body = r.json() as { cards: Array<{ cardId: string }>; total: number };
        return { ids: body.cards.map((c) => c.cardId), total: body.total };
      });
    expect(await page('search=ADA')).toEqual({ ids: ['CCC-3', 'AAA-1'], total: 2 });
    expect(await page('search=bbb')).toEqual({ ids: ['BBB-2'], total: 1 });
    expect(await page('sort=cardId&order=asc&limit=2')).toEqual({
      ids: ['AAA-1', 'BBB-2'],
      total: 3,
    });
    expect(await page('sort=username&order=desc&limit=1&offset=0')).toEqual({
      ids: ['BBB-2'],
      total: 3,
    });
    expect((await admin('GET', '/api/v1/cards?sort=colour')).statusCode).toBe(400);
  });

  it('exports CSV that a spreadsheet cannot run, and imports it back unchanged', async () => {
    await assign('ada', 'AAA-1');
    await assign('bob', '=1+1');
    const exported = await admin('GET', '/api/v1/cards/export.csv');
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = exported.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe('cardId,username,fullName,createdAt,terminal,expiresAt,source');
    expect(lines[1]).toMatch(/^'=1\+1,bob,Bob Builder,/);
    expect(lines[2]).toMatch(/^AAA-1,ada,Ada Lovelace,/);
    const again = await admin('POST', '/api/v1/cards/import', exported.body);
    expect(again.json()).toMatchObject({ rows: 2, add: [], change: [], unchanged: 2, errors: [] });
  });

  it('plans an import as a dry run with an error per bad line, and applies only a clean file', async () => {
    await assign('bob', 'TAKEN-1');
    await assign('bob', 'OWNED-2');
    const file = [
      'username,cardId,expiresAt',
      'ada,NEW-1,',
      'nobody,NEW-2,',
      'ada,TAKEN-1,',
      'ada,bad id,',
      'bob,NEW-1,',
      'bob,NEW-3,tomorrow',
      'bob,OWNED-2,',
    ].join('\n');
    const plan = await admin('POST', '/api/v1/cards/import', file);
    expect(plan.statusCode).toBe(200);
    expect(plan.json()).toEqual({
      rows: 7,
      add: [{ line: 2, cardId: 'NEW-1', username: 'ada', expiresAt: null }],
      change: [],
      unchanged: 1,
      errors: [
        {
          line: 3,
          code: 'user_unknown',
          params: { username: 'nobody' },
          message: 'there is no user "nobody".',
        },
        {
          line: 4,
          code: 'card_owned_by_other',
          params: { cardId: 'TAKEN-1', owner: 'bob', username: 'ada' },
          message:
            'card TAKEN-1 belongs to bob, not ada. Remove it there first, or allow moving cards between users (reassign=true).',
        },
        {
          line: 5,
          code: 'card_id_invalid',
          params: { cardId: 'bad id' },
          message: expect.stringMatching(/card id "bad id" is not valid/),
        },
        {
          line: 6,
          code: 'card_listed_twice',
          params: { cardId: 'NEW-1', firstLine: 2 },
          message: 'card NEW-1 is already on line 2.',
        },
        {
          line: 7,
          code: 'expires_invalid',
          params: { expiresAt: 'tomorrow' },
          message: expect.stringMatching(/expiresAt "tomorrow" is not an ISO date-time/),
        },
      ],
      applied: false,
    });
    const refused = await admin('POST', '/api/v1/cards/import?dryRun=false', file);
    expect(refused.statusCode).toBe(400);
    expect(errorOf(refused).message).toMatch(/Nothing was imported: 5 line\(s\) have errors/);
    expect((await f.cardAuth('NEW-1')).json()).toMatchObject({ result: 'unknown' });

    const clean = 'cardId,username,expiresAt\r\nNEW-1,ada,\r\nNEW-3,bob,2030-01-01T00:00:00Z\r\n';
    const applied = await admin('POST', '/api/v1/cards/import?dryRun=false', clean);
    expect(applied.json()).toMatchObject({
      applied: true,
      add: [{ cardId: 'NEW-1' }, { cardId: 'NEW-3' }],
    });
    expect((await f.cardAuth('NEW-3')).json()).toMatchObject({
      result: 'known',
      user: { username: 'bob' },
    });
  });

  it('reports a new expiry of a card the user has as a change, old and new, and applies it', async () => {
    await assign('ada', 'KEEP-1');
    await assign('ada', 'LATER-2');
    await f.store.updateCard({
      cardId: 'LATER-2',
      fromUserId: (await f.store.findUserByUsername('ada'))!.id,
      toUserId: (await f.store.findUserByUsername('ada'))!.id,
      expiresAt: '2030-01-01T00:00:00.000Z',
      at: f.now().toISOString(),
    });
    // The same instants written differently are no change; an empty cell means "never expires".
    const file = [
      'username,cardId,expiresAt',
      'ada,KEEP-1,2025-12-31T00:00:00+01:00',
      'ada,LATER-2,',
      'ada,KEEP-1-NOT,2030-01-01T01:00:00+01:00',
    ].join('\n');
    const plan = await admin('POST', '/api/v1/cards/import', file);
    expect(plan.json()).toEqual({
      rows: 3,
      add: [
        { line: 4, cardId: 'KEEP-1-NOT', username: 'ada', expiresAt: '2030-01-01T00:00:00.000Z' },
      ],
      change: [
        {
          line: 2,
          cardId: 'KEEP-1',
          username: 'ada',
          expiresAt: '2025-12-30T23:00:00.000Z',
          was: { username: 'ada', expiresAt: null },
        },
        {
          line: 3,
          cardId: 'LATER-2',
          username: 'ada',
          expiresAt: null,
          was: { username: 'ada', expiresAt: '2030-01-01T00:00:00.000Z' },
        },
      ],
      unchanged: 0,
      errors: [],
      applied: false,
    });
    // A dry run writes nothing.
    expect((await f.cardAuth('KEEP-1')).json()).toMatchObject({ result: 'known' });

    const applied = await admin('POST', '/api/v1/cards/import?dryRun=false', file);
    expect(applied.json()).toMatchObject({ applied: true, change: [{ line: 2 }, { line: 3 }] });
    expect((await f.cardAuth('KEEP-1')).json()).toMatchObject({ reason: 'card_expired' });
    expect(await f.store.findCard('LATER-2')).toMatchObject({ expiresAt: null });
    const [event] = await f.store.audit.list({ action: 'card.import', limit: 1, offset: 0 });
    expect(event?.detail).toBe('1 added, 2 changed');
    // Applied once, the file is all unchanged; without the column, expiry is left alone.
    expect((await admin('POST', '/api/v1/cards/import', file)).json()).toMatchObject({
      add: [],
      change: [],
      unchanged: 3,
    });
    expect(
      (await admin('POST', '/api/v1/cards/import', 'username,cardId\nada,KEEP-1\n')).json(),
    ).toMatchObject({ change: [], unchanged: 1 });
  });

  it("moves another user's card only with reassign=true, and audits each move", async () => {
    await assign('bob', 'BOBS-1');
    const file = 'username,cardId\nada,BOBS-1\n';
    const refused = await admin('POST', '/api/v1/cards/import', file);
    expect(refused.json()).toMatchObject({
      change: [],
      errors: [
        { line: 2, message: expect.stringMatching(/^card BOBS-1 belongs to bob, not ada\./) },
      ],
    });
    const plan = await admin('POST', '/api/v1/cards/import?reassign=true', file);
    expect(plan.json()).toMatchObject({
      change: [
        {
          line: 2,
          cardId: 'BOBS-1',
          username: 'ada',
          expiresAt: null,
          was: { username: 'bob', expiresAt: null },
        },
      ],
      errors: [],
      applied: false,
    });
    expect((await f.cardAuth('BOBS-1')).json()).toMatchObject({ user: { username: 'bob' } });

    const applied = await admin('POST', '/api/v1/cards/import?dryRun=false&reassign=true', file);
    expect(applied.json()).toMatchObject({ applied: true, change: [{ cardId: 'BOBS-1' }] });
    expect((await f.cardAuth('BOBS-1')).json()).toMatchObject({ user: { username: 'ada' } });
    const cards = (await admin('GET', '/api/v1/cards?search=BOBS-1')).json() as {
      cards: Array<Record<string, unknown>>;
    };
    expect(cards.cards).toEqual([
      expect.objectContaining({ username: 'ada', source: 'admin', terminal: null }),
    ]);
    const moves = await f.store.audit.list({ action: 'card.reassign', limit: 5, offset: 0 });
    expect(moves).toEqual([
      expect.objectContaining({
        actor: 'admin-token:tests',
        subject: 'user:ada',
        card: '**BS-1',
        detail: 'from user:bob (CSV import)',
      }),
    ]);
    const [event] = await f.store.audit.list({ action: 'card.import', limit: 1, offset: 0 });
    expect(event?.detail).toBe('0 added, 1 moved');
  });

  /** Spies on the import's transaction: each audit write in it, and a way to make one fail. */
  const watchImportTransaction = (options: { refuseAudit?: boolean } = {}) => {
    const auditWrites: AuditEvent[][] = [];
    const changeCards = f.store.changeCards.bind(f.store);
    const spy = vi.spyOn(f.store, 'changeCards').mockImplementation((work) =>
      changeCards((cards) =>
        work({
          ...cards,
          async recordAudit(events) {
            auditWrites.push([...events]);
            await cards.recordAudit(events);
            if (options.refuseAudit) throw new Error('disk I/O error');
          },
        }),
      ),
    );
    return { auditWrites, restore: () => spy.mockRestore() };
  };

  it('audits every card an import moved in one write, in its transaction, then the import', async () => {
    for (const cardId of ['MOVE-1', 'MOVE-2', 'MOVE-3']) await assign('bob', cardId);
    const transaction = watchImportTransaction();
    const file = 'username,cardId\nAda,MOVE-1\nada,MOVE-2\nADA,MOVE-3\nbob,NEW-1\n';
    const applied = await admin('POST', '/api/v1/cards/import?dryRun=false&reassign=true', file);
    transaction.restore();
    expect(applied.json()).toMatchObject({ applied: true, add: [{ cardId: 'NEW-1' }] });
    expect(transaction.auditWrites.map((events) => events.map((e) => e.action))).toEqual([
      ['card.reassign', 'card.reassign', 'card.reassign'],
    ]);
    const [event] = await f.store.audit.list({ action: 'card.import', limit: 1, offset: 0 });
    expect(event?.detail).toBe('1 added, 3 moved');
  });

  it('moves no card when the audit write of the import fails', async () => {
    await assign('bob', 'MOVE-1');
    const transaction = watchImportTransaction({ refuseAudit: true });
    const file = 'username,cardId\nada,MOVE-1\nada,NEW-1\n';
    const failed = await admin('POST', '/api/v1/cards/import?dryRun=false&reassign=true', file);
    transaction.restore();
    expect(failed.statusCode).toBe(500);
    expect((await f.cardAuth('MOVE-1')).json()).toMatchObject({ user: { username: 'bob' } });
    expect(await f.store.findCard('NEW-1')).toBeUndefined();
    expect(await f.store.audit.count({ action: 'card.reassign' })).toBe(0);
    // Nothing half-done stands in the way: the same file imports once the log can be written.
    const applied = await admin('POST', '/api/v1/cards/import?dryRun=false&reassign=true', file);
    expect(applied.json()).toMatchObject({ applied: true, change: [{ cardId: 'MOVE-1' }] });
    expect(await f.store.audit.count({ action: 'card.reassign' })).toBe(1);
  });

  it('imports the good lines of a file with errors when asked to skip them', async () => {
    await assign('bob', 'TAKEN-1');
    const file = 'username,cardId\nada,GOOD-1\nnobody,GOOD-2\nada,TAKEN-1\nbob,GOOD-3\n';
    const applied = await admin('POST', '/api/v1/cards/import?dryRun=false&skipErrors=true', file);
    expect(applied.statusCode).toBe(200);
    expect(applied.json()).toMatchObject({
      applied: true,
      add: [
        { line: 2, cardId: 'GOOD-1' },
        { line: 5, cardId: 'GOOD-3' },
      ],
      errors: [{ line: 3 }, { line: 4 }],
    });
    expect((await f.cardAuth('GOOD-3')).json()).toMatchObject({ user: { username: 'bob' } });
    expect((await f.cardAuth('TAKEN-1')).json()).toMatchObject({ user: { username: 'bob' } });
    const [event] = await f.store.audit.list({ action: 'card.import', limit: 1, offset: 0 });
    expect(event?.detail).toBe('2 added, 2 line(s) skipped');
    // A file without the needed columns has nothing good to import, skipping or not.
    const headless = await admin(
      'POST',
      '/api/v1/cards/import?dryRun=false&skipErrors=true',
      'a,b\n1,2\n',
    );
    expect(headless.statusCode).toBe(400);
  });

  it('explains a file without the needed columns, broken quoting, or the wrong content type', async () => {
    expect(
      (await admin('POST', '/api/v1/cards/import', 'name,number\nada,1\n')).json(),
    ).toMatchObject({
      errors: [{ line: 1, message: expect.stringMatching(/"username" and "cardId"/) }],
    });
    const broken = await admin('POST', '/api/v1/cards/import', 'username,cardId\n"ada,1\n');
    expect(errorOf(broken).message).toMatch(/cannot be read: .*quoted field/);
    const json = await f.app.inject({
      method: 'POST',
      url: '/api/v1/cards/import',
      headers: { authorization: `Bearer ${f.adminToken}` },
      payload: { username: 'ada' },
    });
    expect(json.statusCode).toBe(415);
  });
});
