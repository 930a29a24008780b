import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createPasswordHasher, generateToken, hashToken } from './secrets.ts';

describe('password hashing', () => {
  const cheap = createPasswordHasher({ memoryCost: 4096, timeCost: 1, parallelism: 1 });
  const stronger = createPasswordHasher({ memoryCost: 8192, timeCost: 2, parallelism: 1 });

  it('hashes with argon2id and the configured parameters', async () => {
    const hash = await cheap.hash('correct horse');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=4096,p=1,t=1\$/);
    expect(await cheap.verify(hash, 'correct horse')).toBe(true);
    expect(await cheap.verify(hash, 'wrong horse')).toBe(false);
    expect(await cheap.verify(null, 'anything')).toBe(false);
    expect(await cheap.verify('not a hash', 'anything')).toBe(false);
  });

  it('tells when a hash was made with other parameters', async () => {
    const hash = await cheap.hash('correct horse');
    expect(cheap.needsRehash(hash)).toBe(false);
    expect(stronger.needsRehash(hash)).toBe(true);
  });
});

describe('tokens', () => {
  it('are prefixed by kind, unique, and stored as a hash that differs from them', () => {
    const a = generateToken('terminal');
    expect(a).toMatch(/^cbt_[A-Za-z0-9_-]{43}$/);
    expect(generateToken('terminal')).not.toBe(a);
    expect(hashToken(a)).not.toContain(a.slice(4));
    expect(hashToken(a)).toBe(hashToken(a));
  });

  it('hash to the base64url SHA-256 of their UTF-8 text, as stored since the first release', () => {
    // Stored token hashes (terminals, sessions, admin tokens) must keep matching.
    expect(hashToken('abc')).toBe('ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
    expect(hashToken('ä')).toBe(createHash('sha256').update('ä', 'utf8').digest('base64url'));
  });
});
