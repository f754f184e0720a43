/**
 * Input normalization for POST and PUT bodies (RFC 7644 §3.3, §3.5.1).
 * The result has canonical attribute names, core attributes at the top level and extension
 * attributes under their schema URN key. `schemas` is left out: the caller recomputes it from what
 * is actually stored.
 */
import { badRequest } from './errors.js';
import { isObject, type Json, type JsonObject } from './json.js';
import { findAttr, GROUP_SCHEMA_DEF, type ResolvedAttr, type ResourceTypeDef } from './schemas.js';
import { absorbUndeclaredAttr, absorbUndeclaredKey, type UndeclaredOptions } from './undeclared.js';
import { attrPathText, checkAttrValue, checkElement, resolveKey } from './value-check.js';

export type NormalizeMode = 'create' | 'replace';

/** A group member as the caller stores it in the join table. */
export interface MemberRef {
  value: string;
  type?: string;
}

/** Case-insensitive URN comparison: schema URIs are matched like attribute names (RFC 7643 §2.1). */
const sameUrn = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

export function isGroupMembers(rt: ResourceTypeDef, target: ResolvedAttr): boolean {
  return rt.name === 'Group' && !target.extension && target.def.name === 'members';
}

/**
 * Members are kept as {value, type?}: `value` is the only thing that identifies a member, `display`
 * is readOnly and `$ref` is derived by the server (RFC 7643 §4.2), so neither is stored.
 */
export function toMemberRefs(value: Json, path: string): MemberRef[] {
  const def = findAttr(GROUP_SCHEMA_DEF.attributes, 'members');
  if (!def) return [];
  if (!Array.isArray(value)) throw badRequest('invalidValue', `attribute "${path}" must be an array`);
  return value.map((raw, i) => {
    const element = checkElement(def, raw, `${path}[${i}]`);
    const v = isObject(element) ? element.value : undefined;
    if (typeof v !== 'string' || v === '') {
      throw badRequest('invalidValue', `attribute "${path}[${i}].value" must be a non-empty string`);
    }
    const ref: MemberRef = { value: v };
    if (isObject(element) && typeof element.type === 'string') ref.type = element.type;
    return ref;
  });
}

export function memberJson(m: MemberRef): JsonObject {
  const o: JsonObject = { value: m.value };
  if (m.type !== undefined) o.type = m.type;
  return o;
}

const objectAt = (o: JsonObject, key: string): JsonObject => {
  const v = o[key];
  return isObject(v) ? v : {};
};

/** Writes a checked value at the resolved location, merging sub-attributes written separately. */
function put(out: JsonObject, target: ResolvedAttr, value: Json): void {
  let container = out;
  if (target.extension) {
    container = objectAt(out, target.schema);
    out[target.schema] = container;
  }
  if (!target.sub) {
    const prior = container[target.def.name];
    container[target.def.name] = isObject(prior) && isObject(value) ? { ...prior, ...value } : value;
    return;
  }
  const parent = container[target.def.name];
  container[target.def.name] = { ...(isObject(parent) ? parent : {}), [target.sub.name]: value };
}

function normalizeEntry(out: JsonObject, rt: ResourceTypeDef, target: ResolvedAttr, raw: Json): void {
  const def = target.sub ?? target.def;
  // RFC 7644 §3.5.1: readOnly values provided SHALL be ignored.
  if (target.def.mutability === 'readOnly' || def.mutability === 'readOnly') return;
  // A multi-valued parent addressed with a dotted sub-attribute has no single element to write to.
  if (target.sub && target.def.multiValued) return;
  const path = attrPathText(target);
  if (isGroupMembers(rt, target)) {
    if (raw === null) return;
    const members = toMemberRefs(raw, path);
    if (members.length > 0) out.members = members.map(memberJson);
    return;
  }
  const value = checkAttrValue(def, raw, path);
  if (value === undefined) return;
  if (isObject(value) && Object.keys(value).length === 0) return;
  put(out, target, value);
}

function checkSchemas(input: JsonObject, rt: ResourceTypeDef): void {
  const schemas = input.schemas;
  const ok = Array.isArray(schemas) && schemas.some((s) => typeof s === 'string' && sameUrn(s, rt.schema.id));
  if (!ok) throw badRequest('invalidSyntax', `"schemas" must be an array that includes "${rt.schema.id}"`);
}

/** RFC 7643 §2.2 "required": an empty string is no more a value than an absent one. */
function checkRequired(out: JsonObject, rt: ResourceTypeDef, mode: NormalizeMode): void {
  const verb = mode === 'create' ? 'create' : 'replace';
  const lists = [
    { container: out, defs: rt.schema.attributes },
    // A declared extension attribute marked required is required of every resource of the type.
    ...rt.extensions.map((e) => ({ container: objectAt(out, e.schema.id), defs: e.schema.attributes })),
  ];
  for (const { container, defs } of lists) {
    for (const def of defs) {
      if (!def.required || def.mutability === 'readOnly') continue;
      const v = container[def.name];
      if (v === undefined || v === '') {
        throw badRequest('invalidValue', `cannot ${verb} ${rt.name}: attribute "${def.name}" is required`);
      }
    }
  }
}

/**
 * Validates and canonicalizes a POST (create) or PUT (replace) body. Unknown core attributes are
 * dropped (RFC 7644 §3.3 lets servers ignore attributes they do not support; Entra ID lists extra
 * URNs). Undeclared extension data is kept or rejected per `undeclared` (see undeclared.ts), and
 * dropped like an unknown attribute when it is absent. Type errors are 400 invalidValue naming the
 * attribute.
 */
export function normalizeResource(input: unknown, rt: ResourceTypeDef, mode: NormalizeMode, undeclared?: UndeclaredOptions): JsonObject {
  if (!isObject(input)) throw badRequest('invalidSyntax', 'request body must be a JSON object');
  const body = input;
  checkSchemas(body, rt);
  const listed = Array.isArray(body.schemas) ? body.schemas.filter((s): s is string => typeof s === 'string') : [];
  const out: JsonObject = {};
  for (const [key, raw] of Object.entries(body)) {
    if (key === 'schemas') continue;
    const target = resolveKey(rt, key);
    if (!target) {
      if (undeclared) absorbUndeclaredKey(out, rt, key, raw, listed, undeclared);
      continue;
    }
    if (target.kind === 'attr') {
      normalizeEntry(out, rt, target, raw);
      continue;
    }
    if (raw === null) continue;
    if (!isObject(raw)) throw badRequest('invalidValue', `attribute "${target.schema}" must be an object`);
    for (const [subKey, subRaw] of Object.entries(raw)) {
      const inner = resolveKey(rt, subKey, target.schema);
      if (inner?.kind === 'attr') normalizeEntry(out, rt, inner, subRaw);
      else if (undeclared) absorbUndeclaredAttr(out, rt, target.schema, subKey, subRaw, undeclared);
    }
  }
  for (const ext of rt.extensions) {
    const container = out[ext.schema.id];
    if (isObject(container) && Object.keys(container).length === 0) delete out[ext.schema.id];
  }
  checkRequired(out, rt, mode);
  return out;
}
