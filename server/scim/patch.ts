/**
 * The pure PATCH engine (RFC 7644 §3.5.2): (resource, operations) → {next, changed, members}.
 * The input resource has canonical keys and extension attributes under their URN key; for a Group
 * it has no "members" key, because member changes come back as set operations for SQL.
 * Either every operation applies or an error is thrown and the caller's resource is untouched.
 */
import { badRequest, ScimError } from './errors.js';
import type { Filter, PatchPath } from './filter-ast.js';
import { compileElementFilter, type FilterPredicate } from './filter-eval.js';
import { isObject, type Json, type JsonObject } from './json.js';
import { MAX_MULTI_VALUED_ELEMENTS } from './limits.js';
import { type MemberOp, memberOp } from './patch-members.js';
import type { PatchOperation, PatchOpName } from './patch-parse.js';
import { isGroupMembers } from './resource.js';
import { type AttributeDef, COMMON_ATTRIBUTES, findAttr, type ResolvedAttr, type ResourceTypeDef, resolveAttr } from './schemas.js';
import {
  absorbUndeclaredAttr,
  absorbUndeclaredKey,
  putUndeclared,
  type UndeclaredOptions,
  undeclaredChanges,
  undeclaredPathTarget,
} from './undeclared.js';
import { attrPathText, canonicalKey, checkAttrValue, checkElement, cloneJson, jsonEqual, resolveKey } from './value-check.js';

export type { MemberOp } from './patch-members.js';
export { MAX_PATCH_OPERATIONS, type PatchOperation, parsePatchRequest } from './patch-parse.js';

export interface PatchResult {
  next: JsonObject;
  /** Canonical paths whose value differs after the patch: "active", "name.givenName", "emails". */
  changed: string[];
  /** Group member set operations, in request order, for the caller to run in SQL. */
  members: MemberOp[];
}

/** Values picked by a value filter: the AST (to seed an "add") and its predicate, compiled once. */
interface Selection {
  filter?: Filter;
  test?: FilterPredicate;
  sub?: AttributeDef;
}

/** A resolved operation target. `elements` selects values of a multi-valued attribute. */
interface Target extends ResolvedAttr {
  elements?: Selection;
}

interface Ctx {
  rt: ResourceTypeDef;
  next: JsonObject;
  members: MemberOp[];
  op: PatchOpName;
  undeclared?: UndeclaredOptions;
}

const mutability = (detail: string) => badRequest('mutability', detail);
const invalidPath = (detail: string) => badRequest('invalidPath', detail);

/** A dotted sub-attribute of a multi-valued attribute ("emails.value") addresses every element. */
function toTarget(r: ResolvedAttr): Target {
  if (r.sub && r.def.multiValued) return { schema: r.schema, extension: r.extension, def: r.def, elements: { sub: r.sub } };
  return r;
}

function pathTarget(rt: ResourceTypeDef, path: PatchPath): Target {
  const { uri, name, sub } = path.attr;
  const written = `${uri ? `${uri}:` : ''}${name}${sub ? `.${sub}` : ''}`;
  const r = resolveAttr(rt, uri, name, sub);
  if (!r) throw invalidPath(`unknown attribute "${written}"`);
  if (!path.filter) return toTarget(r);
  if (!r.def.multiValued) throw invalidPath(`attribute "${written}" is not multi-valued, so it cannot take a filter`);
  let elementSub: AttributeDef | undefined;
  if (path.subAfterFilter !== undefined) {
    elementSub = findAttr(r.def.subAttributes ?? [], path.subAfterFilter);
    if (!elementSub) throw invalidPath(`unknown sub-attribute "${path.subAfterFilter}" of "${r.def.name}"`);
  }
  let test: FilterPredicate;
  try {
    // Compiling validates the filter even when nothing is stored.
    test = compileElementFilter(path.filter, r.def);
  } catch (e) {
    if (e instanceof ScimError) throw invalidPath(`invalid filter: ${e.detail}`);
    throw e;
  }
  return { ...r, elements: elementSub ? { filter: path.filter, test, sub: elementSub } : { filter: path.filter, test } };
}

const resolvesPath = (rt: ResourceTypeDef, path: PatchPath): boolean =>
  resolveAttr(rt, path.attr.uri, path.attr.name, path.attr.sub) !== undefined;

