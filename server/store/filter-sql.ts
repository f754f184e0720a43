import { caselessKey } from '../scim/caseless.js';
import { badRequest, UnknownAttributeError } from '../scim/errors.js';
import type { AttrPath, CompValue, Filter } from '../scim/filter-ast.js';
import { parseDateTime } from '../scim/filter-eval.js';
import { MAX_FILTER_VALUE_PATHS } from '../scim/limits.js';
import { type AttributeDef, findAttr, type ResourceTypeDef, resolveAttr } from '../scim/schemas.js';
import type { SqlFragment } from './sql.js';

/**
 * Compiles a filter AST (RFC 7644 §3.4.2.2) to a parameterized WHERE clause.
 * Attributes with their own column come from an allow-list, so `userName eq`, `externalId eq`,
 * `id eq` and `displayName eq` hit an index; every other attribute is read from the JSON document.
 * Values are always bound parameters.
 */
export interface ColumnSpec {
  /** SQL expression of the column, e.g. "u.user_name". */
  expr: string;
  /**
   * The column's collation folds ASCII case (COLLATE NOCASE). Filters do not rely on it: NOCASE is
   * ASCII-only, so caseExact=false comparisons run on `caselessKey` (or the caseless SQL function).
   */
  nocase?: boolean;
  /**
   * A column holding caselessKey() of this one (NFC + Unicode case folding, server/scim/caseless.ts):
   * string comparisons run on it with the folded value, so `userName eq` is an index read and agrees
   * with the uniqueness rule beyond ASCII.
   */
  caselessKey?: string;
}

export interface TableSpec {
  alias: string;
  /** Canonical attribute path ("userName", "meta.created") → column. */
  columns: Record<string, ColumnSpec>;
  /** SQL for multi-valued attributes kept outside the JSON (members, groups); `?` is the compared id. */
  related?: Record<string, (op: 'eq' | 'pr') => string>;
}

interface Target {
  /** SQL expression yielding the scalar to compare. */
  expr: string;
  def: AttributeDef;
  caselessKey?: string;
}

const jsonKey = (k: string): string => `"${k.replaceAll('"', '""')}"`;

/**
 * The SQL expression a filter compiles for a single-valued extension attribute, over `data` of a
 * table aliased `alias` (or unaliased, for an index). An expression index must be the very
 * expression the query uses, so the index DDL (extensions-repo.ts) and compileLeaf share this.
 */
export function extensionExpr(urn: string, def: AttributeDef, alias?: string): string {
  const data = alias ? `${alias}.data` : 'data';
  const expr = `json_extract(${data}, '$.${jsonKey(urn)}.${jsonKey(def.name)}')`;
  // compare() folds case for string-valued comparisons of a caseExact=false attribute (RFC 7643 §2.2).
  return foldsCase(def) ? caselessSql(expr) : expr;
}

/**
 * Does a string comparison on `def` fold case? caseExact false strings, references and dateTimes
 * (RFC 7643 §2.2); binary is base64 and case-significant whatever the table says (§2.3.6), as in
 * filter-eval.ts.
 */
function foldsCase(def: AttributeDef): boolean {
  return !def.caseExact && (def.type === 'string' || def.type === 'reference' || def.type === 'dateTime');
}

/**
 * The caseless key of a stored value in SQL: the function openDb registers over caselessKey()
 * (server/scim/caseless.ts), the same folding the in-memory evaluation uses. SQLite's lower() folds
 * A–Z only, so with it `displayName eq "ÉMILE"` would miss "émile" in SQL but not in memory.
 */
const caselessSql = (expr: string): string => `scimdesk_caseless_key(${expr})`;

function dateParam(value: CompValue, where: string): string {
  const ms = typeof value === 'string' ? parseDateTime(value) : undefined;
  if (ms === undefined) {
    throw badRequest('invalidFilter', `${where} is a dateTime; compare it with a quoted date such as "2024-01-31T00:00:00Z"`);
  }
  // Stored dates are toISOString() output, so the same shape compares correctly as text.
  return new Date(ms).toISOString();
}

