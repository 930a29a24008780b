import { randomBytes } from 'node:crypto';
import { silentLogger } from '@cardbind/shared';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  authorizeConnector,
  connectorFor,
  startOAuthProvider,
  type TestOAuthProvider,
} from '../../../../test/support/oauth-provider.ts';
import { startPostgres, type TestPostgres } from '../../../../test/support/postgres.ts';
import { createContext, type ServerContext } from '../context.ts';
import type { KyselyStore } from '../store/kysely-store.ts';
import { openPostgresStore } from '../store/postgres.ts';
import { buildApp } from './app.ts';

/**
 * Two server instances behind a load balancer share one PostgreSQL database and one server
 * key: lockout counters, single-use OTPs, PIN lookups and OAuth refreshes must hold across them.
 */
const ADA_PASSWORD = 'correct horse battery';

describe('several server instances on one PostgreSQL database', () => {
  let cluster: TestPostgres;
  const stores: KyselyStore[] = [];
  const apps: FastifyInstance[] = [];
  let contexts: ServerContext[];
  let terminalToken: string;
  let provider: TestOAuthProvider;

  beforeAll(async () => {
    // Its first access tokens last 30 s: inside the refresh margin, so the first use wants a
    // refresh. The tests make the refreshed ones last longer where they need them to.
    provider = await startOAuthProvider({ expiresIn: 30 });
    cluster = await startPostgres();
    const url = await cluster.createDatabase();
    const serverKey = randomBytes(32);
    contexts = [];
    for (let i = 0; i < 2; i++) {
      const store = await openPostgresStore(url);
      stores.push(store);
      const context = createContext({
        store,
        serverKey,
        logger: silentLogger,
        passwordHashing: { memoryCost: 4096, timeCost: 1, parallelism: 1 },
        oauth: {
          providers: [connectorFor(provider, 'cloud-drive', 'Cloud drive')],
        },
      });
      contexts.push(context);
      apps.push(buildApp({ context }));
    }
    await contexts[0]!.admin.addUser({
      username: 'ada',
      fullName: 'Ada Lovelace',
      email: null,
      password: ADA_PASSWORD,
    });
    terminalToken = (await contexts[0]!.admin.addTerminal('Lobby')).token;
  }, 60_000);

  afterAll(async () => {
    for (const app of apps) await app.close();
    for (const store of stores) await store.close();
    await cluster?.stop();
    await provider?.close();
  });

  const login = (instance: number, body: object) =>
    apps[instance]!.inject({
      method: 'POST',
      url: '/api/v1/terminal/login',
      headers: { authorization: `Bearer ${terminalToken}` },
      payload: body,
    });

  it('counts failed logins across instances and locks out on all of them', async () => {
    const wrong = { method: 'password', username: 'ada', secret: 'wrong' };
    const attemptsLeft = [];
    for (let i = 0; i < 5; i++) {
      const response = await login(i % 2, wrong);
      attemptsLeft.push(
        (response.json() as { error: { attemptsLeft: number } }).error.attemptsLeft,
      );
    }
    expect(attemptsLeft).toEqual([4, 3, 2, 1, 0]);
    for (const instance of [0, 1]) {
      const blocked = await login(instance, {
        method: 'password',
        username: 'ada',
        secret: 'correct horse battery',
      });
      expect(blocked.statusCode).toBe(429);
    }
    await contexts[1]!.admin.unlock('ada');
  });

  it('lets an OTP be used once even when both instances receive it at the same moment', async () => {
    await contexts[0]!.settings.replace({ terminalLogin: { methods: ['password', 'otp', 'pin'] } });
    const { otp } = await contexts[0]!.admin.generateOtp('ada');
    const responses = await Promise.all(
      [0, 1].map((i) => login(i, { method: 'otp', username: 'ada', secret: otp })),
    );
    expect(responses.map((r) => r.statusCode).sort()).toEqual([200, 401]);
  });

  it('finds a PIN issued by one instance on the other', async () => {
    const { pin } = await contexts[1]!.admin.generatePin('ada');
    expect((await login(0, { method: 'pin', pin })).statusCode).toBe(200);
  });

  /** Ada logs in on instance 0 and authorizes cloud-drive there, as in the portal. */
  const authorizeAdaForCloudDrive = async () => {
    const login = await apps[0]!.inject({
      method: 'POST',
      url: '/api/v1/auth/token',
      payload: {
        grant_type: 'password',
        client_id: 'test',
        username: 'ada',
        password: ADA_PASSWORD,
      },
    });
    await authorizeConnector(
      apps[0]!,
      (login.json() as { access_token: string }).access_token,
      'cloud-drive',
    );
  };

  it('spends a rotating OAuth refresh token once when both instances need a new access token', async () => {
    await authorizeAdaForCloudDrive();
    const ada = (await stores[0]!.findUserByUsername('ada'))!.id;
    // The refreshed token must not be due at once too: an instance reading the row after the
    // other stored it would refresh again.
    provider.expiresIn = 3600;
    const before = provider.tokenRequests.length;
    // Each instance has its own in-process guard; only the database can make them take turns.
    const [a, b] = await Promise.all(
      contexts.map((context) => context.authorizations.getAccessToken(ada, 'cloud-drive')),
    );
    expect(provider.tokenRequests.slice(before)).toEqual([{ grant: 'refresh_token', status: 200 }]);
    expect(a).toBe(provider.issued.at(-1));
    expect(b).toBe(a);
  });

  it('asks a provider that is down once when both instances need a new access token', async () => {
    const ada = (await stores[0]!.findUserByUsername('ada'))!.id;
    // Authorized (again) with a token that is due for a refresh at once.
    provider.expiresIn = 30;
    await authorizeAdaForCloudDrive();
    const issued = provider.issued.at(-1);
    provider.down = true;
    const before = provider.tokenRequests.length;
    try {
      // Instance 0 takes the lease and asks the provider only once instance 1 found it taken
      // and waits: so instance 1 sees the lease end with the tokens unchanged.
      let instance0Holds!: () => void;
      const holding = new Promise<void>((resolve) => (instance0Holds = resolve));
      let instance1Waits!: () => void;
      const waiting = new Promise<void>((resolve) => (instance1Waits = resolve));
      const leaseRefresh = (i: number) => {
        const repository = stores[i]!.authorizations;
        const original = repository.leaseRefresh.bind(repository);
        return vi
          .spyOn(repository, 'leaseRefresh')
          .mockImplementation(async (...args: Parameters<typeof original>) => {
            const taken = await original(...args);
            if (i === 0 && taken) {
              instance0Holds();
              await waiting;
            }
            if (i === 1 && !taken) instance1Waits();
            return taken;
          });
      };
      leaseRefresh(0);
      leaseRefresh(1);
      const first = contexts[0]!.authorizations.getAccessToken(ada, 'cloud-drive');
      await holding;
      const [a, b] = await Promise.all([
        first,
        contexts[1]!.authorizations.getAccessToken(ada, 'cloud-drive'),
      ]);
      // Both hand out the old token, still good for a few seconds; one 503, not two.
      expect([a, b]).toEqual([issued, issued]);
      expect(provider.tokenRequests.slice(before)).toEqual([
        { grant: 'refresh_token', status: 503 },
      ]);
    } finally {
      vi.restoreAllMocks();
      provider.down = false;
    }
  });
});
