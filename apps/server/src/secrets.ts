import { hash, randomBytes } from 'node:crypto';
import argon2 from 'argon2';

/**
 * Bearer tokens carry 256 random bits, so a plain SHA-256 is enough to store them: there is
 * nothing to brute-force, and the hash can be looked up directly. The prefix tells a person
 * which kind of token they are holding.
 */
export type TokenKind = 'terminal' | 'admin' | 'enrollment' | 'session' | 'refresh';
const TOKEN_PREFIX: Record<TokenKind, string> = {
  terminal: 'cbt_',
  admin: 'cba_',
  enrollment: 'cbe_',
  session: 'cbs_',
  refresh: 'cbr_',
};

export function generateToken(kind: TokenKind): string {
  return TOKEN_PREFIX[kind] + randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  // The one-shot `hash` (Node ≥ 20.12): a quarter of createHash's cost, paid on every swipe.
  return hash('sha256', token, 'base64url');
}

/** argon2id cost; the default is OWASP's minimum recommendation (19 MiB, 2 passes, 1 lane). */
export interface PasswordHashingOptions {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

export const DEFAULT_PASSWORD_HASHING: PasswordHashingOptions = {
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
};

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** Verifies `password`; with no stored hash it still spends the same work, so timing does not reveal unknown users. */
  verify(storedHash: string | null, password: string): Promise<boolean>;
  /** True when the hash was made with other parameters than the configured ones. */
  needsRehash(storedHash: string): boolean;
}

export function createPasswordHasher(
  options: PasswordHashingOptions = DEFAULT_PASSWORD_HASHING,
): PasswordHasher {
  const params: argon2.HashOptions & { raw?: false } = { type: argon2.argon2id, ...options };
  let decoy: Promise<string> | undefined;
  return {
    hash: (password) => argon2.hash(password, params),
    async verify(storedHash, password) {
      if (storedHash === null) {
        decoy ??= argon2.hash(randomBytes(16).toString('hex'), params);
        await argon2.verify(await decoy, password);
        return false;
      }
      try {
        return await argon2.verify(storedHash, password);
      } catch {
        return false;
      }
    },
    needsRehash: (storedHash) => argon2.needsRehash(storedHash, options),
  };
}
