/**
 * Shared attribute-value validation for resource bodies (POST/PUT) and PATCH values.
 * Both paths must agree on what a valid value is, so the rules live here once: type checks
 * (RFC 7643 §2.3), multi-valued shape and the single-primary rule (§2.4), case-insensitive
 * name canonicalization (§2.1) and stripping of readOnly sub-attributes (RFC 7644 §3.5.1).
 */
import { badRequest } from './errors.js';
import { parseDateTime } from './filter-eval.js';
import { isObject, type Json, type JsonObject } from './json.js';
import { MAX_MULTI_VALUED_ELEMENTS } from './limits.js';
import { type AttributeDef, COMMON_ATTRIBUTES, findAttr, type ResolvedAttr, type ResourceTypeDef } from './schemas.js';

/** Base64 (RFC 7643 §2.3.6); line breaks are tolerated because PEM-style bodies carry them. */
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * A text key for a JSON value with object keys sorted, so that two values are jsonEqual exactly when
 * their keys are equal: a Set of keys finds duplicates in linear time.
 */
export function canonicalKey(value: Json | undefined): string {
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return `[${value.map(canonicalKey).join(',')}]`;
  if (isObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalKey(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Order-insensitive deep equality of JSON values (object key order carries no meaning). */
export function jsonEqual(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const ak = Object.keys(a);
    return ak.length === Object.keys(b).length && ak.every((k) => k in b && jsonEqual(a[k], b[k]));
  }
  return false;
}

const invalid = (path: string, what: string) => badRequest('invalidValue', `attribute "${path}" must be ${what}`);

function checkScalar(def: AttributeDef, value: Json, path: string): Json {
  switch (def.type) {
    case 'string':
    case 'reference':
      if (typeof value !== 'string') throw invalid(path, 'a string');
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw invalid(path, 'a boolean');
      return value;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw invalid(path, 'an integer');
      return value;
    case 'decimal':
      if (typeof value !== 'number') throw invalid(path, 'a number');
      return value;
    case 'dateTime':
      // The same parser the filter uses, so a stored dateTime is always one a filter can compare.
      if (typeof value !== 'string' || parseDateTime(value) === undefined) throw invalid(path, 'an xsd:dateTime string');
      return value;
    case 'binary':
      if (typeof value !== 'string' || !BASE64.test(value.replace(/\s+/g, ''))) throw invalid(path, 'a base64 string');
      return value;
    case 'complex':
      return checkComplex(def, value, path);
  }
}

/**
 * Canonicalizes sub-attribute names and drops what a client may not set: unknown sub-attributes
 * (RFC 7644 §3.3 lets servers ignore them), readOnly ones (§3.5.1 "SHALL be ignored") and nulls
 * (RFC 7643 §2.5: null means unassigned). Nested complex attributes are not allowed (§2.3.8).
 */
function checkComplex(def: AttributeDef, value: Json, path: string): JsonObject {
  if (!isObject(value)) throw invalid(path, 'an object');
  const out: JsonObject = {};
  for (const [key, raw] of Object.entries(value)) {
    const sub = findAttr(def.subAttributes ?? [], key);
    if (!sub || sub.mutability === 'readOnly' || raw === null) continue;
    out[sub.name] = checkScalar(sub, raw, `${path}.${sub.name}`);
  }
  return out;
}

/** RFC 7643 §2.4: "The primary attribute value 'true' MUST appear no more than once." */
export function checkSinglePrimary(def: AttributeDef, elements: Json[], path: string): void {
  if (!def.subAttributes || !findAttr(def.subAttributes, 'primary')) return;
  const primaries = elements.filter((e) => isObject(e) && e.primary === true).length;
  if (primaries > 1) throw badRequest('invalidValue', `attribute "${path}" must have at most one element with primary true`);
}

/**
 * Validates one attribute's value against its definition and returns the canonical form, or
 * undefined when the value means "unassigned": null, or an empty array for a multi-valued attribute
 * (RFC 7643 §2.5 treats both as no value). Values are returned as sent apart from name casing.
 */
export function checkAttrValue(def: AttributeDef, value: Json, path: string): Json | undefined {
  if (value === null) return undefined;
  if (!def.multiValued) return checkScalar(def, value, path);
  if (!Array.isArray(value)) throw invalid(path, 'an array');
  if (value.length > MAX_MULTI_VALUED_ELEMENTS) {
    throw badRequest('invalidValue', `attribute "${path}" has ${value.length} values; at most ${MAX_MULTI_VALUED_ELEMENTS} are allowed`);
  }
  const out: Json[] = [];
  value.forEach((element, i) => {
    if (element === null) throw invalid(`${path}[${i}]`, 'a value, not null');
    out.push(checkScalar(def, element, `${path}[${i}]`));
  });
  checkSinglePrimary(def, out, path);
  return out.length === 0 ? undefined : out;
}

/** Validates a single element of a multi-valued attribute (PATCH filter targets, member values). */
export function checkElement(def: AttributeDef, value: Json, path: string): Json {
  return checkScalar(def, value, path);
}

/** What a body key names: an extension container (`"urn:…:enterprise:2.0:User": {…}`) or an attribute. */
export type KeyTarget = { kind: 'extension'; schema: string } | ({ kind: 'attr' } & ResolvedAttr);

const lower = (s: string): string => s.toLowerCase();

function resolveIn(rt: ResourceTypeDef, schemaId: string, rest: string): KeyTarget | undefined {
  const dot = rest.indexOf('.');
  const name = dot < 0 ? rest : rest.slice(0, dot);
  const subName = dot < 0 ? undefined : rest.slice(dot + 1);
  const ext = rt.extensions.find((e) => lower(e.schema.id) === lower(schemaId));
  const defs = ext ? ext.schema.attributes : [...COMMON_ATTRIBUTES, ...rt.schema.attributes];
  const def = findAttr(defs, name);
  if (!def) return undefined;
  const base = { kind: 'attr' as const, schema: ext ? ext.schema.id : rt.schema.id, extension: ext !== undefined, def };
  if (subName === undefined) return base;
  const sub = findAttr(def.subAttributes ?? [], subName);
  return sub ? { ...base, sub } : undefined;
}

/**
 * Resolves a body key case-insensitively (RFC 7643 §2.1). Accepts plain names ("userName"), dotted
 * sub-attribute names ("name.givenName") and fully qualified names
 * ("urn:…:enterprise:2.0:User:employeeNumber", RFC 7644 §3.10). `within` is the extension whose
 * container object the key was found in. URN prefixes are matched before splitting on "." because
 * schema URNs themselves contain dots ("2.0").
 */
export function resolveKey(rt: ResourceTypeDef, key: string, within?: string): KeyTarget | undefined {
  const k = lower(key);
  if (within === undefined) {
    for (const schema of [rt.schema.id, ...rt.extensions.map((e) => e.schema.id)]) {
      const s = lower(schema);
      if (k === s && schema !== rt.schema.id) return { kind: 'extension', schema };
      if (k.startsWith(`${s}:`)) return resolveIn(rt, schema, key.slice(schema.length + 1));
    }
  }
  return resolveIn(rt, within ?? rt.schema.id, key);
}

/** The canonical path used in messages and `changed` lists: "name.givenName", "urn:…:User:manager.value". */
export function attrPathText(target: ResolvedAttr): string {
  const base = target.extension ? `${target.schema}:${target.def.name}` : target.def.name;
  return target.sub ? `${base}.${target.sub.name}` : base;
}

/** A deep copy, so PATCH can work on its own tree and never touch the caller's resource. */
export function cloneJson<T extends Json>(value: T): T;
export function cloneJson(value: Json): Json {
  if (Array.isArray(value)) return value.map((v) => cloneJson(v));
  if (isObject(value)) {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) out[k] = cloneJson(v);
    return out;
  }
  return value;
}
