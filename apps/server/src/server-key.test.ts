import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadServerKey, SERVER_KEY_ENV } from './server-key.ts';

describe('loadServerKey', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cardbind-key-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('creates a private key file in a new data directory and reuses it', () => {
    const dataDir = path.join(tempDir(), 'not-yet-there');
    const key = loadServerKey({ dataDir, env: {} });
    expect(key).toHaveLength(32);
    expect(statSync(path.join(dataDir, 'secret.key')).mode & 0o777).toBe(0o600);
    expect(loadServerKey({ dataDir, env: {} })).toEqual(key);
  });

  it('prefers the environment, and demands it without a data directory', () => {
    const key = Buffer.alloc(32, 7);
    expect(loadServerKey({ env: { [SERVER_KEY_ENV]: key.toString('base64') } })).toEqual(key);
    expect(() => loadServerKey({ env: {} })).toThrow(/CARDBIND_SECRET_KEY.*openssl rand/);
    expect(() => loadServerKey({ env: { [SERVER_KEY_ENV]: 'c2hvcnQ=' } })).toThrow(
      /at least 32 bytes/,
    );
  });
});
