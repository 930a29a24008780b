import { describe, expect, it } from 'vitest';
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
    expect(again.json()).toMatchObject({ rows: 2, add: [], unchanged: 2, errors: [] });
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
      unchanged: 1,
      errors: [
        { line: 3, message: 'there is no user "nobody".' },
        { line: 4, message: 'card TAKEN-1 belongs to bob; remove it there first.' },
        { line: 5, message: expect.stringMatching(/card id "bad id" is not valid/) },
        { line: 6, message: 'card NEW-1 is already on line 2.' },
        { line: 7, message: expect.stringMatching(/expiresAt "tomorrow" is not an ISO date-time/) },
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
