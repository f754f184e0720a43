/** Small response checks for the flows; each returns a failure message or undefined. */
import { isObject, type Json, type JsonObject } from '../../scim/json.js';
import type { Check, StepResponse, Vars } from '../step.js';

export const LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** The value at a key path; array indexes are numbers: at(body, 'emails', 0, 'value'). */
export function at(body: Json | null | undefined, ...keys: (string | number)[]): Json | undefined {
  let cur: Json | undefined = body ?? undefined;
  for (const k of keys) {
    if (typeof k === 'number') cur = Array.isArray(cur) ? cur[k] : undefined;
    else cur = isObject(cur) ? cur[k] : undefined;
  }
  return cur;
}

const show = (v: Json | undefined): string => (v === undefined ? 'absent' : JSON.stringify(v));

/** `{{name}}` in an expected string is read from the run's variables. */
const expected = (v: Json, vars: Vars): Json => (typeof v === 'string' ? v.replace(/\{\{(\w+)\}\}/g, (_, k: string) => vars[k] ?? '') : v);

/** The value at `keys` equals `value` (strings may hold placeholders). */
export const is =
  (value: Json, ...keys: (string | number)[]): Check =>
  (r, vars) => {
    const got = at(r.body, ...keys);
    const want = expected(value, vars);
    return JSON.stringify(got) === JSON.stringify(want) ? undefined : `${keys.join('.')} is ${show(got)}, expected ${show(want)}`;
  };

export const absent =
  (...keys: (string | number)[]): Check =>
  (r) => {
    const got = at(r.body, ...keys);
    return got === undefined || got === null ? undefined : `${keys.join('.')} should be absent but is ${show(got)}`;
  };

/** The array at `keys` has exactly these `value`s, in any order (members, groups). */
export const values =
  (want: string[], ...keys: (string | number)[]): Check =>
  (r, vars) => {
    const got = at(r.body, ...keys);
    const list = Array.isArray(got) ? got.map((e) => String(at(e, 'value'))).sort() : [];
    const exp = want.map((w) => String(expected(w, vars))).sort();
    return JSON.stringify(list) === JSON.stringify(exp) ? undefined : `${keys.join('.')} values are ${show(list)}, expected ${show(exp)}`;
  };

export const hasValue =
  (want: string, ...keys: (string | number)[]): Check =>
  (r, vars) => {
    const got = at(r.body, ...keys);
    const v = String(expected(want, vars));
    return Array.isArray(got) && got.some((e) => at(e, 'value') === v) ? undefined : `${keys.join('.')} does not hold ${v}`;
  };

/** A ListResponse with integer paging fields (Okta: "exchanged as integers, not as strings"). */
export const list =
  (total?: number): Check =>
  (r) => {
    const b: JsonObject | null = r.body;
    if (!Array.isArray(at(b, 'schemas')) || !(at(b, 'schemas') as Json[]).includes(LIST_RESPONSE)) return 'not a ListResponse';
    for (const k of ['totalResults', 'startIndex', 'itemsPerPage']) {
      if (!Number.isInteger(at(b, k))) return `${k} is ${show(at(b, k))}, expected an integer`;
    }
    if (!Array.isArray(at(b, 'Resources'))) return 'Resources is not an array';
    return total === undefined || at(b, 'totalResults') === total
      ? undefined
      : `totalResults is ${show(at(b, 'totalResults'))}, expected ${total}`;
  };

export const errorBody: Check = (r) =>
  Array.isArray(at(r.body, 'schemas')) && (at(r.body, 'schemas') as Json[]).includes(ERROR) ? undefined : 'not a SCIM Error body';

export const all =
  (...checks: Check[]): Check =>
  (r: StepResponse, vars: Vars) => {
    for (const c of checks) {
      const failure = c(r, vars);
      if (failure) return failure;
    }
    return undefined;
  };

export const idOf = (body: JsonObject): string => String(body.id ?? '');
