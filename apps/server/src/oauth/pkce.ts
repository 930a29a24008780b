import { createHash, randomBytes } from 'node:crypto';

/** A PKCE code verifier (RFC 7636 §4.1): 256 random bits, 43 base64url characters. */
export function createCodeVerifier(): string {
  return randomBytes(32).toString('base64url');
}

/** The S256 code challenge of a verifier (RFC 7636 §4.2). */
export function codeChallengeOf(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** The `state` parameter: unguessable, so a callback cannot be forged for someone else's flow. */
export function createState(): string {
  return randomBytes(32).toString('base64url');
}
