/**
 * Group membership in Entra's default (pre-aadOptscim062020) dialect, from "Tutorial: Develop and
 * plan provisioning for a SCIM endpoint in Microsoft Entra ID", section Groups:
 * - members are added as [{"$ref": null, "value": "<id>"}];
 * - members are removed with {"op":"Remove","path":"members","value":[{"value":"<id>"}]}, which a
 *   strict reading of RFC 7644 §3.5.2.2 (remove ignores "value") turns into "remove every member"
 *   (MicrosoftDocs/azure-docs#30826).
 */
import { MAX_FILTER_LENGTH } from '../scim/filter.js';
import { isObject, type Json, type JsonObject } from '../scim/json.js';
import type { RawOp } from './manager.js';

/** Drops `"$ref": null` from member elements; `at` names the array in notes ("members"). */
export function dropNullRefs(value: Json, at: string, notes: string[]): Json {
  if (!Array.isArray(value)) return value;
  return value.map((e, i) => {
    if (!isObject(e)) return e;
    const key = Object.keys(e).find((k) => k.toLowerCase() === '$ref');
    if (key === undefined || e[key] !== null) return e;
    const rest: JsonObject = { ...e };
    delete rest[key];
    notes.push(`"$ref": null dropped from ${at}[${i}]`);
    return rest;
  });
}

/**
 * {"op":"remove","path":"members","value":[{"value":"a"},{"value":"b"}]} becomes the RFC form
 * {"op":"remove","path":"members[value eq \"a\" or value eq \"b\"]"}, one operation for one, so
 * error positions still match what the client sent. Values are quoted with JSON.stringify, whose
 * escapes are the filter grammar's (RFC 7644 §3.4.2.2 compValue is a JSON string).
 */
export function removeByValueList(raw: RawOp, notes: string[]): RawOp {
  if (raw.op !== 'remove' || typeof raw.path !== 'string' || raw.path.trim().toLowerCase() !== 'members') return raw;
  if (!Array.isArray(raw.value) || raw.value.length === 0) return raw;
  const values: string[] = [];
  for (const e of raw.value) {
    const v = isObject(e) ? e.value : undefined;
    if (typeof v !== 'string' || v === '') return raw;
    values.push(v);
  }
  const path = `members[${values.map((v) => `value eq ${JSON.stringify(v)}`).join(' or ')}]`;
  // A very long list would not fit the filter parser; the core removes only listed values too.
  if (path.length > MAX_FILTER_LENGTH) return raw;
  const shown = values.length > 3 ? `members[value eq ${JSON.stringify(values[0])} or …] (${values.length} values)` : path;
  notes.push(`remove of members with a value list read as ${shown}`);
  return { op: 'remove', path };
}
