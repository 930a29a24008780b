import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openSqliteStore } from './sqlite.ts';
import { describePrinterStoreContract } from './printers-contract.ts';
import { describeStoreContract } from './store-contract.ts';
import { describeSwipePathContract } from './swipe-path-contract.ts';

describeStoreContract('SQLite', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cardbind-store-'));
  const store = await openSqliteStore(dir);
  return {
    store,
    async cleanup() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

let dir: string | undefined;
describeSwipePathContract('SQLite', {
  async create(options) {
    dir = mkdtempSync(path.join(tmpdir(), 'cardbind-swipe-'));
    return openSqliteStore(dir, options);
  },
  async reopen() {
    if (!dir) throw new Error('reopen() before create()');
    return openSqliteStore(dir);
  },
  async cleanup() {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  },
});

describePrinterStoreContract('SQLite', async () => {
  const storeDir = mkdtempSync(path.join(tmpdir(), 'cardbind-printers-'));
  const store = await openSqliteStore(storeDir);
  return {
    store,
    async cleanup() {
      await store.close();
      rmSync(storeDir, { recursive: true, force: true });
    },
  };
});
