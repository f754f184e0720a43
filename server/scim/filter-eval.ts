import { caselessKey } from './caseless.js';
import { badRequest, type ScimError, UnknownAttributeError } from './errors.js';
import type { AttrPath, CompareOp, CompValue, Filter } from './filter-ast.js';
import { isObject, type Json, type JsonObject } from './json.js';
import { type AttributeDef, findAttr, type ResourceTypeDef, resolveAttr } from './schemas.js';

/**
 * In-memory evaluation of the filter AST (RFC 7644 §3.4.2.2). A filter is first compiled against the
 * attribute tables: every path is resolved and every operator is checked against the attribute's type,
 * so an invalid filter fails the same way whether or not any resource would reach the bad branch.
 */
export type FilterPredicate = (target: JsonObject) => boolean;

type Scope = { kind: 'resource'; rt: ResourceTypeDef } | { kind: 'element'; parent: AttributeDef };

/**
 * "schemas" is not in any attribute table (RFC 7643 §3 defines it outside the schemas), yet RFC 7644
 * §3.4.2.2 filters on it (`schemas eq "urn:…:enterprise:2.0:User"`). URIs compare case-insensitively.
 */
export const SCHEMAS_ATTRIBUTE: AttributeDef = {
  name: 'schemas',
  type: 'reference',
  multiValued: true,
  description: 'The schema URIs the resource uses.',
  required: true,
  caseExact: false,
  mutability: 'readOnly',
  returned: 'always',
  uniqueness: 'none',
  referenceTypes: ['uri'],
};

interface Target {
  /** Keys from the scope object down to the compared values; arrays on the way are flattened. */
  keys: string[];
  /** The top-level attribute (or, in an element scope, the sub-attribute) the path starts with. */
  top: AttributeDef;
  /** The attribute whose values are compared. */
  leaf: AttributeDef;
  label: string;
}

const invalid = (detail: string): ScimError => badRequest('invalidFilter', detail);

const label = (p: AttrPath): string => `${p.uri === undefined ? '' : `${p.uri}:`}${p.name}${p.sub === undefined ? '' : `.${p.sub}`}`;

