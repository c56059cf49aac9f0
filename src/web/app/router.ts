import { type MouseEvent, useSyncExternalStore } from 'react';

/**
 * A small client-side router on the history API: the pages are few and flat, so a path and a
 * query string are all the state there is. The server answers every non-API GET with index.html,
 * so each of these paths also works when reloaded or opened from a link.
 */
export type Route =
  | { page: 'map' }
  | { page: 'incidents'; query: URLSearchParams }
  | { page: 'incident-new' }
  | { page: 'incident'; id: string }
  | { page: 'daily-report'; query: URLSearchParams }
  | { page: 'notifications' }
  | { page: 'notification-new' }
  | { page: 'notification'; id: string }
  | { page: 'facility-new' }
  | { page: 'facility'; id: string }
  | { page: 'aid'; view: AidView; id?: string; query: URLSearchParams }
  | { page: 'not-found'; path: string };

/** The humanitarian access pages under /aid. */
export type AidView =
  | 'dashboard'
  | 'crossings'
  | 'consignments'
  | 'consignment'
  | 'consignment-new'
  | 'reconciliation'
  | 'import';

const AID_VIEWS: Record<string, AidView> = {
  '/aid': 'dashboard',
  '/aid/crossings': 'crossings',
  '/aid/consignments': 'consignments',
  '/aid/consignments/new': 'consignment-new',
  '/aid/reconciliation': 'reconciliation',
  '/aid/import': 'import',
};

const CHANGE = 'concord:navigate';

export function parseRoute(pathname: string, search: string): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  const query = new URLSearchParams(search);
  if (path === '/') return { page: 'map' };
  if (path === '/incidents') return { page: 'incidents', query };
  if (path === '/incidents/new') return { page: 'incident-new' };
  const incident = /^\/incidents\/([^/]+)$/.exec(path);
  if (incident?.[1]) return { page: 'incident', id: decodeURIComponent(incident[1]) };
  if (path === '/reports/daily') return { page: 'daily-report', query };
  if (path === '/notifications') return { page: 'notifications' };
  if (path === '/notifications/new') return { page: 'notification-new' };
  const notification = /^\/notifications\/([^/]+)$/.exec(path);
  if (notification?.[1]) return { page: 'notification', id: decodeURIComponent(notification[1]) };
  if (path === '/facilities/new') return { page: 'facility-new' };
  const facility = /^\/facilities\/([^/]+)$/.exec(path);
  if (facility?.[1]) return { page: 'facility', id: decodeURIComponent(facility[1]) };
  const aidView = AID_VIEWS[path];
  if (aidView) return { page: 'aid', view: aidView, query };
  const consignment = /^\/aid\/consignments\/([^/]+)$/.exec(path);
  if (consignment?.[1])
    return { page: 'aid', view: 'consignment', id: decodeURIComponent(consignment[1]), query };
  return { page: 'not-found', path };
}

let cached: { href: string; route: Route } | null = null;

function current(): Route {
  const href = location.pathname + location.search;
  if (cached?.href !== href) cached = { href, route: parseRoute(location.pathname, location.search) };
  return cached.route;
}

function subscribe(listener: () => void): () => void {
  window.addEventListener('popstate', listener);
  window.addEventListener(CHANGE, listener);
  return () => {
    window.removeEventListener('popstate', listener);
    window.removeEventListener(CHANGE, listener);
  };
}

export function useRoute(): Route {
  return useSyncExternalStore(subscribe, current);
}

/** Goes to a path of the app; `replace` keeps the history entry (filters typed into a page). */
export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (to === location.pathname + location.search) return;
  if (opts.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  window.dispatchEvent(new Event(CHANGE));
  if (!opts.replace) window.scrollTo(0, 0);
}

/**
 * The click handler of an in-app link: a plain left click navigates in place; a modified or
 * middle click is left to the browser (new tab, new window).
 */
export function followLink(e: MouseEvent<HTMLAnchorElement>): void {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  navigate(e.currentTarget.getAttribute('href') ?? '/');
}

export const paths = {
  map: '/',
  incidents: (query?: URLSearchParams | string) => {
    const q = query ? String(query) : '';
    return q ? `/incidents?${q}` : '/incidents';
  },
  newIncident: '/incidents/new',
  incident: (id: string) => `/incidents/${encodeURIComponent(id)}`,
  dailyReport: (query?: URLSearchParams | string) => {
    const q = query ? String(query) : '';
    return q ? `/reports/daily?${q}` : '/reports/daily';
  },
  notifications: () => '/notifications',
  newNotification: '/notifications/new',
  notification: (id: string) => `/notifications/${encodeURIComponent(id)}`,
  newFacility: '/facilities/new',
  facility: (id: string) => `/facilities/${encodeURIComponent(id)}`,
  aid: (view: Exclude<AidView, 'consignment'> = 'dashboard', query?: URLSearchParams | string) => {
    const base = Object.entries(AID_VIEWS).find(([, v]) => v === view)?.[0] ?? '/aid';
    const q = query ? String(query) : '';
    return q ? `${base}?${q}` : base;
  },
  consignment: (id: string) => `/aid/consignments/${encodeURIComponent(id)}`,
};
