import { badRequest, ScimError } from './errors.js';
import { parsePath } from './filter.js';
import { matchesElement } from './filter-eval.js';
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
  /**
   * `attributes=emails[type eq "work"]` (Microsoft's validator collection): the listed elements of a
   * multi-valued attribute, by top-level key. Outside the §3.4.2.5 grammar, read as the parent
   * narrowed to the matching elements (the dialect layer notes it).
   */
  narrow?: Map<string, (element: JsonObject) => boolean>;
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

/** Splits a comma-separated list, keeping commas inside a value filter or a quoted string. */
export function splitAttributeList(list: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    const c = list.charAt(i);
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '[') depth++;
    else if (c === ']') depth = Math.max(0, depth - 1);
    else if (c === ',' && depth === 0) {
      out.push(list.slice(start, i));
      start = i + 1;
    }
  }
  out.push(list.slice(start));
  return out.map((x) => x.trim()).filter((x) => x !== '');
}

/** `emails[type eq "work"]` or `emails[type eq "work"].value`, as a key, its sub-selection and a predicate. */
function valuePathItem(rt: ResourceTypeDef, text: string, param: string): { key: string; sub?: string; test: (e: JsonObject) => boolean } {
  const fail = (why: string): ScimError => badRequest('invalidValue', `${param} names ${why} "${text}"`);
  let path: ReturnType<typeof parsePath>;
  try {
    path = parsePath(text);
  } catch {
    throw fail('an unreadable value path');
  }
  const r = path.filter && !path.attr.sub ? resolveAttr(rt, path.attr.uri, path.attr.name) : undefined;
  if (!r || r.extension || !r.def.multiValued || !r.def.subAttributes) throw fail('an unknown attribute');
  const sub =
    path.subAfterFilter === undefined
      ? undefined
      : r.def.subAttributes.find((d) => d.name.toLowerCase() === path.subAfterFilter?.toLowerCase());
  if (path.subAfterFilter !== undefined && !sub) throw fail('an unknown attribute');
  const filter = path.filter;
  const def = r.def;
  if (!filter) throw fail('an unknown attribute');
  // Resolve the inner paths now, so an unknown sub-attribute is a 400 before any row is read.
  try {
    matchesElement(filter, {}, def);
  } catch (e) {
    if (e instanceof ScimError) throw fail('an unknown attribute');
    throw e;
  }
  return { key: def.name, ...(sub ? { sub: sub.name } : {}), test: (e) => matchesElement(filter, e, def) };
}

/**
 * Is `text` something `attributes`/`excludedAttributes` may name for this resource type? `schemas`
 * and the `returned: always` attributes are (RFC 7643 §2.2: always returned, so naming them changes
 * nothing), as are extension URNs and value paths.
 */
export function knowsAttribute(rt: ResourceTypeDef, text: string): boolean {
  try {
    parseProjection(rt, text);
    return true;
  } catch (e) {
    if (e instanceof ScimError) return false;
    throw e;
  }
}

export function parseProjection(rt: ResourceTypeDef, attributes?: string, excluded?: string): Projection {
  const list = attributes?.trim() ? attributes : excluded?.trim() ? excluded : undefined;
  if (list === undefined) return ALL;
  const param = attributes?.trim() ? 'attributes' : 'excludedAttributes';
  const keys = new Map<string, Set<string> | 'whole'>();
  const narrow = new Map<string, (element: JsonObject) => boolean>();
  const select = (key: string, sub: string | undefined): void => {
    const current = keys.get(key);
    if (sub === undefined || current === 'whole') keys.set(key, 'whole');
    else keys.set(key, (current ?? new Set<string>()).add(sub));
  };
  for (const item of splitAttributeList(list)) {
    // "schemas" is not an attribute of any schema, but always returned (RFC 7643 §3): never an error.
    if (item.toLowerCase() === 'schemas') continue;
    // A bare extension URN selects the whole extension object (RFC 7644 §3.10 names it like an attribute).
    const ext = rt.extensions.find((e) => e.schema.id.toLowerCase() === item.toLowerCase());
    if (ext) {
      keys.set(ext.schema.id, 'whole');
      continue;
    }
    if (item.includes('[')) {
      const vp = valuePathItem(rt, item, param);
      // The same attribute named whole elsewhere in the list wins over the narrowing; two value
      // paths on one attribute select the elements either matches.
      const before = narrow.get(vp.key);
      if (keys.get(vp.key) !== 'whole' || before) narrow.set(vp.key, before ? (e) => before(e) || vp.test(e) : vp.test);
      select(vp.key, vp.sub);
      continue;
    }
    const r = resolveListed(rt, item, param);
    // `returned: always` (id): kept whatever the lists say, so naming it selects nothing more.
    if (!r.sub && !r.extension && r.def.returned === 'always') continue;
    // Extension attributes select inside the URN object; core sub-attributes inside their parent.
    const [key, sub] = r.extension ? [r.key, r.def.name] : [r.key, r.sub?.name];
    if (!r.extension && sub === undefined) narrow.delete(key);
    select(key, sub);
  }
  return { mode: attributes?.trim() ? 'include' : 'exclude', keys, ...(narrow.size ? { narrow } : {}) };
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

/** The elements a value path selects (include) or leaves (exclude); undefined when none remain. */
function narrowed(
  value: JsonObject[keyof JsonObject],
  test: (e: JsonObject) => boolean,
  include: boolean,
): JsonObject[keyof JsonObject] | undefined {
  if (!Array.isArray(value)) return value;
  const kept = value.filter((e) => (isObject(e) ? test(e) : false) === include);
  return kept.length ? kept : undefined;
}

export function project(resource: JsonObject, p: Projection): JsonObject {
  if (p.mode === 'all') return resource;
  const out: JsonObject = {};
  for (const [k, v0] of Object.entries(resource)) {
    const sel = p.keys.get(k);
    const test = p.narrow?.get(k);
    if (ALWAYS.has(k)) {
      out[k] = v0;
      continue;
    }
    const include = p.mode === 'include';
    const v = test && sel !== undefined ? narrowed(v0, test, include) : v0;
    if (v === undefined) {
      // An exclusion that removed every element, or an inclusion that matched none.
      continue;
    }
    if (include) {
      if (sel === 'whole') out[k] = v;
      else if (sel) out[k] = select(v, sel, true);
    } else if (sel === undefined) out[k] = v;
    else if (test && sel === 'whole') out[k] = v;
    else if (sel !== 'whole') out[k] = select(v, sel, false);
  }
  return out;
}