/** Resources are stored with canonical keys, but clients may have written any case (RFC 7643 §2.1). */
function getKey(obj: JsonObject, key: string): Json | undefined {
  if (Object.hasOwn(obj, key)) return obj[key];
  const lower = key.toLowerCase();
  for (const [k, v] of Object.entries(obj)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

function valuesAt(obj: JsonObject, keys: string[]): Json[] {
  let current: Json[] = [obj];
  for (const key of keys) {
    const next: Json[] = [];
    for (const item of current) {
      const v = isObject(item) ? getKey(item, key) : undefined;
      if (Array.isArray(v)) next.push(...v);
      else if (v !== undefined && v !== null) next.push(v);
    }
    current = next;
  }
  return current;
}

/** pr: "has a non-empty value, or … a non-empty node for complex attributes" (RFC 7644 §3.4.2.2). */
function isNonEmpty(v: Json): boolean {
  if (v === null || v === '') return false;
  if (Array.isArray(v)) return v.some(isNonEmpty);
  if (isObject(v)) return Object.values(v).some(isNonEmpty);
  return true;
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/i;

/**
 * xsd:dateTime (RFC 7643 §2.3.5) to epoch milliseconds, or undefined. A missing offset means UTC so
 * results do not depend on the host's time zone; fractions beyond milliseconds are truncated.
 */
export function parseDateTime(text: string): number | undefined {
  const m = DATE_TIME.exec(text);
  if (!m) return undefined;
  const [, y = '', mo = '', d = '', h = '', mi = '', s = '', frac = '', tz = 'Z'] = m;
  const daysInMonth = new Date(Date.UTC(Number(y), Number(mo), 0)).getUTCDate();
  if (Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(d) > daysInMonth) return undefined;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  const ms = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}${frac.slice(0, 4)}${tz.toUpperCase()}`);
  return Number.isNaN(ms) ? undefined : ms;
}

/** A password must never become an oracle: attributes that are never returned cannot be filtered (RFC 7643 §7). */
function assertFilterable(def: AttributeDef, text: string): void {
  if (def.returned === 'never' || def.mutability === 'writeOnly') {
    throw invalid(`attribute "${text}" cannot be used in a filter`);
  }
}

function resolveTarget(path: AttrPath, scope: Scope): Target {
  const text = label(path);
  if (scope.kind === 'element') {
    const def = path.uri === undefined && path.sub === undefined ? findAttr(scope.parent.subAttributes ?? [], path.name) : undefined;
    if (!def) throw invalid(`unknown attribute "${text}" in the value filter of "${scope.parent.name}"`);
    assertFilterable(def, text);
    return { keys: [def.name], top: def, leaf: def, label: text };
  }
  if (path.uri === undefined && path.sub === undefined && path.name.toLowerCase() === 'schemas') {
    return { keys: ['schemas'], top: SCHEMAS_ATTRIBUTE, leaf: SCHEMAS_ATTRIBUTE, label: text };
  }
  const r = resolveAttr(scope.rt, path.uri, path.name, path.sub);
  if (!r) throw new UnknownAttributeError(`unknown attribute "${text}"`);
  assertFilterable(r.def, text);
  const keys = [...(r.extension ? [r.schema] : []), r.def.name, ...(r.sub ? [r.sub.name] : [])];
  return { keys, top: r.def, leaf: r.sub ?? r.def, label: text };
}

/**
 * A complex attribute compared without a sub-attribute compares its "value" sub-attribute, as in
 * `emails co "example.com"` (RFC 7644 §3.4.2.2 examples; RFC 7643 §2.4 makes "value" the primary one).
 */
function comparable(target: Target): Target {
  if (target.leaf.type !== 'complex') return target;
  const value = findAttr(target.leaf.subAttributes ?? [], 'value');
  if (!value) throw invalid(`complex attribute "${target.label}" cannot be compared; name one of its sub-attributes`);
  return { ...target, keys: [...target.keys, value.name], leaf: value };
}

type Test = (v: Json) => boolean;

const ORDERING: readonly CompareOp[] = ['gt', 'ge', 'lt', 'le'];
const SUBSTRING: readonly CompareOp[] = ['co', 'sw', 'ew'];

function order<T extends string | number>(op: CompareOp, a: T, b: T): boolean {
  switch (op) {
    case 'gt':
      return a > b;
    case 'ge':
      return a >= b;
    case 'lt':
      return a < b;
    case 'le':
      return a <= b;
    default:
      return a === b;
  }
}

/** caseExact false compares caseless keys (NFC + Unicode case folding), as the SQL of userName does. */
function stringTest(op: CompareOp, expected: string, caseExact: boolean): Test {
  const fold = (s: string): string => (caseExact ? s : caselessKey(s));
  const want = fold(expected);
  return (v) => {
    if (typeof v !== 'string') return false;
    const got = fold(v);
    if (op === 'co') return got.includes(want);
    if (op === 'sw') return got.startsWith(want);
    if (op === 'ew') return got.endsWith(want);
    return order(op, got, want);
  };
}

/**
 * The test for one value under eq/co/sw/ew/gt/ge/lt/le, after checking the operator and the literal
 * against the attribute type (RFC 7644 §3.4.2.2: ordering on boolean or binary SHALL fail with
 * invalidFilter; dateTime compares chronologically; caseExact governs string comparison).
 */
function valueTest(def: AttributeDef, op: CompareOp, value: Exclude<CompValue, null>, where: string): Test {
  const operatorError = (): ScimError => invalid(`operator "${op}" does not apply to ${def.type} attribute "${where}"`);
  const literalError = (expected: string): ScimError =>
    invalid(`attribute "${where}" is of type ${def.type}; compare it with ${expected}, not ${JSON.stringify(value)}`);
  switch (def.type) {
    case 'boolean':
      if (op !== 'eq') throw operatorError();
      if (typeof value !== 'boolean') throw literalError('true or false');
      return (v) => v === value;
    case 'integer':
    case 'decimal':
      if (SUBSTRING.includes(op)) throw operatorError();
      if (typeof value !== 'number') throw literalError('a number');
      return (v) => typeof v === 'number' && order(op, v, value);
    case 'dateTime': {
      if (typeof value !== 'string') throw literalError('a quoted date such as "2011-05-13T04:42:34Z"');
      if (SUBSTRING.includes(op)) return stringTest(op, value, false);
      const when = parseDateTime(value);
      if (when === undefined) throw literalError('a quoted date such as "2011-05-13T04:42:34Z"');
      return (v) => {
        const got = typeof v === 'string' ? parseDateTime(v) : undefined;
        return got !== undefined && order(op, got, when);
      };
    }
    case 'binary':
      if (ORDERING.includes(op)) throw operatorError();
      if (typeof value !== 'string') throw literalError('a quoted base64 string');
      // base64 is case-significant whatever the table says (RFC 7643 §2.3.6).
      return stringTest(op, value, true);
    case 'complex':
      throw operatorError();
    default:
      if (typeof value !== 'string') throw literalError('a quoted string');
      return stringTest(op, value, def.caseExact);
  }
}

function compileCompare(path: AttrPath, op: CompareOp, value: CompValue, scope: Scope): FilterPredicate {
  const target = comparable(resolveTarget(path, scope));
  const { keys } = target;
  // Unassigned and null are the same thing (RFC 7643 §2.5), so "eq null" means "not present".
  if (value === null) {
    if (op !== 'eq' && op !== 'ne') throw invalid(`operator "${op}" cannot compare "${target.label}" with null`);
    const present: FilterPredicate = (obj) => valuesAt(obj, keys).some(isNonEmpty);
    return op === 'eq' ? (obj) => !present(obj) : present;
  }
  // "ne" is the negation of "eq", so a missing attribute is "not equal" and a multi-valued one is
  // "ne" only when no value equals (the any-match rule of §3.4.2.2 applied to "eq").
  const test = valueTest(target.leaf, op === 'ne' ? 'eq' : op, value, target.label);
  const any: FilterPredicate = (obj) => valuesAt(obj, keys).some(test);
  return op === 'ne' ? (obj) => !any(obj) : any;
}

function compileValuePath(path: AttrPath, inner: Filter, scope: Scope): FilterPredicate {
  if (scope.kind === 'element') throw invalid('value filters cannot be nested (RFC 7644 §3.4.2.2)');
  const target = resolveTarget(path, scope);
  if (path.sub !== undefined || target.leaf.type !== 'complex') {
    throw invalid(`a value filter needs a complex attribute, and "${target.label}" is not one`);
  }
  const test = compile(inner, { kind: 'element', parent: target.leaf });
  // Every condition in the brackets must hold for the same element (RFC 7644 §3.4.2.2 valuePath).
  return (obj) => valuesAt(obj, target.keys).some((el) => isObject(el) && test(el));
}

function compile(filter: Filter, scope: Scope): FilterPredicate {
  switch (filter.kind) {
    case 'compare':
      return compileCompare(filter.path, filter.op, filter.value, scope);
    case 'present': {
      const { keys } = resolveTarget(filter.path, scope);
      return (obj) => valuesAt(obj, keys).some(isNonEmpty);
    }
    case 'and': {
      const left = compile(filter.left, scope);
      const right = compile(filter.right, scope);
      return (obj) => left(obj) && right(obj);
    }
    case 'or': {
      const left = compile(filter.left, scope);
      const right = compile(filter.right, scope);
      return (obj) => left(obj) || right(obj);
    }
    case 'not': {
      const inner = compile(filter.filter, scope);
      return (obj) => !inner(obj);
    }
    case 'valuePath':
      return compileValuePath(filter.path, filter.filter, scope);
  }
}

/** Resolve and type-check a filter once, then evaluate it against many resources. */
export function compileFilter(filter: Filter, rt: ResourceTypeDef): FilterPredicate {
  return compile(filter, { kind: 'resource', rt });
}

/**
 * Validation only: throws invalidFilter for unknown attributes and operators that do not fit the
 * attribute type, so a SQL compiler may assume a validated AST.
 */
export function resolveFilterPaths(filter: Filter, rt: ResourceTypeDef): void {
  compileFilter(filter, rt);
}

export function matchesFilter(filter: Filter, resource: JsonObject, rt: ResourceTypeDef): boolean {
  return compileFilter(filter, rt)(resource);
}

/**
 * For PATCH value paths (RFC 7644 §3.5.2): inner paths name sub-attributes of `parent`. Compiled
 * once per operation, so matching costs one predicate call per element, not one compile.
 */
export function compileElementFilter(filter: Filter, parent: AttributeDef): FilterPredicate {
  return compile(filter, { kind: 'element', parent });
}

/** One element, one filter; in a loop, compile once with compileElementFilter instead. */
export function matchesElement(filter: Filter, element: JsonObject, parent: AttributeDef): boolean {
  return compileElementFilter(filter, parent)(element);
}
