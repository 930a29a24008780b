import { afterAll, beforeAll } from 'vitest';
import { startPostgres, type TestPostgres } from '../../../../test/support/postgres.ts';
import { openPostgresStore } from './postgres.ts';
import { describeStoreContract } from './store-contract.ts';

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
