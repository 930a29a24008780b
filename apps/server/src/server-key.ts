import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const SERVER_KEY_ENV = 'CARDBIND_SECRET_KEY';
const KEY_FILE = 'secret.key';

/**
 * The key of the keyed hashes that store PINs and OTPs. It lives outside the database, so a
 * stolen database alone does not let anyone test PINs offline. Several server instances
 * (PostgreSQL) must share it through the environment.
 */
export function loadServerKey(options: { dataDir?: string; env?: NodeJS.ProcessEnv }): Buffer {
  const fromEnv = (options.env ?? process.env)[SERVER_KEY_ENV];
  if (fromEnv) {
    const key = Buffer.from(fromEnv, 'base64');
    if (key.length < 32) {
      throw new Error(
        `${SERVER_KEY_ENV} must be at least 32 bytes, base64-encoded (openssl rand -base64 32).`,
      );
    }
    return key;
  }
  if (!options.dataDir) {
    throw new Error(
      `Set ${SERVER_KEY_ENV} to the same secret on every server instance (create one with: openssl rand -base64 32).`,
    );
  }
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(options.dataDir, KEY_FILE);
  if (!existsSync(file)) {
    try {
      writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // Another process (the admin CLI, a second server) created it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length < 32) throw new Error(`${file} is damaged: expected 32 base64-encoded bytes.`);
  return key;
}
