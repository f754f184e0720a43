/**
 * The dialect layer's entry point: reads what Okta and Microsoft Entra ID actually send as the
 * strict core expects it, and says what it changed. There is one tolerant reader for every client
 * rather than per-IdP switches: Entra's User-Agent is undocumented and one Entra tenant mixes
 * dialects (aadOptscim062020 is ignored by on-demand provisioning), so the request shape is the
 * only reliable signal. Every correction appends a human-readable note for the event log.
 */
import { splitAttributeList } from '../scim/projection.js';
import { GROUP_RESOURCE, type ResourceTypeDef, USER_RESOURCE } from '../scim/schemas.js';
import { splitScimPath } from '../scim/url-path.js';
import { correctFilterText, correctValuePathSubAttr } from './filter-text.js';
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

/** The attribute tables the corrections read; declared extensions make the User table grow (issue #16). */
export interface DialectTables {
  user: ResourceTypeDef;
  group: ResourceTypeDef;
}

const BUILT_IN: DialectTables = { user: USER_RESOURCE, group: GROUP_RESOURCE };

const resourceOf = (route: DialectRoute, tables: DialectTables): ResourceTypeDef | undefined =>
  route.startsWith('Users') ? tables.user : route.startsWith('Groups') ? tables.group : undefined;

/**
 * Pure: returns the corrected body and query, appending one note per correction to `notes`.
 * `tables` includes the declared extensions, so Entra's "True" for a declared boolean custom
 * attribute is read as true like it is for `active`.
 */
export function normalizeRequest(req: DialectRequest, notes: string[], tables: DialectTables = BUILT_IN): DialectResult {
  const rt = resourceOf(req.route, tables);
  const query: Record<string, unknown> = { ...req.query };
  if (!rt) return { body: req.body, query };
  const method = req.method.toUpperCase();
  const single = req.route.endsWith('/:id');
  if (method === 'GET' && !single && typeof query.filter === 'string') {
    query.filter = correctFilterText(correctValuePathSubAttr(query.filter, notes), 'filter', notes);
  }
  if (method === 'GET') noteValuePathProjection(query, notes);
  let body = req.body;
  if ((method === 'POST' && !single) || (method === 'PUT' && single)) body = correctResourceBody(body, rt, notes);
  if (method === 'PATCH' && single) body = correctPatchBody(body, rt, req.id, notes);
  return { body, query };
}

/** Does an `attributes`/`excludedAttributes` value hold a value path (`emails[type eq "work"]`)? */
export const hasValuePathProjection = (query: Readonly<Record<string, unknown>>): boolean =>
  (typeof query.attributes === 'string' && query.attributes.includes('[')) ||
  (typeof query.excludedAttributes === 'string' && query.excludedAttributes.includes('['));

/**
 * Microsoft's validator collection sends `attributes=emails[type eq "work"]`. RFC 7644 §3.4.2.5
 * lists attribute names only; the core (server/scim/projection.ts) reads a value path as its parent
 * narrowed to the matching elements, and this notes each one. The text itself is left as sent.
 */
function noteValuePathProjection(query: Readonly<Record<string, unknown>>, notes: string[]): void {
  for (const param of ['attributes', 'excludedAttributes'] as const) {
    const v = query[param];
    if (typeof v !== 'string' || !v.includes('[')) continue;
    for (const item of splitAttributeList(v)) {
      const open = item.indexOf('[');
      if (open < 0) continue;
      const parent = item.slice(0, open);
      notes.push(
        param === 'attributes'
          ? `attributes ${item} read as ${parent}, narrowed to the matching elements`
          : `excludedAttributes ${item} read as ${parent} without the matching elements`,
      );
    }
  }
}
