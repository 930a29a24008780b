import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import type { ApiClient } from './api.ts';
import type { Me, Permission } from './api-types.ts';
import { Denied, Link, Notice, PageHeader } from './components.tsx';
import { dateFormatter, PortalContext, usePortal, type Portal } from './context.ts';
import { errorText, isPermissionDenied } from './errors.ts';
import {
  LANGUAGE_NAMES,
  LANGUAGES,
  isLanguage,
  pickLanguage,
  translator,
  type Language,
  type MessageKey,
  type Translate,
} from './i18n/i18n.ts';
import {
  canOpen,
  hrefOf,
  loginHref,
  nextAfterLogin,
  parseRoute,
  type Route,
  type RouteName,
} from './router.ts';
import { AdminCards } from './views/AdminCards.tsx';
import { Audit } from './views/Audit.tsx';
import { CardImport } from './views/CardImport.tsx';
import { Groups } from './views/Groups.tsx';
import { Login } from './views/Login.tsx';
import { AdminPrinters } from './views/AdminPrinters.tsx';
import { MyAuthorizations } from './views/MyAuthorizations.tsx';
import { MyCards } from './views/MyCards.tsx';
import { MyPrinters } from './views/MyPrinters.tsx';
import { MySessions } from './views/MySessions.tsx';
import { NewUser } from './views/NewUser.tsx';
import { Profile } from './views/Profile.tsx';
import { Settings } from './views/Settings.tsx';
import { Terminals } from './views/Terminals.tsx';
import { UserDetail } from './views/UserDetail.tsx';
import { Users } from './views/Users.tsx';

export const LANGUAGE_STORAGE_KEY = 'cardbind.portal.language';

type Auth =
  | { state: 'checking' }
  | { state: 'out'; notice?: MessageKey }
  | { state: 'in'; me: Me }
  | { state: 'failed'; error: unknown };

interface NavItem {
  route: Route;
  label: MessageKey;
  /** Route names that light this item up. */
  matches: RouteName[];
}

const MY_ITEMS: NavItem[] = [
  { route: { name: 'profile' }, label: 'nav.profile', matches: ['profile'] },
  { route: { name: 'myCards' }, label: 'nav.cards', matches: ['myCards'] },
  { route: { name: 'myPrinters' }, label: 'nav.printers', matches: ['myPrinters'] },
  {
    route: { name: 'myAuthorizations' },
    label: 'nav.authorizations',
    matches: ['myAuthorizations'],
  },
  { route: { name: 'mySessions' }, label: 'nav.sessions', matches: ['mySessions'] },
];
const ADMIN_ITEMS: NavItem[] = [
  {
    route: { name: 'users', query: { page: 1 } },
    label: 'nav.users',
    matches: ['users', 'user', 'newUser'],
  },
  {
    route: { name: 'cards', page: 1 },
    label: 'nav.enrolledCards',
    matches: ['cards', 'cardImport'],
  },
  { route: { name: 'terminals' }, label: 'nav.terminals', matches: ['terminals'] },
  { route: { name: 'groups' }, label: 'nav.groups', matches: ['groups'] },
  { route: { name: 'printers' }, label: 'nav.printQueues', matches: ['printers'] },
  { route: { name: 'settings' }, label: 'nav.settings', matches: ['settings'] },
  { route: { name: 'audit', filters: { page: 1 } }, label: 'nav.audit', matches: ['audit'] },
];

const TITLES: Record<RouteName, MessageKey> = {
  login: 'login.title',
  profile: 'profile.title',
  myCards: 'cards.title',
  mySessions: 'sessions.title',
  myPrinters: 'myPrinters.title',
  myAuthorizations: 'authorizations.title',
  printers: 'adminPrinters.title',
  users: 'users.title',
  newUser: 'newUser.title',
  user: 'users.title',
  cards: 'adminCards.title',
  cardImport: 'cardImport.title',
  terminals: 'terminals.title',
  groups: 'groups.title',
  settings: 'settings.title',
  audit: 'audit.title',
  notFound: 'notFound.title',
};

function storedLanguage(): string | null {
  try {
    return window.localStorage.getItem(LANGUAGE_STORAGE_KEY);
  } catch {
    return null;
  }
}

function currentLocation() {
  return { pathname: window.location.pathname, search: window.location.search };
}

