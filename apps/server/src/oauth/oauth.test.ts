import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codeChallengeOf, createCodeVerifier, createState } from './pkce.ts';
import { OAuthConfig } from './providers.ts';
import { TokenBox } from './token-box.ts';

describe('PKCE', () => {
  it('computes the S256 challenge of RFC 7636 appendix B', () => {
    expect(codeChallengeOf('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('makes verifiers and states of 43 unreserved characters, never the same twice', () => {
    const verifier = createCodeVerifier();
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(createState()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(createCodeVerifier()).not.toBe(verifier);
  });
});

describe('TokenBox', () => {
  const box = new TokenBox(randomBytes(32));

  it('opens what it sealed, for the same context only', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (plain, context, other) => {
        const sealed = box.seal(plain, context);
        expect(box.open(sealed, context)).toBe(plain);
        if (other !== context) expect(() => box.open(sealed, other)).toThrow();
      }),
    );
  });

  it('refuses altered values and other keys, and hides the plaintext', () => {
    const sealed = box.seal('at-secret-access-token', 'tokens:1:drive');
    expect(sealed).not.toContain('secret');
    expect(box.seal('at-secret-access-token', 'tokens:1:drive')).not.toBe(sealed);
    const payload = Buffer.from(sealed.slice(3), 'base64url');
    payload[payload.length - 1]! ^= 1;
    expect(() => box.open(`v1.${payload.toString('base64url')}`, 'tokens:1:drive')).toThrow();
    expect(() => new TokenBox(randomBytes(32)).open(sealed, 'tokens:1:drive')).toThrow();
    expect(() => box.open('v2.abc', 'tokens:1:drive')).toThrow(/format/);
  });
});

describe('OAuth provider configuration', () => {
  const provider = {
    type: 'drive',
    name: 'Drive',
    clientId: 'id',
    clientSecret: 'secret',
    authorizeUrl: 'https://auth.example.org/authorize',
    tokenUrl: 'https://auth.example.org/token',
  };

  it('fills defaults and accepts plain HTTP only on this machine', () => {
    expect(OAuthConfig.parse({ providers: [provider] }).providers[0]).toMatchObject({
      scopes: [],
      clientAuthentication: 'basic',
    });
    expect(
      OAuthConfig.safeParse({
        providers: [{ ...provider, tokenUrl: 'http://127.0.0.1:9/token' }],
      }).success,
    ).toBe(true);
    const insecure = OAuthConfig.safeParse({
      providers: [{ ...provider, tokenUrl: 'http://auth.example.org/token' }],
    });
    expect(insecure.error?.issues[0]?.message).toMatch(/https/);
  });

  it('takes an optional RFC 7009 revocation endpoint, under the same https rule', () => {
    expect(OAuthConfig.parse({ providers: [provider] }).providers[0]?.revocationUrl).toBe(
      undefined,
    );
    const revocationUrl = 'https://auth.example.org/revoke';
    expect(
      OAuthConfig.parse({ providers: [{ ...provider, revocationUrl }] }).providers[0]
        ?.revocationUrl,
    ).toBe(revocationUrl);
    const insecure = OAuthConfig.safeParse({
      providers: [{ ...provider, revocationUrl: 'http://auth.example.org/revoke' }],
    });
    expect(insecure.error?.issues[0]?.path).toEqual(['providers', 0, 'revocationUrl']);
  });

  it('refuses duplicate and malformed connector types', () => {
    expect(OAuthConfig.safeParse({ providers: [provider, provider] }).success).toBe(false);
    expect(OAuthConfig.safeParse({ providers: [{ ...provider, type: 'Has Space' }] }).success).toBe(
      false,
    );
  });
});
