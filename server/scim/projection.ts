import { badRequest } from './errors.js';
import { isObject, type JsonObject } from './json.js';
import { type ResolvedAttr, type ResourceTypeDef, resolveAttr } from './schemas.js';

/**
 * `attributes` / `excludedAttributes` (RFC 7644 §3.4.2.5, §3.9), applied after the resource is built.
 * `returned: always` attributes (id, schemas) survive both lists; `returned: never` ones never appear.
 */
export interface Projection {
  mode: 'all' | 'include' | 'exclude';
  /** Resolved top-level keys ("userName", "urn:…:enterprise:2.0:User") and their selected sub-attributes. */
  keys: Map<string, Set<string> | 'whole'>;
}

export const ALL: Projection = { mode: 'all', keys: new Map() };

function resolveListed(rt: ResourceTypeDef, text: string, param: string): ResolvedAttr & { key: string } {
  const t = text.trim();
  // Split "urn:…:User:name.givenName": the URN ends at the last ':' (URNs themselves contain dots).
  const colon = t.lastIndexOf(':');
  const uri = colon >= 0 ? t.slice(0, colon) : undefined;
  const rest = colon >= 0 ? t.slice(colon + 1) : t;
  const [name = '', sub, extra] = rest.split('.');
  const r = extra === undefined ? resolveAttr(rt, uri, name, sub) : undefined;
  if (!r) throw badRequest('invalidValue', `${param} names an unknown attribute "${t}"`);
  return { ...r, key: r.extension ? r.schema : r.def.name };
}

export function parseProjection(rt: ResourceTypeDef, attributes?: string, excluded?: string): Projection {
  const list = attributes?.trim() ? attributes : excluded?.trim() ? excluded : undefined;
  if (list === undefined) return ALL;
  const param = attributes?.trim() ? 'attributes' : 'excludedAttributes';
  const keys = new Map<string, Set<string> | 'whole'>();
  for (const item of list.split(',')) {
    if (!item.trim()) continue;
    // A bare extension URN selects the whole extension object (RFC 7644 §3.10 names it like an attribute).
    const ext = rt.extensions.find((e) => e.schema.id.toLowerCase() === item.trim().toLowerCase());
    if (ext) {
      keys.set(ext.schema.id, 'whole');
      continue;
    }
    const r = resolveListed(rt, item, param);
    // Extension attributes select inside the URN object; core sub-attributes inside their parent.
    const [key, sub] = r.extension ? [r.key, r.def.name] : [r.key, r.sub?.name];
    const current = keys.get(key);
    if (sub === undefined || current === 'whole') keys.set(key, 'whole');
    else keys.set(key, (current ?? new Set<string>()).add(sub));
  }
  return { mode: attributes?.trim() ? 'include' : 'exclude', keys };
}

/** Would this projection return the (top-level) attribute? Lets callers skip expensive reads. */
export function wants(p: Projection, key: string): boolean {
  if (p.mode === 'all') return true;
  const sel = p.keys.get(key);
  return p.mode === 'include' ? sel !== undefined : sel !== 'whole';
}

const ALWAYS = new Set(['schemas', 'id']);

function pick(obj: JsonObject, subs: Set<string>, include: boolean): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(obj)) if (subs.has(k) === include) out[k] = v;
  return out;
}

function select(value: JsonObject[keyof JsonObject], subs: Set<string>, include: boolean): JsonObject[keyof JsonObject] {
  if (Array.isArray(value)) return value.map((v) => (isObject(v) ? pick(v, subs, include) : v));
  return isObject(value) ? pick(value, subs, include) : value;
}

export function project(resource: JsonObject, p: Projection): JsonObject {
  if (p.mode === 'all') return resource;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(resource)) {
    const sel = p.keys.get(k);
    if (ALWAYS.has(k)) out[k] = v;
    else if (p.mode === 'include') {
      if (sel === 'whole') out[k] = v;
      else if (sel) out[k] = select(v, sel, true);
    } else if (sel === undefined) out[k] = v;
    else if (sel !== 'whole') out[k] = select(v, sel, false);
  }
  return out;
}
