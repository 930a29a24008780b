import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { silentLogger } from '@cardbind/shared';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openSqliteStore, SQLITE_FILE_NAME, type SqliteStore } from './sqlite.ts';
import { SqliteCheckpointer } from './sqlite-checkpointer.ts';

const at = '2026-01-01T10:00:00.000Z';

const event = (detail: string) => ({
  at,
  action: 'card.auth',
  outcome: 'success' as const,
  actor: null,
  subject: null,
  terminal: null,
  card: null,
  detail,
});

/** Writes `megabytes` of audit rows, 100 kB a transaction: 4 KiB pages, ~250 WAL pages a MB. */
async function write(store: SqliteStore, megabytes: number) {
  const detail = 'x'.repeat(1_000);
  for (let n = 0; n < megabytes * 1_000; n++) {
    store.audit.append(event(detail));
    if (n % 100 === 99) await store.audit.flush();
  }
  await store.audit.flush();
}

describe('SQLite checkpoints on a worker thread', () => {
  let dir: string;
  const stores: SqliteStore[] = [];
  const open = async (options: Parameters<typeof openSqliteStore>[1] = {}) => {
    const store = await openSqliteStore(dir, {
      backgroundCheckpoints: true,
      checkpointIntervalMs: 3_600_000, // the tests checkpoint when they choose to
      ...options,
    });
    stores.push(store);
    return store;
  };

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'cardbind-checkpoint-'));
  });
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  });

  it('leaves the serving connection alone: the WAL grows past SQLite’s automatic checkpoint', async () => {
    const store = await open();
    await write(store, 5);
    const checkpointer = store.checkpointer;
    expect(checkpointer).toBeDefined();
    // SQLite would have checkpointed and restarted the log at 1,000 pages on its own.
    const result = await checkpointer?.checkpointNow();
    expect(result?.log).toBeGreaterThan(1_000);
    expect(result).toEqual({ busy: false, log: result?.log, checkpointed: result?.log });
  });

  it('without the thread, SQLite checkpoints as it commits (the admin CLI)', async () => {
    const store = await open({ backgroundCheckpoints: false });
    expect(store.checkpointer).toBeUndefined();
    await write(store, 5);
    const wal = path.join(dir, `${SQLITE_FILE_NAME}-wal`);
    // Restarted from the start after every automatic checkpoint: 1,000 pages and one commit.
    expect(statSync(wal).size).toBeLessThan(1_100 * (4_096 + 24));
  });

  it('checkpoints every interval by itself', async () => {
    const store = await open({ checkpointIntervalMs: 50 });
    await write(store, 1);
    // Waits for the periodic checkpoint (no clock is asserted on): it copied the whole WAL.
    await vi.waitFor(() => expect(store.checkpointer?.lastPeriodic?.log).toBeGreaterThan(250), {
      timeout: 10_000,
      interval: 20,
    });
    const periodic = store.checkpointer?.lastPeriodic;
    expect(periodic?.checkpointed).toBe(periodic?.log);
  });

  it('on close, writes the last audit rows, checkpoints, ends the thread; the data stays', async () => {
    const store = await open();
    await write(store, 1);
    store.audit.append(event('last'));
    const checkpointer = store.checkpointer!;
    await store.close();
    await checkpointer.whenExited;
    await expect(checkpointer.checkpointNow()).rejects.toThrow(/not running/);
    // The last connection closed: SQLite folded the WAL into the database and removed it.
    expect(existsSync(path.join(dir, `${SQLITE_FILE_NAME}-wal`))).toBe(false);
    const reopened = await open({ backgroundCheckpoints: false });
    const [last] = await reopened.audit.list({ limit: 1, offset: 0 });
    expect(last?.detail).toBe('last');
  });

  it('finishes closing in a process with nothing else to keep it alive', async () => {
    // The thread is unreferenced so as not to hold a server up; waiting for its final
    // checkpoint must hold the process, or Node exits in the middle of close().
    const script = [
      `import { openSqliteStore } from ${JSON.stringify(path.resolve(import.meta.dirname, 'sqlite.ts'))};`,
      `const store = await openSqliteStore(${JSON.stringify(dir)}, { backgroundCheckpoints: true });`,
      'await store.close();',
      "process.stdout.write('closed');",
    ].join('\n');
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '--eval', script],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(child.stderr).toBe('');
    expect(child.stdout).toBe('closed');
    expect(child.status).toBe(0);
  });

  it('reports a thread that cannot start, so the caller can fall back', async () => {
    const onFailure = vi.fn();
    const errors: unknown[] = [];
    const checkpointer = new SqliteCheckpointer(path.join(dir, 'missing.sqlite'), {
      logger: { ...silentLogger, error: (message: string) => errors.push(message) },
      onFailure,
    });
    await checkpointer.whenExited;
    expect(onFailure).toHaveBeenCalledOnce();
    expect(errors).toContain(
      'SQLite checkpoint thread stopped; automatic checkpoints are back on the server thread',
    );
    expect(await checkpointer.stop()).toBeUndefined();
  });
});