function checkValue(def: AttributeDef, op: string, value: CompValue, where: string): unknown {
  if (value === null) return null;
  switch (def.type) {
    case 'boolean':
      if (typeof value !== 'boolean') throw badRequest('invalidFilter', `${where} is a boolean; compare it with true or false`);
      if (op !== 'eq' && op !== 'ne') throw badRequest('invalidFilter', `operator "${op}" does not apply to boolean ${where}`);
      return value ? 1 : 0;
    case 'integer':
    case 'decimal':
      if (typeof value !== 'number') throw badRequest('invalidFilter', `${where} is a number; compare it with a number`);
      if (op === 'co' || op === 'sw' || op === 'ew')
        throw badRequest('invalidFilter', `operator "${op}" does not apply to number ${where}`);
      return value;
    case 'dateTime':
      if (op === 'co' || op === 'sw' || op === 'ew') return String(value);
      return dateParam(value, where);
    case 'binary':
      if (op !== 'eq' && op !== 'ne' && op !== 'co' && op !== 'sw' && op !== 'ew') {
        throw badRequest('invalidFilter', `operator "${op}" does not apply to binary ${where}`);
      }
      return String(value);
    case 'complex':
      throw badRequest('invalidFilter', `${where} is complex; compare one of its sub-attributes`);
    default:
      if (typeof value !== 'string') throw badRequest('invalidFilter', `${where} is a string; compare it with a quoted string`);
      return value;
  }
}

/** One comparison on a scalar expression; `strict` keeps NULL out so NOT() stays two-valued. */
function compare(t: Target, op: string, value: CompValue, where: string): SqlFragment {
  const p = checkValue(t.def, op, value, where);
  if (p === null) {
    if (op === 'eq') return { sql: `${t.expr} IS NULL`, params: [] };
    if (op === 'ne') return { sql: `${t.expr} IS NOT NULL`, params: [] };
    throw badRequest('invalidFilter', `operator "${op}" cannot compare with null`);
  }
  if (typeof p === 'string' && foldsCase(t.def)) {
    // A key column (userName, Group displayName) keeps `eq` an index read; any other value is folded
    // in SQL by the same function, which an extension's expression index is built on too.
    return compareOn(t.expr, t.caselessKey ?? caselessSql(t.expr), op, caselessKey(p));
  }
  return compareOn(t.expr, t.expr, op, p);
}

/**
 * The operators on `key` (the value itself, or its caseless key with `value` folded the same way
 * in JavaScript); `expr` is the unfolded value, for the NULL test of `ne`.
 */
function compareOn(expr: string, key: string, op: string, value: unknown): SqlFragment {
  switch (op) {
    case 'eq':
      return { sql: `${key} = ?`, params: [value] };
    case 'ne':
      return { sql: `(${expr} IS NULL OR ${key} <> ?)`, params: [value] };
    case 'co':
      return { sql: `instr(${key}, ?) > 0`, params: [value] };
    case 'sw':
      return { sql: `instr(${key}, ?) = 1`, params: [value] };
    case 'ew':
      return { sql: `substr(${key}, -length(?)) = ?`, params: [value, value] };
    case 'gt':
      return { sql: `${key} > ?`, params: [value] };
    case 'ge':
      return { sql: `${key} >= ?`, params: [value] };
    case 'lt':
      return { sql: `${key} < ?`, params: [value] };
    default:
      return { sql: `${key} <= ?`, params: [value] };
  }
}

function present(expr: string, def: AttributeDef): string {
  if (def.type === 'string' || def.type === 'reference' || def.type === 'binary') return `coalesce(${expr}, '') <> ''`;
  return `${expr} IS NOT NULL`;
}

/** Related-table SQL may probe several tables; each `?` takes the same compared id. */
function relatedEq(text: string, id: string): SqlFragment {
  return { sql: text, params: Array.from({ length: text.split('?').length - 1 }, () => id) };
}

const pathText = (p: AttrPath): string => `${p.uri ? `${p.uri}:` : ''}${p.name}${p.sub ? `.${p.sub}` : ''}`;

/**
 * The operands of a chain like `a or b or c`, in order. The parser builds such chains left-deep, so
 * a flat list of 100 alternatives is not "100 levels of nesting" and must not trip the depth guard.
 */
function operands(f: Extract<Filter, { kind: 'and' | 'or' }>): Filter[] {
  const out: Filter[] = [];
  const stack: Filter[] = [f];
  for (let x = stack.pop(); x !== undefined; x = stack.pop()) {
    if ((x.kind === 'and' || x.kind === 'or') && x.kind === f.kind) stack.push(x.right, x.left);
    else out.push(x);
  }
  return out;
}

/** Joins with balanced parentheses, so SQLite's expression depth (max 1000) grows with log(n). */
function joinBalanced(parts: SqlFragment[], op: 'AND' | 'OR'): SqlFragment {
  if (parts.length === 1) return parts[0] as SqlFragment;
  const mid = Math.ceil(parts.length / 2);
  const l = joinBalanced(parts.slice(0, mid), op);
  const r = joinBalanced(parts.slice(mid), op);
  return { sql: `(${l.sql} ${op} ${r.sql})`, params: [...l.params, ...r.params] };
}

