export const SCREENS = [
  { id: 'overview', title: 'Overview' },
  { id: 'tokens', title: 'Tokens' },
  { id: 'mappings', title: 'Group mappings' },
  { id: 'members', title: 'Members' },
  { id: 'groups', title: 'Groups' },
  { id: 'schemas', title: 'Extensions' },
  { id: 'events', title: 'Event log' },
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
}

const ids = new Set<string>(SCREENS.map((s) => s.id));

/** Hash routes (#/members/abc) work the same under Electron's file:// and the headless http origin. */
export function parseHash(hash: string): Route {
  const [screen = '', ...rest] = hash.replace(/^#\/?/, '').split('/');
  if (!ids.has(screen)) return { screen: 'overview', param: null };
  const param = rest.length ? decodeURIComponent(rest.join('/')) : null;
  return { screen: screen as ScreenId, param: param || null };
}

export const hrefOf = (screen: ScreenId, param?: string | null): string => `#/${screen}${param ? `/${encodeURIComponent(param)}` : ''}`;
