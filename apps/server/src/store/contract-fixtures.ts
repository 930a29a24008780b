import { afterEach, beforeEach } from 'vitest';
import type { AuditEvent } from './audit.ts';
import type { Store, UserRecord } from './store.ts';

/** The time the store tests write with: fixed, so that what they read back compares equal. */
export const CONTRACT_TIME = '2026-01-01T10:00:00.000Z';

/** A fresh, migrated, empty store on one backend, and how to drop it. */
export type OpenStore = () => Promise<{ store: Store; cleanup(): Promise<void> }>;

/**
 * Opens a fresh store before each test of the enclosing `describe` and hands it to `use`;
 * cleans it up after the test. `user(name)` adds a user with nothing but a name to it.
 */
export function storeForEachTest(
  open: OpenStore,
  use: (store: Store) => void,
): { user(username: string): Promise<UserRecord> } {
  let current: { store: Store; cleanup(): Promise<void> } | undefined;
  beforeEach(async () => {
    current = await open();
    use(current.store);
  });
  afterEach(async () => {
    await current?.cleanup();
    current = undefined;
  });
  return {
    user(username) {
      if (!current) throw new Error('user() is for the tests, after the store is open');
      return current.store.createUser({
        username,
        fullName: username,
        email: null,
        passwordHash: null,
        createdAt: CONTRACT_TIME,
      });
    },
  };
}

/** A successful card swipe at the Lobby terminal; `n` sets its second and its subject. */
export function auditEvent(n: number, overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    at: `2026-01-01T10:00:${String(n % 60).padStart(2, '0')}.000Z`,
    action: 'card.auth',
    outcome: 'success',
    actor: 'terminal:Lobby',
    subject: `user:u${n}`,
    terminal: 'Lobby',
    card: '******C3D4',
    detail: null,
    ...overrides,
  };
}