function containerOf(next: JsonObject, t: Target): JsonObject | undefined {
  if (!t.extension) return next;
  const ext = next[t.schema];
  return isObject(ext) ? ext : undefined;
}

function ensureContainer(next: JsonObject, t: Target): JsonObject {
  const existing = containerOf(next, t);
  if (existing) return existing;
  const fresh: JsonObject = {};
  next[t.schema] = fresh;
  return fresh;
}

/**
 * RFC 7644 §3.5.2: a client "MUST NOT modify an attribute that has mutability 'readOnly' or
 * 'immutable'", but "MAY 'add' a value to an 'immutable' attribute if the attribute had no previous
 * value". Re-sending the current value is not a modification: Okta renames a group with
 * {"op":"replace","value":{"id":"<same id>","displayName":"new"}}. Returns false for such no-ops.
 * `incoming` is undefined for removals.
 */
function guard(def: AttributeDef, parentReadOnly: boolean, path: string, current: Json | undefined, incoming: Json | undefined): boolean {
  const m = parentReadOnly ? 'readOnly' : def.mutability;
  if (m !== 'readOnly' && m !== 'immutable') return true;
  if (incoming !== undefined && jsonEqual(current, incoming)) return false;
  if (m === 'readOnly') throw mutability(`attribute "${path}" is readOnly`);
  if (current === undefined) return true;
  throw mutability(`attribute "${path}" is immutable and already has a value`);
}

/** RFC 7643 §2.4: setting primary true on one value makes it the only primary one. */
function settlePrimary(list: Json[], touched: number[], def: AttributeDef, path: string): void {
  if (!findAttr(def.subAttributes ?? [], 'primary')) return;
  const primaries = touched.filter((i) => {
    const e = list[i];
    return isObject(e) && e.primary === true;
  });
  if (primaries.length > 1) throw badRequest('invalidValue', `attribute "${path}" must have at most one element with primary true`);
  const keep = primaries[0];
  if (keep === undefined) return;
  list.forEach((e, i) => {
    if (i !== keep && isObject(e) && e.primary === true) list[i] = { ...e, primary: false };
  });
}

/** RFC 7644 §3.5.2.2: a removed required attribute fails with "mutability". */
function unset(ctx: Ctx, t: Target, path: string): void {
  if (t.def.required) throw mutability(`attribute "${path}" is required and cannot be removed`);
  const c = containerOf(ctx.next, t);
  if (c) delete c[t.def.name];
}

/** An add may not grow a list past the limit (issue #15 item 7); shrinking an oversized one is fine. */
function checkGrowth(list: Json[], before: number, path: string): void {
  if (list.length > MAX_MULTI_VALUED_ELEMENTS && list.length > before) {
    throw badRequest(
      'invalidValue',
      `attribute "${path}" would have ${list.length} values; at most ${MAX_MULTI_VALUED_ELEMENTS} are allowed`,
    );
  }
}

function writeList(ctx: Ctx, t: Target, list: Json[]): void {
  if (list.length > 0) ensureContainer(ctx.next, t)[t.def.name] = list;
  else unset(ctx, t, attrPathText(t));
}

/** Sub-attributes sent as null are unassigned (RFC 7643 §2.5); checkAttrValue has already dropped them. */
function mergeComplex(def: AttributeDef, current: Json | undefined, raw: Json, value: JsonObject): JsonObject {
  const merged: JsonObject = { ...(isObject(current) ? current : {}), ...value };
  if (isObject(raw)) {
    for (const [k, v] of Object.entries(raw)) {
      const sub = findAttr(def.subAttributes ?? [], k);
      if (v === null && sub) delete merged[sub.name];
    }
  }
  return merged;
}

/** {"op":"remove","path":"emails","value":[{"value":"a@x"}]} removes just those values. */
function removeListed(ctx: Ctx, t: Target, current: Json | undefined, raw: Json): void {
  if (!Array.isArray(raw)) throw badRequest('invalidValue', `attribute "${attrPathText(t)}" must be an array`);
  const list = Array.isArray(current) ? current : [];
  // Two sets keep this linear in the list plus the request, whatever their sizes.
  const whole = new Set(raw.map(canonicalKey));
  const values = new Set(raw.flatMap((r) => (isObject(r) && r.value !== undefined ? [canonicalKey(r.value)] : [])));
  const gone = (e: Json) => whole.has(canonicalKey(e)) || (isObject(e) && e.value !== undefined && values.has(canonicalKey(e.value)));
  writeList(
    ctx,
    t,
    list.filter((e) => !gone(e)),
  );
}

