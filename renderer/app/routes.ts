export const SCREENS = [
  { id: 'overview', title: 'Overview' },
  { id: 'tokens', title: 'Tokens' },
  { id: 'oauth', title: 'OAuth clients' },
  { id: 'mappings', title: 'Group mappings' },
  { id: 'members', title: 'Members' },
  { id: 'groups', title: 'Groups' },
  { id: 'schemas', title: 'Extensions' },
  { id: 'events', title: 'Event log' },
  { id: 'health', title: 'Health' },
  { id: 'deliveries', title: 'Deliveries' },
  { id: 'simulate', title: 'Test sync' },
  { id: 'settings', title: 'Settings' },
  { id: 'setup', title: 'Get started' },
] as const;

export type ScreenId = (typeof SCREENS)[number]['id'];

export interface Route {
  screen: ScreenId;
  /** The path segment after the screen, e.g. a member id in #/members/<id>. */
  param: string | null;
  /** The query after `?`, e.g. an event filter in #/events?status=409&since=… (empty when none). */
  query: Record<string, string>;
}

const ids = new Set<string>(SCREENS.map((s) => s.id));

/**
 * Hash routes (#/members/abc, #/events/123?status=409) work the same under Electron's file:// and
 * the headless http origin, and survive a reload or a copy-paste: the view is a function of the URL.
 */
export function parseHash(hash: string): Route {
  const body = hash.replace(/^#\/?/, '');
  const q = body.indexOf('?');
  const path = q === -1 ? body : body.slice(0, q);
  const query: Record<string, string> = {};
  if (q !== -1) for (const [k, v] of new URLSearchParams(body.slice(q + 1))) if (v !== '') query[k] = v;
  const [screen = '', ...rest] = path.split('/');
  if (!ids.has(screen)) return { screen: 'overview', param: null, query: {} };
  let param: string | null = null;
  try {
    param = rest.length ? decodeURIComponent(rest.join('/')) : null;
  } catch {
    param = null; // broken percent-encoding in a pasted link: show the screen without the item
  }
  return { screen: screen as ScreenId, param: param || null, query };
}

export const hrefOf = (screen: ScreenId, param?: string | number | null, query?: Record<string, string | undefined>): string => {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') qs.set(k, v);
  const tail = qs.toString();
  return `#/${screen}${param !== null && param !== undefined && param !== '' ? `/${encodeURIComponent(String(param))}` : ''}${tail ? `?${tail}` : ''}`;
};

/** Moves to a route; the hashchange listener in App turns it into store state. */
export function navigate(href: string): void {
  if (typeof location === 'undefined' || location.hash === href) return;
  location.hash = href;
}
