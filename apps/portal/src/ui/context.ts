import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ApiClient } from './api.ts';
import type { Me, Permission } from './api-types.ts';
import type { Language, Translate } from './i18n/i18n.ts';
import type { Route } from './router.ts';

/** What every view gets from the shell. */
export interface Portal {
  api: ApiClient;
  t: Translate;
  language: Language;
  /** Switches the portal's language and remembers it in this browser. */
  chooseLanguage(language: Language): void;
  /** Forgets this browser's choice: the portal follows the browser's own languages again. */
  followBrowserLanguage(): void;
  me: Me;
  can(permission: Permission): boolean;
  navigate(route: Route, options?: { replace?: boolean }): void;
  /** Reads `GET /api/v1/me` again (after a change to the profile). */
  reloadMe(): Promise<void>;
  formatDate(iso: string | null | undefined): string;
}

export const PortalContext = createContext<Portal | null>(null);

export function usePortal(): Portal {
  const portal = useContext(PortalContext);
  if (!portal) throw new Error('usePortal outside of the portal shell');
  return portal;
}

export function dateFormatter(language: Language): (iso: string | null | undefined) => string {
  const format = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' });
  return (iso) => {
    if (!iso) return '—';
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? iso : format.format(date);
  };
}
