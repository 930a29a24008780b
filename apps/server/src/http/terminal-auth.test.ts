import { afterEach, describe, expect, it, vi } from 'vitest';
import type * as Secrets from '../secrets.ts';
import { hashToken } from '../secrets.ts';
import { errorOf, useApiFixture } from './api-fixture.ts';

// Counted, not replaced: the real hash, so the fixture's tokens still work.
vi.mock('../secrets.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof Secrets>();
  return { ...actual, hashToken: vi.fn(actual.hashToken) };
});

describe('terminal token check', () => {
  const f = useApiFixture();
  afterEach(() => vi.restoreAllMocks());

  /** Store methods called and tokens hashed while answering one panel request. */
  async function costOf(token: string) {
    const store = f.store as unknown as Record<string, unknown>;
    const methods = Object.getOwnPropertyNames(Object.getPrototypeOf(f.store)).filter(
      (name) => name !== 'constructor' && typeof store[name] === 'function',
    );
    const called: string[] = [];
    for (const name of methods) {
      const original = store[name] as (...args: unknown[]) => unknown;
      vi.spyOn(store as Record<string, (...args: unknown[]) => unknown>, name).mockImplementation(
        function (this: unknown, ...args: unknown[]) {
          called.push(name);
          return original.apply(this, args);
        },
      );
    }
    vi.mocked(hashToken).mockClear();
    const response = await f.get('/api/v1/terminal/policy', token);
    const hashed = vi.mocked(hashToken).mock.calls.map(([value]) => value);
    vi.restoreAllMocks();
    return { response, called, hashed };
  }

  it('tells a revoked token from an unknown one with one hash and one lookup', async () => {
    await f.context.admin.revokeTerminal('Lobby MFD');

    const revoked = await costOf(f.terminalToken);
    expect(revoked.response.statusCode).toBe(401);
    expect(errorOf(revoked.response).message).toMatch(/^This terminal \("Lobby MFD"\) was revoked/);
    expect(revoked.called).toEqual(['lookupTerminalByTokenHash']);
    expect(revoked.hashed).toEqual([f.terminalToken]);

    const unknown = await costOf('cbt_not-a-token');
    expect(unknown.response.statusCode).toBe(401);
    expect(errorOf(unknown.response).message).toMatch(/not registered with the server/);
    expect(unknown.called).toEqual(['lookupTerminalByTokenHash']);
    expect(unknown.hashed).toEqual(['cbt_not-a-token']);
  });

  it('answers a working token from the same single lookup', async () => {
    const working = await costOf(f.otherTerminalToken);
    expect(working.response.statusCode).toBe(200);
    // The first request of a terminal also records when it was last seen.
    expect(working.called).toEqual(['lookupTerminalByTokenHash', 'touchTerminal']);
    expect(working.hashed).toEqual([f.otherTerminalToken]);
  });
});