/** The whole attribute: §3.5.2.1 add, §3.5.2.2 remove, §3.5.2.3 replace. */
function applyWhole(ctx: Ctx, t: Target, raw: Json | undefined): void {
  const path = attrPathText(t);
  const current = containerOf(ctx.next, t)?.[t.def.name];
  if (!guard(t.def, false, path, current, ctx.op === 'remove' ? undefined : raw)) return;
  if (ctx.op === 'remove') {
    if (raw !== undefined && raw !== null && t.def.multiValued) removeListed(ctx, t, current, raw);
    else unset(ctx, t, path);
    return;
  }
  const value = raw === undefined ? undefined : checkAttrValue(t.def, raw, path);
  if (value === undefined) {
    if (ctx.op === 'replace') unset(ctx, t, path);
    return;
  }
  if (t.def.required && value === '') throw badRequest('invalidValue', `attribute "${path}" must not be empty`);
  const c = ensureContainer(ctx.next, t);
  if (Array.isArray(value)) {
    if (ctx.op === 'replace') {
      c[t.def.name] = value;
      return;
    }
    // "add" appends; a value already present is not added twice (§3.5.2.1: no change is made).
    const list = Array.isArray(current) ? [...current] : [];
    const present = new Set(list.map(canonicalKey));
    const touched: number[] = [];
    for (const v of value) {
      const key = canonicalKey(v);
      if (present.has(key)) continue;
      present.add(key);
      touched.push(list.push(v) - 1);
    }
    checkGrowth(list, Array.isArray(current) ? current.length : 0, path);
    settlePrimary(list, touched, t.def, path);
    c[t.def.name] = list;
    return;
  }
  // Both add and replace merge a complex value: "Sub-attributes that are not specified in the
  // 'value' parameter are left unchanged" (§3.5.2.3).
  c[t.def.name] = isObject(value) ? mergeComplex(t.def, current, raw ?? null, value) : value;
}

/** A sub-attribute of a single-valued complex attribute: "name.givenName". */
function applySub(ctx: Ctx, t: Target, sub: AttributeDef, raw: Json | undefined): void {
  const path = attrPathText(t);
  const c = containerOf(ctx.next, t);
  const parent = c?.[t.def.name];
  const current = isObject(parent) ? parent[sub.name] : undefined;
  const incoming = ctx.op === 'remove' ? undefined : raw;
  if (!guard(sub, t.def.mutability === 'readOnly', path, current, incoming)) return;
  const rest: JsonObject = { ...(isObject(parent) ? parent : {}) };
  delete rest[sub.name];
  const value = incoming === undefined ? undefined : checkAttrValue(sub, incoming, path);
  if (value !== undefined) rest[sub.name] = value;
  if (Object.keys(rest).length > 0) ensureContainer(ctx.next, t)[t.def.name] = rest;
  else if (c) delete c[t.def.name];
}

/**
 * The values a filter pins down with "eq" joined by "and": `addresses[type eq "work"]` → {type:"work"}.
 * An "add" whose filter matches nothing creates a value from them, so successive adds to
 * `addresses[type eq "work"].streetAddress` and `….locality` build one address.
 */
function eqConditions(filter: Filter, def: AttributeDef): JsonObject | undefined {
  if (filter.kind === 'and') {
    const left = eqConditions(filter.left, def);
    const right = eqConditions(filter.right, def);
    return left && right ? { ...left, ...right } : undefined;
  }
  if (filter.kind !== 'compare' || filter.op !== 'eq' || filter.path.sub !== undefined || filter.value === null) return undefined;
  const sub = findAttr(def.subAttributes ?? [], filter.path.name);
  return sub ? { [sub.name]: filter.value } : undefined;
}

