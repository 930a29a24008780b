import type * as Crypto from 'node:crypto';
import { hkdfSync, randomBytes } from 'node:crypto';
import { silentLogger } from '@cardbind/shared';
import { describe, expect, it, vi } from 'vitest';
import type { Store } from '../store/store.ts';
import { AuthorizationService } from './authorizations.ts';

// Counted, not replaced: the real key derivation.
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof Crypto>();
  return { ...actual, hkdfSync: vi.fn(actual.hkdfSync) };
});

describe('OAuth token sealing key', () => {
  it('is derived from the server key once for the flow and the stored tokens', () => {
    vi.mocked(hkdfSync).mockClear();
    // The constructor does not touch the store.
    new AuthorizationService({
      store: {} as Store,
      serverKey: randomBytes(32),
      now: () => new Date(),
      logger: silentLogger,
    });
    expect(vi.mocked(hkdfSync)).toHaveBeenCalledTimes(1);
  });
});