/**
 * Counts the json_each scans a filter compiles to: each one reads every value of a multi-valued
 * attribute of every candidate row, so they are what makes a filter expensive (issue #15 item 7).
 */
interface Budget {
  scans: number;
}

function scan(budget: Budget): void {
  budget.scans++;
  if (budget.scans > MAX_FILTER_VALUE_PATHS) {
    throw badRequest(
      'invalidFilter',
      `invalid filter: more than ${MAX_FILTER_VALUE_PATHS} value filters and comparisons on multi-valued attributes`,
    );
  }
}

export function compileFilter(filter: Filter, rt: ResourceTypeDef, table: TableSpec): SqlFragment {
  return compileNode(filter, rt, table, false, 0, { scans: 0 });
}

function compileNode(f: Filter, rt: ResourceTypeDef, table: TableSpec, negated: boolean, depth: number, budget: Budget): SqlFragment {
  if (depth > 64) throw badRequest('invalidFilter', 'filter nests too deeply');
  switch (f.kind) {
    case 'and':
    case 'or':
      return joinBalanced(
        operands(f).map((x) => compileNode(x, rt, table, negated, depth + 1, budget)),
        f.kind === 'and' ? 'AND' : 'OR',
      );
    case 'not': {
      const inner = compileNode(f.filter, rt, table, true, depth + 1, budget);
      return { sql: `NOT (${inner.sql})`, params: inner.params };
    }
    case 'valuePath':
      return compileValuePath(f.path, f.filter, rt, table, budget);
    default: {
      const leaf = compileLeaf(f, rt, table, budget);
      // Under NOT, a NULL (missing attribute) must count as false, not unknown.
      return negated ? { sql: `coalesce(${leaf.sql}, 0)`, params: leaf.params } : leaf;
    }
  }
}

function compileLeaf(
  f: Extract<Filter, { kind: 'compare' | 'present' }>,
  rt: ResourceTypeDef,
  table: TableSpec,
  budget: Budget,
): SqlFragment {
  const where = `"${pathText(f.path)}"`;
  const r = resolveAttr(rt, f.path.uri, f.path.name, f.path.sub);
  if (!r) throw new UnknownAttributeError(`unknown attribute ${where}`);
  const key = r.extension ? `${r.schema}:${r.def.name}` : r.sub ? `${r.def.name}.${r.sub.name}` : r.def.name;
  const col = table.columns[key];
  if (col) {
    const t: Target = { expr: col.expr, def: r.sub ?? r.def, caselessKey: col.caselessKey };
    if (f.kind === 'present') return { sql: present(t.expr, t.def), params: [] };
    return compare(t, f.op, f.value, where);
  }
  const related = table.related?.[r.def.name];
  if (related) {
    if (f.kind === 'present') return { sql: related('pr'), params: [] };
    if (f.op !== 'eq' || (r.sub && r.sub.name !== 'value')) {
      throw badRequest('invalidFilter', `${where} supports only "eq" on its value, or "pr"`);
    }
    if (typeof f.value !== 'string') throw badRequest('invalidFilter', `${where} is compared with a quoted id`);
    return relatedEq(related('eq'), f.value);
  }
  const base = r.extension ? `$.${jsonKey(r.schema)}.${jsonKey(r.def.name)}` : `$.${jsonKey(r.def.name)}`;
  const data = `${table.alias}.data`;
  if (r.def.multiValued) {
    // Multi-valued: match if any element matches (RFC 7644 §3.4.2.2); a complex attribute without a
    // sub-attribute is compared through its "value" sub-attribute.
    if (f.kind === 'present' && !r.sub) return { sql: `coalesce(json_array_length(${data}, '${base}'), 0) > 0`, params: [] };
    scan(budget);
    const subDef = r.sub ?? (r.def.subAttributes ? findAttr(r.def.subAttributes, 'value') : undefined) ?? r.def;
    const elem = r.def.type === 'complex' ? `json_extract(je.value, '$.${jsonKey(subDef.name)}')` : 'je.value';
    const t: Target = { expr: elem, def: subDef };
    // `ne` means "not eq": true only when no element equals the value (and when there are none).
    const negate = f.kind === 'compare' && f.op === 'ne';
    const inner = f.kind === 'present' ? { sql: present(elem, subDef), params: [] } : compare(t, negate ? 'eq' : f.op, f.value, where);
    const exists = `EXISTS (SELECT 1 FROM json_each(${data}, '${base}') je WHERE ${inner.sql})`;
    return { sql: negate ? `NOT ${exists}` : exists, params: inner.params };
  }
  const path = r.sub ? `${base}.${jsonKey(r.sub.name)}` : base;
  const t: Target = { expr: `json_extract(${data}, '${path}')`, def: r.sub ?? r.def };
  if (f.kind === 'present') {
    if (t.def.type === 'complex') return { sql: `json_type(${data}, '${path}') = 'object'`, params: [] };
    return { sql: present(t.expr, t.def), params: [] };
  }
  return compare(t, f.op, f.value, where);
}

