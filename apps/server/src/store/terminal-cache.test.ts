import { describe, expect, it } from 'vitest';
import type { TerminalRecord } from './store.ts';
import { TerminalCache } from './terminal-cache.ts';

const lobby: TerminalRecord = { id: 1, name: 'Lobby', createdAt: 'x', lastSeenAt: null };

/** A cache on a clock the test moves, over a "database" that counts its reads. */
function setup(ttlMs = 2_000, maxEntries = 10) {
  let now = 0;
  const rows = new Map<string, TerminalRecord>([['hash-1', lobby]]);
  let reads = 0;
  const cache = new TerminalCache(ttlMs, maxEntries, () => now);
  const load = async (hash: string) => (reads++, rows.get(hash));
  return {
    find: (hash: string) => cache.find(hash, load),
    cache,
    rows,
    reads: () => reads,
    advance: (ms: number) => (now += ms),
  };
}

describe('TerminalCache', () => {
  it('reads a terminal once per cache time', async () => {
    const t = setup();
    expect(await t.find('hash-1')).toEqual(lobby);
    t.advance(1_999);
    expect(await t.find('hash-1')).toEqual(lobby);
    expect(t.reads()).toBe(1);
    t.advance(1);
    t.rows.delete('hash-1');
    expect(await t.find('hash-1')).toBeUndefined();
    expect(t.reads()).toBe(2);
  });

  it('reads again after forget()', async () => {
    const t = setup();
    await t.find('hash-1');
    t.rows.set('hash-1', { ...lobby, name: 'Lobby West' });
    t.cache.forget();
    expect((await t.find('hash-1'))?.name).toBe('Lobby West');
  });

  it('does not keep what a read that overlapped forget() returned', async () => {
    const t = setup();
    const reading = t.find('hash-1'); // reads the row as it was
    t.cache.forget(); // the row changed meanwhile
    expect(await reading).toEqual(lobby);
    t.rows.delete('hash-1');
    expect(await t.find('hash-1')).toBeUndefined();
  });

  it('keeps a touched terminal cached, with its new last-seen time', async () => {
    const t = setup();
    await t.find('hash-1');
    t.cache.touched(lobby.id, '2026-01-01T11:00:00.000Z');
    t.cache.touched(99, 'another terminal');
    expect((await t.find('hash-1'))?.lastSeenAt).toBe('2026-01-01T11:00:00.000Z');
    expect(t.reads()).toBe(1);
  });

  it('never caches unknown tokens', async () => {
    const t = setup();
    expect(await t.find('hash-2')).toBeUndefined();
    t.rows.set('hash-2', { ...lobby, id: 2 });
    expect((await t.find('hash-2'))?.id).toBe(2);
  });

  it('hands out copies: a caller changing its record changes nothing cached', async () => {
    const t = setup();
    const first = await t.find('hash-1');
    if (first) first.lastSeenAt = 'changed';
    expect((await t.find('hash-1'))?.lastSeenAt).toBeNull();
  });

  it('reads every time with a cache time of 0', async () => {
    const t = setup(0);
    await t.find('hash-1');
    await t.find('hash-1');
    expect(t.reads()).toBe(2);
  });

  it('stays within its size', async () => {
    const t = setup(2_000, 2);
    for (const n of [1, 2, 3]) t.rows.set(`h${n}`, { ...lobby, id: n });
    await t.find('h1');
    await t.find('h2');
    await t.find('h3'); // full: starts over
    await t.find('h1');
    expect(t.reads()).toBe(4);
  });
});
