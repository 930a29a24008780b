import { describe, expect, it } from 'vitest';
import { ROLES, type Permission } from '../permissions.ts';
import { ADA, useApiFixture } from './api-fixture.ts';
import { routesOf } from './app.ts';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Caller =
  'anonymous' | 'terminal' | 'user' | 'cardManager' | 'auditor' | 'administrator' | 'adminToken';

/**
 * Every endpoint × every kind of caller. `needs` is what the endpoint requires: a permission
 * set, `terminal` (a terminal token), `session` (any user's session), `cookie` (a portal cookie
 * session, which no caller here has), or `public`.
 */
const ENDPOINTS: Array<{
  method: Method;
  url: string;
  needs: Permission[] | 'terminal' | 'session' | 'cookie' | 'public';
  userOnly?: true;
}> = [
  { method: 'GET', url: '/healthz', needs: 'public' },
  { method: 'GET', url: '/api/v1/openapi.json', needs: 'public' },
  { method: 'POST', url: '/api/v1/auth/pin-reset', needs: 'public' },
  { method: 'POST', url: '/api/v1/auth/token', needs: 'public' },
  { method: 'POST', url: '/api/v1/auth/cookie', needs: 'public' },
  { method: 'POST', url: '/api/v1/auth/cookie/refresh', needs: 'cookie' },
  { method: 'GET', url: '/api/v1/cards/export.csv', needs: ['ViewCards'] },
  { method: 'POST', url: '/api/v1/cards/import', needs: ['ManageCards'] },
  { method: 'GET', url: '/portal', needs: 'public' },
  { method: 'GET', url: '/portal/profile', needs: 'public' },
  { method: 'POST', url: '/api/v1/terminal/card-auth', needs: 'terminal' },
  { method: 'POST', url: '/api/v1/terminal/enroll', needs: 'terminal' },
  { method: 'POST', url: '/api/v1/terminal/login', needs: 'terminal' },
  { method: 'GET', url: '/api/v1/terminal/policy', needs: 'terminal' },
  { method: 'GET', url: '/api/v1/me', needs: ['ViewMyProfile'], userOnly: true },
  { method: 'PATCH', url: '/api/v1/me', needs: ['ModifyMyProfile'], userOnly: true },
  { method: 'PUT', url: '/api/v1/me/password', needs: ['ModifyMyProfile'], userOnly: true },
  {
    method: 'POST',
    url: '/api/v1/me/otp',
    needs: ['ModifyMyProfile', 'GenerateOTP'],
    userOnly: true,
  },
  {
    method: 'POST',
    url: '/api/v1/me/pin',
    needs: ['ModifyMyProfile', 'GenerateShortID'],
    userOnly: true,
  },
  { method: 'GET', url: '/api/v1/me/sessions', needs: ['ViewMyProfile'], userOnly: true },
  {
    method: 'DELETE',
    url: '/api/v1/me/sessions/999999',
    needs: ['ModifyMyProfile'],
    userOnly: true,
  },
  { method: 'GET', url: '/api/v1/cards', needs: ['ViewCards'] },
  { method: 'POST', url: '/api/v1/users/bob/otp', needs: ['ManageUsers'] },
  { method: 'POST', url: '/api/v1/users/bob/pin', needs: ['ManageUsers'] },
  { method: 'POST', url: '/api/v1/users/bob/unlock', needs: ['ManageUsers'] },
  { method: 'DELETE', url: '/api/v1/sessions/999999', needs: ['ManageUsers'] },
  { method: 'GET', url: '/api/v1/users', needs: ['ManageUsers'] },
  { method: 'POST', url: '/api/v1/users', needs: ['ManageUsers'] },
  { method: 'GET', url: '/api/v1/users/bob', needs: ['ManageUsers'] },
  { method: 'PATCH', url: '/api/v1/users/bob', needs: ['ManageUsers'] },
  { method: 'PUT', url: '/api/v1/users/bob/password', needs: ['ManageUsers'] },
  { method: 'PUT', url: '/api/v1/users/bob/groups', needs: ['ManageUsers'] },
  { method: 'GET', url: '/api/v1/users/bob/sessions', needs: ['ManageUsers'] },
  { method: 'POST', url: '/api/v1/users/bob/cards', needs: ['ManageCards'] },
  { method: 'DELETE', url: '/api/v1/cards/NOPE', needs: ['ManageCards'] },
  { method: 'GET', url: '/api/v1/groups', needs: ['ManageUsers'] },
  { method: 'PUT', url: '/api/v1/groups/Staff/roles', needs: ['ManageSettings'] },
  { method: 'GET', url: '/api/v1/terminals', needs: ['ManageTerminals'] },
  { method: 'POST', url: '/api/v1/terminals', needs: ['ManageTerminals'] },
  { method: 'PATCH', url: '/api/v1/terminals/NOPE', needs: ['ManageTerminals'] },
  { method: 'POST', url: '/api/v1/terminals/NOPE/revoke', needs: ['ManageTerminals'] },
  { method: 'GET', url: '/api/v1/settings', needs: ['ManageSettings'] },
  { method: 'PUT', url: '/api/v1/settings', needs: ['ManageSettings'] },
  { method: 'GET', url: '/api/v1/settings/advice', needs: ['ManageSettings'] },
  { method: 'GET', url: '/api/v1/pin-policy', needs: ['ManageSettings'] },
  { method: 'GET', url: '/api/v1/audit', needs: ['ViewAudit'] },
  { method: 'GET', url: '/api/v1/printers', needs: ['ManagePrinters'] },
  { method: 'POST', url: '/api/v1/printers/containers', needs: ['ManagePrinters'] },
  { method: 'PATCH', url: '/api/v1/printers/containers/999999', needs: ['ManagePrinters'] },
  { method: 'DELETE', url: '/api/v1/printers/containers/999999', needs: ['ManagePrinters'] },
  { method: 'POST', url: '/api/v1/printers/queues', needs: ['ManagePrinters'] },
  { method: 'PATCH', url: '/api/v1/printers/queues/999999', needs: ['ManagePrinters'] },
  { method: 'DELETE', url: '/api/v1/printers/queues/999999', needs: ['ManagePrinters'] },
  { method: 'GET', url: '/api/v1/me/printers', needs: ['ViewUserInputPorts'], userOnly: true },
  {
    method: 'PUT',
    url: '/api/v1/me/printers/favourites',
    needs: ['ViewUserInputPorts'],
    userOnly: true,
  },
  { method: 'GET', url: '/api/v1/me/authorizations', needs: ['ViewMyProfile'], userOnly: true },
  {
    method: 'POST',
    url: '/api/v1/me/authorizations/nope/start',
    needs: ['ModifyMyProfile'],
    userOnly: true,
  },
  {
    method: 'DELETE',
    url: '/api/v1/me/authorizations/nope',
    needs: ['ModifyMyProfile'],
    userOnly: true,
  },
  { method: 'GET', url: '/api/v1/oauth/callback', needs: 'public' },
  // Last: they end the sessions the callers above use. The cookie logout ends whatever session
  // the caller has, and answers 204 to anyone.
  { method: 'POST', url: '/api/v1/auth/logout', needs: 'session' },
  { method: 'POST', url: '/api/v1/auth/cookie/logout', needs: 'public' },
];

