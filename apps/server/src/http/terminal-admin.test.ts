import { describe, expect, it } from 'vitest';
import { ADA, errorOf, useApiFixture } from './api-fixture.ts';

interface TerminalView {
  name: string;
  createdAt: string;
  lastSeenAt: string | null;
  revokedAt: string | null;
  cards: number;
}

describe('terminal administration', () => {
  const f = useApiFixture();
  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    f.send(method, url, payload);
  const list = async () =>
    ((await call('GET', '/api/v1/terminals')).json() as { terminals: TerminalView[] }).terminals;
  const auditActions = async () =>
    (await f.store.audit.list({ limit: 100, offset: 0 }))
      .filter((e) => e.action.startsWith('terminal.'))
      .map((e) => `${e.action} ${e.subject ?? ''} ${e.detail ?? ''}`.trim());

  it('adds a terminal whose token, answered once, works at the panel', async () => {
    const added = await call('POST', '/api/v1/terminals', { name: '  Kiosk 3  ' });
    expect(added.statusCode).toBe(201);
    expect(added.headers['cache-control']).toBe('no-store');
    const { terminal, token } = added.json() as { terminal: TerminalView; token: string };
    expect(terminal).toEqual({
      name: 'Kiosk 3',
      createdAt: f.now().toISOString(),
      lastSeenAt: null,
      revokedAt: null,
      cards: 0,
    });
    expect((await f.cardAuth('NEWCARD', token)).statusCode).toBe(200);

    const listed = await list();
    expect(listed.map((t) => t.name)).toEqual(['Floor 2 MFD', 'Kiosk 3', 'Lobby MFD']);
    expect(listed.find((t) => t.name === 'Kiosk 3')?.lastSeenAt).toBe(f.now().toISOString());
    // Nothing in the listing can be turned back into a working token.
    expect(JSON.stringify(listed)).not.toContain(token);
    expect(JSON.stringify(listed)).not.toMatch(/hash/i);

    const duplicate = await call('POST', '/api/v1/terminals', { name: 'Lobby MFD' });
    expect(duplicate.statusCode).toBe(409);
    expect(errorOf(duplicate).code).toBe('already_exists');
    expect(errorOf(duplicate).message).toMatch(/already exists/);
    expect(errorOf(await call('POST', '/api/v1/terminals', { name: ' ' })).message).toMatch(
      /name: must not be empty/,
    );
    expect(await auditActions()).toEqual(['terminal.create terminal:Kiosk 3']);
    const audit = await call('GET', '/api/v1/audit?action=terminal.create&limit=1');
    expect(audit.json()).toMatchObject({ total: 1, events: [{ subject: 'terminal:Kiosk 3' }] });
  });

  it('counts the cards enrolled at each terminal', async () => {
    const enrollment = await f.enrollmentToken('CARD-1');
    const enrolled = await f.enroll({
      enrollmentToken: enrollment,
      username: ADA.username,
      secret: ADA.password,
    });
    expect(enrolled.statusCode).toBe(201);
    expect((await list()).map((t) => [t.name, t.cards])).toEqual([
      ['Floor 2 MFD', 0],
      ['Lobby MFD', 1],
    ]);
  });

  it('renames a terminal; its token keeps working and its cards follow', async () => {
    const enrollment = await f.enrollmentToken('CARD-1');
    await f.enroll({ enrollmentToken: enrollment, username: ADA.username, secret: ADA.password });
    const renamed = await call('PATCH', '/api/v1/terminals/Lobby%20MFD', { name: 'Entrance' });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({ name: 'Entrance', cards: 1, revokedAt: null });
    expect((await f.cardAuth('CARD-1')).json()).toMatchObject({ result: 'known' });
    const cards = (await call('GET', '/api/v1/cards')).json() as {
      cards: Array<{ terminal: string }>;
    };
    expect(cards.cards[0]?.terminal).toBe('Entrance');

    const taken = await call('PATCH', '/api/v1/terminals/Entrance', { name: 'Floor 2 MFD' });
    expect(taken.statusCode).toBe(409);
    expect(errorOf(taken).code).toBe('already_exists');
    const missing = await call('PATCH', '/api/v1/terminals/Nowhere', { name: 'X' });
    expect(missing.statusCode).toBe(404);
    expect(errorOf(missing).message).toBe('There is no terminal "Nowhere". Check the name.');
    expect(await auditActions()).toEqual(['terminal.rename terminal:Entrance was "Lobby MFD"']);
  });

  it('revokes a terminal: its token fails at once with a message naming why', async () => {
    const pending = await f.enrollmentToken('CARD-9');
    const revoked = await call('POST', '/api/v1/terminals/Lobby%20MFD/revoke');
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json()).toMatchObject({ name: 'Lobby MFD', revokedAt: f.now().toISOString() });

    for (const response of [
      await f.cardAuth('CARD-1'),
      await f.enroll({ enrollmentToken: pending, username: ADA.username, secret: ADA.password }),
      await f.get('/api/v1/terminal/policy', f.terminalToken),
    ]) {
      expect(response.statusCode).toBe(401);
      expect(errorOf(response).message).toMatch(
        /^This terminal \("Lobby MFD"\) was revoked by an administrator at 2026-01-01T10:00:00.000Z; its token no longer works\./,
      );
    }
    // Other terminals and unknown tokens are untouched.
    expect((await f.cardAuth('CARD-1', f.otherTerminalToken)).statusCode).toBe(200);
    const unknown = await f.cardAuth('CARD-1', 'cbt_not-a-token');
    expect(errorOf(unknown).message).toMatch(/not registered with the server/);

    // Revoking again changes nothing and is not audited again; the terminal stays listed.
    f.advance(60_000);
    const again = await call('POST', '/api/v1/terminals/Lobby%20MFD/revoke');
    expect(again.json()).toMatchObject({ revokedAt: '2026-01-01T10:00:00.000Z' });
    expect((await list()).find((t) => t.name === 'Lobby MFD')?.revokedAt).toBe(
      '2026-01-01T10:00:00.000Z',
    );
    expect(await auditActions()).toEqual(['terminal.revoke terminal:Lobby MFD']);
    expect((await call('POST', '/api/v1/terminals/Nowhere/revoke')).statusCode).toBe(404);
  });

  it('lets the name of a revoked terminal be reused by renaming the old one', async () => {
    await call('POST', '/api/v1/terminals/Lobby%20MFD/revoke');
    await call('PATCH', '/api/v1/terminals/Lobby%20MFD', { name: 'Lobby MFD (old)' });
    const added = await call('POST', '/api/v1/terminals', { name: 'Lobby MFD' });
    expect(added.statusCode).toBe(201);
    const { token } = added.json() as { token: string };
    expect((await f.cardAuth('CARD-1', token)).statusCode).toBe(200);
    expect(errorOf(await f.cardAuth('CARD-1')).message).toMatch(/"Lobby MFD \(old\)"/);
  });
});