/** Values of a multi-valued attribute picked by a filter (or all of them) and maybe a sub-attribute. */
function applyElements(ctx: Ctx, t: Target, sel: Selection, raw: Json | undefined): void {
  const { filter, test, sub } = sel;
  const base = attrPathText(t);
  const path = sub ? `${base}.${sub.name}` : base;
  if (t.def.mutability === 'readOnly') throw mutability(`attribute "${base}" is readOnly`);
  const current = containerOf(ctx.next, t)?.[t.def.name];
  const list: Json[] = Array.isArray(current) ? [...current] : [];
  // A list stored before the limit existed is not scanned element by element, once per operation:
  // the client can still replace or remove it as a whole (issue #15 item 7).
  if (list.length > MAX_MULTI_VALUED_ELEMENTS) {
    throw badRequest(
      'invalidValue',
      `attribute "${base}" holds ${list.length} values, more than the ${MAX_MULTI_VALUED_ELEMENTS} allowed; replace or remove it as a whole`,
    );
  }
  const matched = list.flatMap((e, i) => (isObject(e) && (!test || test(e)) ? [i] : []));
  const op = raw === null ? 'remove' : ctx.op;
  if (matched.length === 0 && filter && op !== 'add') {
    // Table 9: noTarget — the "path" "contains a filter that yields no match".
    throw badRequest('noTarget', `no value of "${base}" matches the filter`);
  }
  if (op === 'remove') {
    const drop = new Set<number>();
    for (const i of matched) {
      const e = list[i];
      if (!isObject(e) || !sub) {
        drop.add(i);
        continue;
      }
      if (!guard(sub, false, path, e[sub.name], undefined)) continue;
      const rest = { ...e };
      delete rest[sub.name];
      if (Object.keys(rest).length === 0) drop.add(i);
      else list[i] = rest;
    }
    writeList(
      ctx,
      t,
      list.filter((_, i) => !drop.has(i)),
    );
    return;
  }
  if (raw === undefined || raw === null) return;
  let touched = matched;
  if (matched.length === 0) {
    // Nothing matched: "add" (and "replace" of an attribute that does not exist yet, which
    // §3.5.2.3 treats as "add") creates the value the path describes.
    const seed = filter ? eqConditions(filter, t.def) : {};
    if (!seed) throw badRequest('noTarget', `no value of "${base}" matches the filter, and the filter does not describe one to add`);
    const fresh = sub ? { ...seed, [sub.name]: raw } : isObject(raw) ? { ...seed, ...raw } : raw;
    touched = [list.push(checkElement(t.def, fresh, base)) - 1];
    checkGrowth(list, list.length - 1, base);
  } else {
    for (const i of matched) {
      const e = list[i];
      if (!isObject(e)) continue;
      if (sub) {
        if (!guard(sub, false, path, e[sub.name], raw)) continue;
        const v = checkAttrValue(sub, raw, path);
        list[i] = v === undefined ? e : { ...e, [sub.name]: v };
      } else {
        const v = checkElement(t.def, raw, base);
        list[i] = op === 'replace' || !isObject(v) ? v : { ...e, ...v };
      }
    }
  }
  settlePrimary(list, touched, t.def, base);
  writeList(ctx, t, list);
}

function applyTo(ctx: Ctx, t: Target, raw: Json | undefined): void {
  if (isGroupMembers(ctx.rt, t)) {
    const m = memberOp({
      op: ctx.op,
      filter: t.elements?.filter,
      sub: t.sub !== undefined || t.elements?.sub !== undefined,
      value: raw,
    });
    if (m) ctx.members.push(m);
    return;
  }
  if (t.elements) applyElements(ctx, t, t.elements, raw);
  else if (t.sub) applySub(ctx, t, t.sub, raw);
  else applyWhole(ctx, t, raw);
}

/**
 * Without "path" the value is a set of attributes to add or replace (§3.5.2.1, §3.5.2.3). Keys may
 * be plain, dotted ("name.givenName"), URN-qualified ("urn:…:enterprise:2.0:User:employeeNumber")
 * or an extension URN holding an object; Entra ID sends all of these. Unknown keys are ignored
 * like unknown attributes in a POST body (RFC 7644 §3.3).
 */