const USER_SESSIONS: readonly Caller[] = ['user', 'cardManager', 'auditor', 'administrator'];

function isAllowed(endpoint: (typeof ENDPOINTS)[number], caller: Caller): boolean {
  const { needs } = endpoint;
  if (needs === 'public') return true;
  if (needs === 'cookie') return false;
  if (needs === 'terminal') return caller === 'terminal';
  if (needs === 'session') return USER_SESSIONS.includes(caller);
  return (
    needs.every((p) => PERMISSIONS_OF[caller].includes(p)) &&
    !(endpoint.userOnly && caller === 'adminToken')
  );
}

const PERMISSIONS_OF: Record<Caller, readonly Permission[]> = {
  anonymous: [],
  terminal: [],
  user: ROLES['self-service'],
  cardManager: [...ROLES['self-service'], ...ROLES['card-manager']],
  auditor: [...ROLES['self-service'], ...ROLES.auditor],
  administrator: ROLES.administrator,
  adminToken: [
    'ManageUsers',
    'ViewCards',
    'ManageCards',
    'ManageTerminals',
    'ManageSettings',
    'ViewAudit',
    'ManagePrinters',
  ],
};

/** A route pattern as its router reads it: `:param` is one path segment, `*` anything. */
function routePatternToRegExp(pattern: string): RegExp {
  const parts = pattern.split(/(:[^/]+|\*)/).map((part) => {
    if (part === '*') return '.*';
    if (part.startsWith(':')) return '[^/]+';
    return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  });
  return new RegExp(`^${parts.join('')}$`);
}