export function App(props: { api: ApiClient; initialLanguage: Language }) {
  const { api } = props;
  const [language, setLanguage] = useState<Language>(props.initialLanguage);
  const [location, setLocation] = useState(currentLocation);
  const [auth, setAuth] = useState<Auth>(() =>
    api.hasSession ? { state: 'checking' } : { state: 'out' },
  );
  const [menuOpen, setMenuOpen] = useState(false);
  const route = parseRoute(location.pathname, location.search);
  const t = useMemo(() => translator(language), [language]);

  const navigate = useCallback((next: Route, options: { replace?: boolean } = {}) => {
    const href = hrefOf(next);
    if (options.replace) window.history.replaceState(null, '', href);
    else window.history.pushState(null, '', href);
    setLocation(currentLocation());
    setMenuOpen(false);
    window.scrollTo(0, 0);
  }, []);

  useEffect(() => {
    const onPop = () => setLocation(currentLocation());
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  useEffect(
    () => api.onSessionEnded(() => setAuth({ state: 'out', notice: 'login.sessionEnded' })),
    [api],
  );

  const loadMe = useCallback(async () => {
    try {
      const me = await api.get<Me>('/me');
      // The account's language, once chosen (English too), follows the user to a new browser.
      // Until then it is null and the browser's language stays; so does a language picked
      // with the switcher in this browser, which is the more recent choice here.
      if (storedLanguage() === null && isLanguage(me.language)) setLanguage(me.language);
      setAuth({ state: 'in', me });
    } catch (error) {
      // A 401 ends the session through onSessionEnded; anything else is shown.
      if (api.hasSession) setAuth({ state: 'failed', error });
    }
  }, [api]);

  useEffect(() => {
    if (auth.state === 'checking') void loadMe();
  }, [auth.state, loadMe]);

  // Logged out on a portal page: show the login page, remembering where the user wanted to go.
  useEffect(() => {
    if (auth.state === 'out' && route.name !== 'login') {
      window.history.replaceState(null, '', loginHref(route));
      setLocation(currentLocation());
    }
    if (auth.state === 'in' && route.name === 'login') {
      navigate(nextAfterLogin(location.search), { replace: true });
    }
  }, [auth.state, route.name, location.search, navigate]);

  useEffect(() => {
    document.documentElement.lang = language;
    document.title = `${t(TITLES[route.name])} · ${t('app.name')}`;
  }, [language, route.name, t]);

  const chooseLanguage = (value: string) => {
    if (!isLanguage(value)) return;
    setLanguage(value);
    try {
      window.localStorage.setItem(LANGUAGE_STORAGE_KEY, value);
    } catch {
      // Private mode without storage: the choice lasts for this page.
    }
  };

  const followBrowserLanguage = () => {
    try {
      window.localStorage.removeItem(LANGUAGE_STORAGE_KEY);
    } catch {
      // Nothing stored without storage.
    }
    setLanguage(pickLanguage(null, navigator.languages));
  };

  const logout = async () => {
    try {
      await api.logout();
    } catch {
      // The cookies are cleared by the server when it answers; either way this tab forgets them.
    }
    // An explicit logout starts over: the next login opens the profile, not this page.
    navigate({ name: 'login' }, { replace: true });
    setAuth({ state: 'out', notice: 'login.loggedOut' });
  };

  const switcher = <LanguageSwitcher t={t} language={language} onChange={chooseLanguage} />;

  if (auth.state === 'out' || (auth.state === 'in' && route.name === 'login')) {
    return (
      <div class="login-page">
        <header class="login-header">
          <span class="brand">{t('app.portal')}</span>
          {switcher}
        </header>
        <main id="main">
          {auth.state === 'out' && (
            <Login
              api={api}
              t={t}
              {...(auth.notice ? { notice: auth.notice } : {})}
              onLoggedIn={() => setAuth({ state: 'checking' })}
            />
          )}
        </main>
      </div>
    );
  }

  if (auth.state === 'checking') {
    return (
      <p class="loading page-loading" role="status">
        {t('app.loading')}
      </p>
    );
  }

  if (auth.state === 'failed') {
    return (
      <div class="login-page">
        <header class="login-header">
          <span class="brand">{t('app.portal')}</span>
          {switcher}
        </header>
        <main id="main" class="login-card">
          {isPermissionDenied(auth.error) ? (
            <>
              <h1>{t('denied.title')}</h1>
              <p>{t('denied.text')}</p>
              <p class="hint">{auth.error.message}</p>
            </>
          ) : (
            <Notice kind="error">{errorText(t, auth.error)}</Notice>
          )}
          <div class="actions">
            <button type="button" class="secondary" onClick={() => setAuth({ state: 'checking' })}>
              {t('common.retry')}
            </button>
            <button type="button" class="primary" onClick={() => void logout()}>
              {t('nav.logout')}
            </button>
          </div>
        </main>
      </div>
    );
  }

  const { me } = auth;
  const portal: Portal = {
    api,
    t,
    language,
    chooseLanguage,
    followBrowserLanguage,
    me,
    can: (permission: Permission) => me.permissions.includes(permission),
    navigate,
    reloadMe: loadMe,
    formatDate: dateFormatter(language),
  };
  const myItems = MY_ITEMS.filter((item) => canOpen(item.route, me.permissions));
  const adminItems = ADMIN_ITEMS.filter((item) => canOpen(item.route, me.permissions));

  return (
    <PortalContext.Provider value={portal}>
      <div class={menuOpen ? 'shell menu-open' : 'shell'}>
        <a class="skip-link" href="#main">
          {t('app.skip')}
        </a>
        <header class="topbar">
          <button
            type="button"
            class="menu-toggle"
            aria-expanded={menuOpen}
            aria-controls="nav"
            onClick={() => setMenuOpen((open) => !open)}
          >
            <span aria-hidden="true" class="menu-icon" />
            {t('nav.menu')}
          </button>
          <span class="brand">{t('app.name')}</span>
          <span class="whoami">{t('nav.signedInAs', { name: me.fullName })}</span>
          {switcher}
          <button type="button" class="secondary logout" onClick={() => void logout()}>
            {t('nav.logout')}
          </button>
        </header>
        <nav id="nav" class="sidenav" aria-label={t('nav.main')}>
          <NavGroup title={t('nav.myProfile')} items={myItems} route={route} t={t} />
          <NavGroup title={t('nav.admin')} items={adminItems} route={route} t={t} />
          <button type="button" class="secondary nav-logout" onClick={() => void logout()}>
            {t('nav.logout')}
          </button>
        </nav>
        <main id="main" class="content">
          <View route={route} onLogout={() => void logout()} />
        </main>
      </div>
    </PortalContext.Provider>
  );
}

function NavGroup(props: { title: string; items: NavItem[]; route: Route; t: Translate }) {
  if (props.items.length === 0) return null;
  return (
    <div class="nav-group">
      <p class="nav-title">{props.title}</p>
      <ul>
        {props.items.map((item) => (
          <li key={item.label}>
            <Link route={item.route} current={item.matches.includes(props.route.name)}>
              {props.t(item.label)}
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}

function LanguageSwitcher(props: {
  t: Translate;
  language: Language;
  onChange: (value: string) => void;
}) {
  return (
    <label class="language">
      <span class="visually-hidden">{props.t('nav.language')}</span>
      <select
        value={props.language}
        aria-label={props.t('nav.language')}
        onChange={(e) => props.onChange(e.currentTarget.value)}
      >
        {LANGUAGES.map((l) => (
          <option key={l} value={l} lang={l}>
            {LANGUAGE_NAMES[l]}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The page for a route, or the permission-denied page when the user lacks its permissions. */
function View({ route, onLogout }: { route: Route; onLogout: () => void }) {
  const { me, t } = usePortal();
  if (!canOpen(route, me.permissions)) return <Denied />;
  switch (route.name) {
    case 'login':
    case 'profile':
      return <Profile />;
    case 'myCards':
      return <MyCards />;
    case 'mySessions':
      return <MySessions onLogout={onLogout} />;
    case 'myPrinters':
      return <MyPrinters />;
    case 'myAuthorizations':
      return <MyAuthorizations result={route.result} connector={route.connector} />;
    case 'printers':
      return <AdminPrinters />;
    case 'users':
      return <Users query={route.query} />;
    case 'newUser':
      return <NewUser />;
    case 'user':
      return <UserDetail key={route.username} username={route.username} />;
    case 'cards':
      return <AdminCards search={route.search} page={route.page} />;
    case 'cardImport':
      return <CardImport />;
    case 'terminals':
      return <Terminals />;
    case 'groups':
      return <Groups />;
    case 'settings':
      return <Settings />;
    case 'audit':
      return <Audit key={hrefOf(route)} filters={route.filters} />;
    case 'notFound':
      return (
        <PageHeader title={t('notFound.title')} intro={t('notFound.text', { path: route.path })} />
      );
  }
}
