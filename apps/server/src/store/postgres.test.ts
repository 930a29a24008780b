import { afterAll, beforeAll } from 'vitest';
import { startPostgres, type TestPostgres } from '../../../../test/support/postgres.ts';
import { openPostgresStore } from './postgres.ts';
import { describePrinterStoreContract } from './printers-contract.ts';
import { describeStoreContract } from './store-contract.ts';
import { describeSwipePathContract } from './swipe-path-contract.ts';

let cluster: TestPostgres;
beforeAll(async () => {
  cluster = await startPostgres();
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
});

describeStoreContract('PostgreSQL', async () => {
  const store = await openPostgresStore(await cluster.createDatabase());
  return { store, cleanup: () => store.close() };
});

let url: string | undefined;
describeSwipePathContract('PostgreSQL', {
  async create(options) {
    url = await cluster.createDatabase();
    return openPostgresStore(url, options);
  },
  async reopen() {
    if (!url) throw new Error('reopen() before create()');
    return openPostgresStore(url);
  },
  // Each test gets a database of its own; the cluster goes at the end.
  async cleanup() {
    url = undefined;
  },
});

describePrinterStoreContract('PostgreSQL', async () => {
  const store = await openPostgresStore(await cluster.createDatabase());
  return { store, cleanup: () => store.close() };
});
