import type { Permission } from './api-types.ts';

/** The portal's pages; the URL path under `/portal` names one, the query holds list filters. */
export const BASE = '/portal';

export interface UserListQuery {
  search?: string;
  group?: string;
  source?: string;
  page: number;
}

export interface AuditFilters {
  action?: string;
  actor?: string;
  subject?: string;
  outcome?: string;
  from?: string;
  to?: string;
  page: number;
}

export type Route =
  | { name: 'login' }
  | { name: 'profile' }
  | { name: 'myCards' }
  | { name: 'mySessions' }
  | { name: 'myPrinters' }
  /** `result`: how an OAuth flow ended (set by the server's callback redirect). */
  | { name: 'myAuthorizations'; result?: string; connector?: string }
  | { name: 'printers' }
  | { name: 'users'; query: UserListQuery }
  | { name: 'newUser' }
  | { name: 'user'; username: string }
  | { name: 'cards'; search?: string; page: number }
  | { name: 'cardImport' }
  | { name: 'terminals' }
  | { name: 'groups' }
  | { name: 'settings' }
  | { name: 'audit'; filters: AuditFilters }
  | { name: 'notFound'; path: string };

export type RouteName = Route['name'];

/** What a page needs; the navigation shows only pages the user may open. */
export const ROUTE_PERMISSIONS: Record<RouteName, readonly Permission[]> = {
  login: [],
  notFound: [],
  profile: ['ViewMyProfile'],
  myCards: ['ViewMyProfile'],
  mySessions: ['ViewMyProfile'],
  myPrinters: ['ViewUserInputPorts'],
  myAuthorizations: ['ViewMyProfile'],
  printers: ['ManagePrinters'],
  users: ['ManageUsers'],
  newUser: ['ManageUsers'],
  user: ['ManageUsers'],
  cards: ['ViewCards'],
  cardImport: ['ManageCards'],
  terminals: ['ManageTerminals'],
  groups: ['ManageUsers'],
  settings: ['ManageSettings'],
  audit: ['ViewAudit'],
};

export function canOpen(route: Route, permissions: readonly string[]): boolean {
  return ROUTE_PERMISSIONS[route.name].every((p) => permissions.includes(p));
}

const pageOf = (value: string | null) => {
  const page = Number.parseInt(value ?? '', 10);
  return Number.isSafeInteger(page) && page > 0 ? page : 1;
};

const text = (params: URLSearchParams, key: string) => {
  const value = params.get(key)?.trim();
  return value ? value : undefined;
};

function decodeSegment(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

/** The page a URL shows. `/portal` and `/portal/` open the profile. */
export function parseRoute(pathname: string, search = ''): Route {
  const params = new URLSearchParams(search);
  if (pathname !== BASE && !pathname.startsWith(`${BASE}/`))
    return { name: 'notFound', path: pathname };
  const parts = pathname
    .slice(BASE.length)
    .split('/')
    .filter((p) => p !== '');
  const [first, second, third, ...rest] = parts;
  if (rest.length > 0) return { name: 'notFound', path: pathname };
  if (first === undefined) return { name: 'profile' };
  if (first === 'login' && second === undefined) return { name: 'login' };
  if (first === 'profile' && third === undefined) {
    if (second === undefined) return { name: 'profile' };
    if (second === 'cards') return { name: 'myCards' };
    if (second === 'sessions') return { name: 'mySessions' };
    if (second === 'printers') return { name: 'myPrinters' };
    if (second === 'authorizations') {
      return {
        name: 'myAuthorizations',
        result: text(params, 'result'),
        connector: text(params, 'connector'),
      };
    }
  }
  if (first === 'admin' && second === 'cards' && third === 'import') return { name: 'cardImport' };
  if (first === 'admin') {
    if (second === 'users' && third === undefined) {
      return {
        name: 'users',
        query: {
          search: text(params, 'search'),
          group: text(params, 'group'),
          source: text(params, 'source'),
          page: pageOf(params.get('page')),
        },
      };
    }
    if (second === 'users' && third !== undefined) {
      const username = decodeSegment(third);
      if (username) return { name: 'user', username };
    }
    if (third === undefined) {
      if (second === 'new-user') return { name: 'newUser' };
      if (second === 'cards') {
        return { name: 'cards', search: text(params, 'search'), page: pageOf(params.get('page')) };
      }
      if (second === 'settings') return { name: 'settings' };
      if (second === 'printers') return { name: 'printers' };
      if (second === 'terminals') return { name: 'terminals' };
      if (second === 'groups') return { name: 'groups' };
      if (second === 'audit') {
        return {
          name: 'audit',
          filters: {
            action: text(params, 'action'),
            actor: text(params, 'actor'),
            subject: text(params, 'subject'),
            outcome: text(params, 'outcome'),
            from: text(params, 'from'),
            to: text(params, 'to'),
            page: pageOf(params.get('page')),
          },
        };
      }
    }
  }
  return { name: 'notFound', path: pathname };
}

function withQuery(path: string, query: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === '' || (key === 'page' && value === 1)) continue;
    params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

/** The URL of a page; `parseRoute(hrefOf(r))` gives `r` back. */
export function hrefOf(route: Route): string {
  switch (route.name) {
    case 'login':
      return `${BASE}/login`;
    case 'profile':
      return `${BASE}/profile`;
    case 'myCards':
      return `${BASE}/profile/cards`;
    case 'mySessions':
      return `${BASE}/profile/sessions`;
    case 'myPrinters':
      return `${BASE}/profile/printers`;
    case 'myAuthorizations':
      return withQuery(`${BASE}/profile/authorizations`, {
        result: route.result,
        connector: route.connector,
      });
    case 'printers':
      return `${BASE}/admin/printers`;
    case 'users':
      return withQuery(`${BASE}/admin/users`, { ...route.query });
    case 'newUser':
      return `${BASE}/admin/new-user`;
    case 'user':
      return `${BASE}/admin/users/${encodeURIComponent(route.username)}`;
    case 'cards':
      return withQuery(`${BASE}/admin/cards`, { search: route.search, page: route.page });
    case 'settings':
      return `${BASE}/admin/settings`;
    case 'cardImport':
      return `${BASE}/admin/cards/import`;
    case 'terminals':
      return `${BASE}/admin/terminals`;
    case 'groups':
      return `${BASE}/admin/groups`;
    case 'audit':
      return withQuery(`${BASE}/admin/audit`, { ...route.filters });
    case 'notFound':
      return route.path;
  }
}

/** Whether a click on a link should be left to the browser (new tab, download, …). */
export function isModifiedClick(event: {
  button: number;
  metaKey: boolean;
  ctrlKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}): boolean {
  return event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey;
}

/** Where to go after logging in: a portal page named in `?next=`, never another site. */
export function nextAfterLogin(search: string): Route {
  const next = new URLSearchParams(search).get('next') ?? '';
  if (!next.startsWith(`${BASE}/`) || next.startsWith('//')) return { name: 'profile' };
  const url = new URL(next, 'http://portal.invalid');
  const route = parseRoute(url.pathname, url.search);
  return route.name === 'login' || route.name === 'notFound' ? { name: 'profile' } : route;
}

/** The login page, remembering the page that was asked for. */
export function loginHref(current: Route): string {
  if (current.name === 'login' || current.name === 'profile') return `${BASE}/login`;
  return `${BASE}/login?next=${encodeURIComponent(hrefOf(current))}`;
}