function applyPathless(ctx: Ctx, value: Json | undefined): void {
  if (!isObject(value)) throw badRequest('invalidValue', '"value" must be an object when "path" is omitted');
  for (const [key, raw] of Object.entries(value)) {
    const k = resolveKey(ctx.rt, key);
    if (!k) {
      if (ctx.undeclared) absorbUndeclaredKey(ctx.next, ctx.rt, key, raw, [], ctx.undeclared);
      continue;
    }
    if (k.kind === 'attr') {
      applyTo(ctx, toTarget(k), raw);
      continue;
    }
    if (raw === null) {
      // A replace of the whole extension with null unassigns it (RFC 7643 §2.5); the dialect layer
      // reads `{"op":"remove","path":"<extension URN>"}` as this.
      if (ctx.op === 'replace') delete ctx.next[k.schema];
      continue;
    }
    if (!isObject(raw)) throw badRequest('invalidValue', `attribute "${k.schema}" must be an object`);
    for (const [subKey, subRaw] of Object.entries(raw)) {
      const inner = resolveKey(ctx.rt, subKey, k.schema);
      if (inner?.kind === 'attr') applyTo(ctx, toTarget(inner), subRaw);
      else if (ctx.undeclared) absorbUndeclaredAttr(ctx.next, ctx.rt, k.schema, subKey, subRaw, ctx.undeclared);
    }
  }
}

/** Canonical paths whose values differ; complex single-valued attributes report per sub-attribute. */
function changedPaths(before: JsonObject, after: JsonObject, rt: ResourceTypeDef): string[] {
  const sections = [
    { prefix: '', defs: [...COMMON_ATTRIBUTES, ...rt.schema.attributes], b: before, a: after },
    ...rt.extensions.map((e) => {
      const b = before[e.schema.id];
      const a = after[e.schema.id];
      return { prefix: `${e.schema.id}:`, defs: e.schema.attributes, b: isObject(b) ? b : {}, a: isObject(a) ? a : {} };
    }),
  ];
  const out: string[] = [];
  for (const { prefix, defs, b, a } of sections) {
    for (const def of defs) {
      const bv = b[def.name];
      const av = a[def.name];
      if (def.type !== 'complex' || def.multiValued || !(isObject(bv) || bv === undefined) || !(isObject(av) || av === undefined)) {
        if (!jsonEqual(bv, av)) out.push(prefix + def.name);
        continue;
      }
      const bo = isObject(bv) ? bv : {};
      const ao = isObject(av) ? av : {};
      for (const sub of def.subAttributes ?? []) {
        if (!jsonEqual(bo[sub.name], ao[sub.name])) out.push(`${prefix}${def.name}.${sub.name}`);
      }
    }
  }
  return out;
}

/** An operation on an undeclared extension attribute: remove clears it, add and replace set it whole. */
function applyUndeclared(ctx: Ctx, opts: UndeclaredOptions, t: { urn: string; attribute: string }, raw: Json | undefined): void {
  if (ctx.op !== 'remove' && raw === undefined) throw badRequest('invalidValue', `"${t.urn}:${t.attribute}" needs a "value"`);
  putUndeclared(ctx.next, ctx.rt, t.urn, t.attribute, ctx.op === 'remove' || raw === undefined ? null : raw, {
    ...opts,
    // A removal is not data arriving: it is neither recorded nor refused.
    ...(ctx.op === 'remove' ? { policy: 'keep' as const, seen: [] } : {}),
  });
}

/**
 * Applies validated operations in order (§3.5.2: all succeed or none do). Never mutates `resource`.
 * With `undeclared`, operations on extension attributes nobody declared are kept or refused (undeclared.ts).
 */
export function applyPatch(resource: JsonObject, ops: PatchOperation[], rt: ResourceTypeDef, undeclared?: UndeclaredOptions): PatchResult {
  const next = cloneJson(resource);
  const members: MemberOp[] = [];
  for (const op of ops) {
    const ctx: Ctx = { rt, next, members, op: op.op, ...(undeclared ? { undeclared } : {}) };
    try {
      const loose = op.path && undeclared && !resolvesPath(rt, op.path) ? undeclaredPathTarget(rt, op.path) : undefined;
      if (loose && undeclared) applyUndeclared(ctx, undeclared, loose, op.value);
      else if (op.path) applyTo(ctx, pathTarget(rt, op.path), op.value);
      else applyPathless(ctx, op.value);
    } catch (e) {
      if (e instanceof ScimError) throw new ScimError(e.status, e.scimType, `operation ${op.index}: ${e.detail}`);
      throw e;
    }
  }
  for (const ext of rt.extensions) {
    const c = next[ext.schema.id];
    if (isObject(c) && Object.keys(c).length === 0) delete next[ext.schema.id];
  }
  return { next, changed: [...changedPaths(resource, next, rt), ...undeclaredChanges(resource, next, rt)], members };
}
