import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canOpen,
  hrefOf,
  loginHref,
  nextAfterLogin,
  parseRoute,
  ROUTE_PERMISSIONS,
  type Route,
} from './router.ts';

const parse = (href: string) => {
  const url = new URL(href, 'http://portal.test');
  return parseRoute(url.pathname, url.search);
};

describe('router', () => {
  it('maps portal URLs to pages', () => {
    expect(parse('/portal')).toEqual({ name: 'profile' });
    expect(parse('/portal/')).toEqual({ name: 'profile' });
    expect(parse('/portal/login')).toEqual({ name: 'login' });
    expect(parse('/portal/profile')).toEqual({ name: 'profile' });
    expect(parse('/portal/profile/cards')).toEqual({ name: 'myCards' });
    expect(parse('/portal/profile/sessions')).toEqual({ name: 'mySessions' });
    expect(parse('/portal/profile/printers')).toEqual({ name: 'myPrinters' });
    expect(parse('/portal/profile/authorizations?result=denied&connector=drive')).toEqual({
      name: 'myAuthorizations',
      result: 'denied',
      connector: 'drive',
    });
    expect(parse('/portal/admin/printers')).toEqual({ name: 'printers' });
    expect(parse('/portal/admin/new-user')).toEqual({ name: 'newUser' });
    expect(parse('/portal/admin/users/ada%20b')).toEqual({ name: 'user', username: 'ada b' });
    expect(parse('/portal/admin/settings')).toEqual({ name: 'settings' });
    expect(parse('/portal/admin/terminals')).toEqual({ name: 'terminals' });
    expect(parse('/portal/admin/groups')).toEqual({ name: 'groups' });
    expect(parse('/portal/admin/cards/import')).toEqual({ name: 'cardImport' });
    expect(parse('/portal/admin/cards/import/x')).toMatchObject({ name: 'notFound' });
    expect(parse('/portal/admin/cards?search=04A1&page=3')).toEqual({
      name: 'cards',
      search: '04A1',
      page: 3,
    });
    expect(parse('/portal/admin/users?search=%20ada%20&group=ADMINISTRATORS&page=2')).toEqual({
      name: 'users',
      query: { search: 'ada', group: 'ADMINISTRATORS', source: undefined, page: 2 },
    });
    expect(parse('/portal/admin/audit?outcome=failure&action=pin.generate')).toMatchObject({
      name: 'audit',
      filters: { outcome: 'failure', action: 'pin.generate', page: 1 },
    });
  });

  it('sends unknown paths and broken pages to "not found" or page 1', () => {
    expect(parse('/portal/nope')).toEqual({ name: 'notFound', path: '/portal/nope' });
    expect(parse('/portal/admin/users/a/b')).toEqual({
      name: 'notFound',
      path: '/portal/admin/users/a/b',
    });
    expect(parse('/portal/admin/users/%E0%A4%A')).toMatchObject({ name: 'notFound' });
    expect(parse('/portalx')).toMatchObject({ name: 'notFound' });
    expect(parse('/portal/admin/cards?page=-4')).toMatchObject({ page: 1 });
    expect(parse('/portal/admin/cards?page=abc')).toMatchObject({ page: 1 });
  });

  it('gives every page back from its own URL', () => {
    const text = fc.option(
      fc.string({ minLength: 1 }).filter((s) => s.trim() === s),
      {
        nil: undefined,
      },
    );
    const page = fc.integer({ min: 1, max: 10_000 });
    const route: fc.Arbitrary<Route> = fc.oneof(
      fc.constant<Route>({ name: 'login' }),
      fc.constant<Route>({ name: 'profile' }),
      fc.constant<Route>({ name: 'myCards' }),
      fc.constant<Route>({ name: 'mySessions' }),
      fc.constant<Route>({ name: 'myPrinters' }),
      fc.constant<Route>({ name: 'printers' }),
      fc
        .record({ result: text, connector: text })
        .map((r): Route => ({ name: 'myAuthorizations', ...r })),
      fc.constant<Route>({ name: 'newUser' }),
      fc.constant<Route>({ name: 'settings' }),
      fc.constant<Route>({ name: 'terminals' }),
      fc.constant<Route>({ name: 'groups' }),
      fc.constant<Route>({ name: 'cardImport' }),
      fc
        .string({ minLength: 1 })
        .filter((u) => u !== '.' && u !== '..')
        .map((username): Route => ({ name: 'user', username })),
      fc
        .record({ search: text, group: text, source: text, page })
        .map((query): Route => ({ name: 'users', query })),
      fc.record({ search: text, page }).map((r): Route => ({ name: 'cards', ...r })),
      fc
        .record({
          action: text,
          actor: text,
          subject: text,
          outcome: text,
          from: text,
          to: text,
          page,
        })
        .map((filters): Route => ({ name: 'audit', filters })),
    );
    fc.assert(
      fc.property(route, (r) => {
        expect(parse(hrefOf(r))).toEqual(r);
      }),
    );
  });

  it('shows a page only to those holding its permissions', () => {
    expect(canOpen({ name: 'profile' }, ['ViewMyProfile'])).toBe(true);
    expect(canOpen({ name: 'users', query: { page: 1 } }, ['ViewMyProfile'])).toBe(false);
    expect(canOpen({ name: 'users', query: { page: 1 } }, ['ManageUsers'])).toBe(true);
    expect(canOpen({ name: 'cards', page: 1 }, ['ManageUsers'])).toBe(false);
    expect(canOpen({ name: 'audit', filters: { page: 1 } }, ['ViewAudit'])).toBe(true);
    expect(canOpen({ name: 'notFound', path: '/x' }, [])).toBe(true);
    expect(ROUTE_PERMISSIONS.settings).toEqual(['ManageSettings']);
  });

  it('returns to the asked-for page after login, and only to a portal page', () => {
    const asked: Route = { name: 'users', query: { search: 'ada', page: 2 } };
    const login = new URL(loginHref(asked), 'http://portal.test');
    expect(login.pathname).toBe('/portal/login');
    expect(nextAfterLogin(login.search)).toEqual({
      name: 'users',
      query: { search: 'ada', group: undefined, source: undefined, page: 2 },
    });
    expect(loginHref({ name: 'profile' })).toBe('/portal/login');
    expect(nextAfterLogin('')).toEqual({ name: 'profile' });
    expect(nextAfterLogin('?next=https://evil.example/portal/x')).toEqual({ name: 'profile' });
    expect(nextAfterLogin('?next=//evil.example/portal/')).toEqual({ name: 'profile' });
    expect(nextAfterLogin('?next=/portal/login')).toEqual({ name: 'profile' });
    expect(nextAfterLogin('?next=/portal/nowhere')).toEqual({ name: 'profile' });
  });
});