describe('authorization matrix', () => {
  const f = useApiFixture();

  it('lists every route the server has', () => {
    const listed = (route: string) => {
      const [method, pattern] = route.split(' ') as [string, string];
      const url = routePatternToRegExp(pattern);
      return ENDPOINTS.some((e) => e.method.toLowerCase() === method && url.test(e.url));
    };
    expect(routesOf(f.app).filter((route) => !listed(route))).toEqual([]);
  });

  it('lets every caller do exactly what its permissions allow', async () => {
    const session = async (username: string, groups: string[]) => {
      const user = await f.context.admin.addUser({
        username,
        fullName: username,
        email: null,
        password: ADA.password,
      });
      for (const group of groups) await f.store.addUserToGroup(user.id, group);
      const response = await f.app.inject({
        method: 'POST',
        url: '/api/v1/auth/token',
        payload: { grant_type: 'password', client_id: 'matrix', username, password: ADA.password },
      });
      return (response.json() as { access_token: string }).access_token;
    };
    await f.store.grantRole('Card desk', 'card-manager');
    await f.store.grantRole('Auditors', 'auditor');
    const tokens: Record<Caller, string | null> = {
      anonymous: null,
      terminal: f.terminalToken,
      user: await session('plain', []),
      cardManager: await session('carddesk', ['Card desk']),
      auditor: await session('audrey', ['Auditors']),
      administrator: await session('root', ['ADMINISTRATORS']),
      adminToken: f.adminToken,
    };

    const failures: string[] = [];
    for (const endpoint of ENDPOINTS) {
      for (const [caller, token] of Object.entries(tokens) as Array<[Caller, string | null]>) {
        const allowed = isAllowed(endpoint, caller);
        const response = await f.app.inject({
          method: endpoint.method,
          url: endpoint.url,
          headers: token ? { authorization: `Bearer ${token}` } : {},
          ...(endpoint.method === 'GET' || endpoint.method === 'DELETE' ? {} : { payload: {} }),
        });
        const denied = response.statusCode === 401 || response.statusCode === 403;
        // Allowed calls may still fail validation (400) or find nothing (404), never 401/403.
        if (allowed === denied) {
          failures.push(
            `${endpoint.method} ${endpoint.url} as ${caller}: ${response.statusCode}, expected ${allowed ? 'allowed' : 'denied'}`,
          );
        }
        if (!allowed && !denied) continue;
        if (!allowed) {
          const expectedStatus =
            token === null ||
            caller === 'terminal' ||
            endpoint.needs === 'terminal' ||
            endpoint.needs === 'cookie'
              ? 401
              : 403;
          if (
            response.statusCode !== expectedStatus &&
            !(endpoint.needs === 'terminal' && response.statusCode === 401)
          ) {
            failures.push(
              `${endpoint.method} ${endpoint.url} as ${caller}: ${response.statusCode}, expected ${expectedStatus}`,
            );
          }
        }
      }
    }
    expect(failures).toEqual([]);
  });
});