/** `emails[type eq "work" and value co "@"]`: one element must satisfy the whole inner filter. */
function compileValuePath(path: AttrPath, inner: Filter, rt: ResourceTypeDef, table: TableSpec, budget: Budget): SqlFragment {
  const where = `"${pathText(path)}"`;
  const r = resolveAttr(rt, path.uri, path.name);
  if (!r) throw new UnknownAttributeError(`unknown attribute ${where}`);
  if (r.def.type !== 'complex' || !r.def.subAttributes) {
    throw badRequest('invalidFilter', `${where} is not a complex attribute that a value filter can select from`);
  }
  const related = table.related?.[r.def.name];
  if (related) {
    if (inner.kind === 'compare' && inner.op === 'eq' && inner.path.name.toLowerCase() === 'value' && typeof inner.value === 'string') {
      return relatedEq(related('eq'), inner.value);
    }
    throw badRequest('invalidFilter', `${where} supports only [value eq "id"]`);
  }
  if (r.def.multiValued) scan(budget);
  const base = r.extension ? `$.${jsonKey(r.schema)}.${jsonKey(r.def.name)}` : `$.${jsonKey(r.def.name)}`;
  const subs = r.def.subAttributes;
  const body = compileElement(inner, subs, where, false, 0);
  const source = r.def.multiValued
    ? `json_each(${table.alias}.data, '${base}') je`
    : `(SELECT json_extract(${table.alias}.data, '${base}') AS value) je`;
  return { sql: `EXISTS (SELECT 1 FROM ${source} WHERE ${body.sql})`, params: body.params };
}

function compileElement(f: Filter, subs: AttributeDef[], where: string, negated: boolean, depth: number): SqlFragment {
  if (depth > 64) throw badRequest('invalidFilter', 'filter nests too deeply');
  switch (f.kind) {
    case 'and':
    case 'or':
      return joinBalanced(
        operands(f).map((x) => compileElement(x, subs, where, negated, depth + 1)),
        f.kind === 'and' ? 'AND' : 'OR',
      );
    case 'not': {
      const inner = compileElement(f.filter, subs, where, true, depth + 1);
      return { sql: `NOT (${inner.sql})`, params: inner.params };
    }
    case 'valuePath':
      throw badRequest('invalidFilter', `value filters cannot nest inside ${where}`);
    default: {
      const def = findAttr(subs, f.path.name);
      if (!def || f.path.uri || f.path.sub) throw badRequest('invalidFilter', `unknown sub-attribute "${pathText(f.path)}" in ${where}`);
      const t: Target = { expr: `json_extract(je.value, '$.${jsonKey(def.name)}')`, def };
      const leaf = f.kind === 'present' ? { sql: present(t.expr, def), params: [] } : compare(t, f.op, f.value, `${where}.${def.name}`);
      return negated ? { sql: `coalesce(${leaf.sql}, 0)`, params: leaf.params } : leaf;
    }
  }
}

/** ORDER BY expression for sortBy (RFC 7644 §3.4.2.3); unknown attributes are a 400 invalidValue. */
export function compileSort(sortBy: string, rt: ResourceTypeDef, table: TableSpec, parse: (t: string) => AttrPath): string {
  const p = parse(sortBy);
  const r = resolveAttr(rt, p.uri, p.name, p.sub);
  if (!r) throw badRequest('invalidValue', `sortBy names an unknown attribute "${sortBy}"`);
  const key = r.extension ? `${r.schema}:${r.def.name}` : r.sub ? `${r.def.name}.${r.sub.name}` : r.def.name;
  const col = table.columns[key];
  if (col) return col.expr;
  const base = r.extension ? `$.${jsonKey(r.schema)}.${jsonKey(r.def.name)}` : `$.${jsonKey(r.def.name)}`;
  // Multi-valued: sort by the first ("primary" by convention) element's value.
  if (r.def.multiValued) return `json_extract(${table.alias}.data, '${base}[0].${jsonKey(r.sub?.name ?? 'value')}')`;
  const path = r.sub ? `${base}.${jsonKey(r.sub.name)}` : base;
  const expr = `json_extract(${table.alias}.data, '${path}')`;
  // Caseless strings sort by the same key the filters compare (RFC 7644 §3.4.2.3 follows caseExact).
  return foldsCase(r.sub ?? r.def) ? caselessSql(expr) : expr;
}
