/**
 * The dialect layer's entry point: reads what Okta and Microsoft Entra ID actually send as the
 * strict core expects it, and says what it changed. There is one tolerant reader for every client
 * rather than per-IdP switches: Entra's User-Agent is undocumented and one Entra tenant mixes
 * dialects (aadOptscim062020 is ignored by on-demand provisioning), so the request shape is the
 * only reliable signal. Every correction appends a human-readable note for the event log.
 */
import { GROUP_RESOURCE, type ResourceTypeDef, USER_RESOURCE } from '../scim/schemas.js';
import { splitScimPath } from '../scim/url-path.js';
import { correctFilterText } from './filter-text.js';
import { correctPatchBody } from './patch-body.js';
import { correctResourceBody } from './resource-body.js';

export type DialectRoute = 'Users' | 'Users/:id' | 'Groups' | 'Groups/:id' | 'other';

export interface DialectRequest {
  method: string;
  route: DialectRoute;
  /** The resource id from the URL, for routes that have one. */
  id?: string;
  body: unknown;
  query: Readonly<Record<string, unknown>>;
}

export interface DialectResult {
  body: unknown;
  query: Record<string, unknown>;
}

/** Router-relative path → route, read as the SCIM router reads it (splitScimPath). */
export function routeOf(path: string): { route: DialectRoute; id?: string } {
  const parts = splitScimPath(path);
  if (parts?.type !== 'users' && parts?.type !== 'groups') return { route: 'other' };
  const type = parts.type === 'users' ? 'Users' : 'Groups';
  if (parts.sub === undefined) return { route: type };
  // ".search" and friends are fixed routes, not ids.
  if (parts.sub.startsWith('.')) return { route: 'other' };
  return { route: `${type}/:id`, id: decodeURIComponent(parts.sub) };
}

const resourceOf = (route: DialectRoute): ResourceTypeDef | undefined =>
  route.startsWith('Users') ? USER_RESOURCE : route.startsWith('Groups') ? GROUP_RESOURCE : undefined;

/** Pure: returns the corrected body and query, appending one note per correction to `notes`. */
export function normalizeRequest(req: DialectRequest, notes: string[]): DialectResult {
  const rt = resourceOf(req.route);
  const query: Record<string, unknown> = { ...req.query };
  if (!rt) return { body: req.body, query };
  const method = req.method.toUpperCase();
  const single = req.route.endsWith('/:id');
  if (method === 'GET' && !single && typeof query.filter === 'string') {
    query.filter = correctFilterText(query.filter, 'filter', notes);
  }
  let body = req.body;
  if ((method === 'POST' && !single) || (method === 'PUT' && single)) body = correctResourceBody(body, rt, notes);
  if (method === 'PATCH' && single) body = correctPatchBody(body, rt, req.id, notes);
  return { body, query };
}
