import { readFileSync } from 'node:fs';
import { z } from 'zod';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** Plain HTTP only to this machine (tests, a provider on the same host); HTTPS everywhere else. */
const endpoint = z.url().refine((value) => {
  const url = new URL(value);
  return (
    url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))
  );
}, 'must be an https:// URL (http:// only for 127.0.0.1, [::1] or localhost)');

/**
 * A connector type users authorize (a cloud storage for scanned documents, say): an OAuth 2.0
 * authorization server where Cardbind is a registered confidential client.
 */
export const ConnectorProvider = z.strictObject({
  /** Stable id in URLs and the database: lower-case letters, digits and dashes. */
  type: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be lower-case letters, digits and dashes'),
  /** What users see. */
  name: z.string().min(1).max(200),
  clientId: z.string().min(1).max(1000),
  /** Never leaves the server except to the token endpoint. */
  clientSecret: z.string().min(1).max(1000),
  authorizeUrl: endpoint,
  tokenUrl: endpoint,
  /**
   * The RFC 7009 revocation endpoint, if the provider has one: when a user revokes, Cardbind
   * asks the provider to invalidate the tokens too (best effort; the local revoke always holds).
   */
  revocationUrl: endpoint.optional(),
  scopes: z.array(z.string().min(1).max(200)).default([]),
  /** Groups whose members see this connector type; absent: everybody. */
  groups: z.array(z.string().min(1)).optional(),
  /** How the client authenticates at the token endpoint (RFC 6749 §2.3.1). */
  clientAuthentication: z.enum(['basic', 'post']).default('basic'),
});
export type ConnectorProvider = z.infer<typeof ConnectorProvider>;

export const OAuthConfig = z.strictObject({
  /**
   * The public address of `/api/v1/oauth/callback` as registered at the providers. Without it,
   * the address is taken from the request (fine when browsers reach the server directly).
   */
  redirectUri: z.url().optional(),
  providers: z
    .array(ConnectorProvider)
    .refine(
      (providers) => new Set(providers.map((p) => p.type)).size === providers.length,
      'connector types must be unique',
    ),
});
export type OAuthConfig = z.infer<typeof OAuthConfig>;

/** Reads the providers file (`cardbind server --oauth-providers FILE`); errors name the field. */
export function loadOAuthConfig(file: string): OAuthConfig {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read the OAuth providers file ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const result = OAuthConfig.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(
      `The OAuth providers file ${file} is invalid at ${issue?.path.join('.') || '(top)'}: ${issue?.message ?? 'invalid'}.`,
    );
  }
  return result.data;
}
