/**
 * Corrections to a PATCH body (RFC 7644 §3.5.2) for the Okta and Entra dialects. Each operation is
 * corrected on its own and keeps its position, so the core's positional errors still point at the
 * operation the client sent. Anything this layer does not recognise is left for the core to judge.
 */
import { parsePath } from '../scim/filter.js';
import type { PatchPath } from '../scim/filter-ast.js';
import { isObject, type Json, type JsonObject } from '../scim/json.js';
import { type AttributeDef, findAttr, type ResourceTypeDef, resolveAttr } from '../scim/schemas.js';
import { type KeyTarget, resolveKey } from '../scim/value-check.js';
import { coerceBooleans } from './booleans.js';
import { correctFilterText } from './filter-text.js';
import { correctManagerOp, managerValue, type RawOp } from './manager.js';
import { dropNullRefs, removeByValueList } from './members.js';

const OPS = new Set(['add', 'remove', 'replace']);

/** The member of `o` whose name matches `name` case-insensitively, as patch-parse reads it. */
const keyOf = (o: JsonObject, name: string): string | undefined => Object.keys(o).find((k) => k.toLowerCase() === name);

/**
 * Entra emits "Add", "Replace" and "Remove" ("Known issues and resolutions with SCIM 2.0 protocol
 * compliance…": "Don't require a case-sensitive match on structural elements in SCIM, in particular
 * PATCH op operation values"). The core accepts only the RFC spelling.
 */
export function lowerCaseOp(op: Json | undefined, notes: string[]): Json | undefined {
  if (typeof op !== 'string' || op === op.toLowerCase() || !OPS.has(op.toLowerCase())) return op;
  notes.push(`op ${JSON.stringify(op)} read as ${JSON.stringify(op.toLowerCase())}`);
  return op.toLowerCase();
}

function tryParsePath(text: string): PatchPath | undefined {
  try {
    return parsePath(text);
  } catch {
    return undefined;
  }
}

/** The definition a PATCH value is written against, and whether the value is one array element. */
function valueDef(rt: ResourceTypeDef, path: PatchPath): { def: AttributeDef; element: boolean } | undefined {
  const r = resolveAttr(rt, path.attr.uri, path.attr.name, path.attr.sub);
  if (!r) return undefined;
  if (!path.filter) return { def: r.sub ?? r.def, element: false };
  if (path.subAfterFilter === undefined) return { def: r.def, element: true };
  const sub = findAttr(r.def.subAttributes ?? [], path.subAfterFilter);
  return sub ? { def: sub, element: false } : undefined;
}

/** Manager, member and boolean corrections of one attribute value written under `key`. */
function correctAttrValue(rt: ResourceTypeDef, k: KeyTarget & { kind: 'attr' }, key: string, v: Json, notes: string[]): Json {
  let value = v;
  if (k.extension && k.def.name === 'manager' && !k.sub) value = managerValue(value, notes);
  if (rt.name === 'Group' && !k.extension && k.def.name === 'members' && !k.sub) value = dropNullRefs(value, 'members', notes);
  return coerceBooleans(k.sub ?? k.def, value, key, notes);
}

/**
 * A path-less add or replace carries attributes as keys of "value" (RFC 7644 §3.5.2.1, §3.5.2.3).
 * - Okta renames a group with {"id": "<the group's id>", "displayName": …} ("SCIM 2.0 Protocol
 *   Reference", Update a specific Group name). `id` is readOnly, so re-sending the same id is
 *   dropped; a different id is left for the core to refuse.
 * - Entra with aadOptscim062020 sends dotted ("name.givenName") and URN-qualified keys; the core
 *   reads them as paths, and this layer records that it did.
 */
export function correctPathlessValue(
  value: Json | undefined,
  rt: ResourceTypeDef,
  id: string | undefined,
  notes: string[],
): Json | undefined {
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, v] of Object.entries(value)) {
    const k = resolveKey(rt, key);
    if (k?.kind === 'attr' && !k.extension && k.def.name === 'id' && id !== undefined && v === id) {
      notes.push(`"id" equal to the resource id dropped from path-less value`);
      continue;
    }
    if (k?.kind === 'attr') {
      if (key.includes('.') || key.toLowerCase().startsWith('urn:')) notes.push(`path-less value key "${key}" read as path "${key}"`);
      out[key] = correctAttrValue(rt, k, key, v, notes);
    } else if (k?.kind === 'extension' && isObject(v)) {
      const inner: JsonObject = {};
      for (const [subKey, subV] of Object.entries(v)) {
        const ik = resolveKey(rt, subKey, k.schema);
        inner[subKey] = ik?.kind === 'attr' ? correctAttrValue(rt, ik, subKey, subV, notes) : subV;
      }
      out[key] = inner;
    } else {
      out[key] = v;
    }
  }
  return out;
}

/**
 * RFC 7644 §3.5.2.3 answers a replace whose value filter matches nothing with 400 noTarget, but
 * Entra replaces `emails[type eq "work"].value` on users that have no work email yet and expects
 * the value to be created ("Tutorial: Develop and plan provisioning…", Update User). With a
 * sub-attribute after the filter, add and replace set the same thing on matched values, and add
 * also creates one from the filter's `eq` conditions when nothing matches, so replace is read as add.
 * Empty and null values are left alone: they clear, and must not create an empty value.
 */
export function replaceFilteredAsAdd(raw: RawOp, path: PatchPath | undefined, rt: ResourceTypeDef, notes: string[]): RawOp {
  if (raw.op !== 'replace' || !path?.filter || path.subAfterFilter === undefined) return raw;
  if (raw.value === undefined || raw.value === null || raw.value === '') return raw;
  if (rt.name === 'Group' && path.attr.name.toLowerCase() === 'members') return raw;
  notes.push(`replace of ${String(raw.path)} read as add, so a value the filter describes is created when none matches`);
  return { ...raw, op: 'add' };
}

/**
 * A path naming a whole extension schema (`"path": "urn:…:enterprise:2.0:User"`), as general-purpose
 * SCIM clients send to set or clear the extension as one complex value. RFC 7644 §3.5.2's PATH
 * grammar needs an attribute name after the URN, so this is read as the RFC form: add and replace
 * become a path-less operation whose value is keyed by the URN (§3.5.2.1, §3.5.2.3: the extension's
 * sub-attributes are set, others kept), and remove becomes a path-less replace of the URN with null
 * (RFC 7643 §2.5: unassigned), which drops the extension. Works for every extension the resource
 * type declares.
 */
export function wholeExtensionOp(raw: RawOp, rt: ResourceTypeDef, notes: string[]): RawOp {
  if (typeof raw.path !== 'string') return raw;
  const urn = raw.path.trim().toLowerCase();
  const ext = rt.extensions.find((e) => e.schema.id.toLowerCase() === urn);
  if (!ext) return raw;
  const id = ext.schema.id;
  if ((raw.op === 'add' || raw.op === 'replace') && isObject(raw.value)) {
    notes.push(`path "${raw.path}" names an extension schema: ${raw.op} applied to the extension as one complex value`);
    return { op: raw.op, value: { [id]: raw.value } };
  }
  if (raw.op === 'remove' && raw.value === undefined) {
    notes.push(`path "${raw.path}" names an extension schema: remove applied to the extension as one complex value`);
    return { op: 'replace', value: { [id]: null } };
  }
  return raw;
}

function correctOperation(raw: Json, rt: ResourceTypeDef, id: string | undefined, notes: string[]): Json {
  if (!isObject(raw)) return raw;
  const opKey = keyOf(raw, 'op');
  const pathKey = keyOf(raw, 'path');
  const valueKey = keyOf(raw, 'value');
  let op: RawOp = {
    op: opKey === undefined ? undefined : lowerCaseOp(raw[opKey], notes),
    path: pathKey === undefined ? undefined : raw[pathKey],
    value: valueKey === undefined ? undefined : raw[valueKey],
  };
  op = wholeExtensionOp(op, rt, notes);
  if (typeof op.path === 'string') op.path = correctFilterText(op.path, 'path', notes);
  if (rt.name === 'User') op = correctManagerOp(op, notes);
  if (rt.name === 'Group') op = removeByValueList(op, notes);
  const parsed = typeof op.path === 'string' ? tryParsePath(op.path) : undefined;
  if (op.path === undefined || op.path === null) {
    op.value = correctPathlessValue(op.value, rt, id, notes);
  } else if (parsed && op.value !== undefined) {
    const target = valueDef(rt, parsed);
    const isMembers = rt.name === 'Group' && parsed.attr.name.toLowerCase() === 'members' && !parsed.filter;
    if (isMembers) op.value = dropNullRefs(op.value, 'members', notes);
    if (target) op.value = coerceBooleans(target.def, op.value, String(op.path), notes, target.element);
  }
  op = replaceFilteredAsAdd(op, parsed, rt, notes);
  // Rebuild with the canonical member names; other members (if any) are kept for the core.
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(raw)) if (k !== opKey && k !== pathKey && k !== valueKey) out[k] = v;
  if (op.op !== undefined) out.op = op.op;
  if (op.path !== undefined) out.path = op.path;
  if (op.value !== undefined) out.value = op.value;
  return out;
}

/** Corrects every operation of a PATCH body; a body that is not a PatchOp message is returned as is. */
export function correctPatchBody(body: unknown, rt: ResourceTypeDef, id: string | undefined, notes: string[]): unknown {
  if (!isObject(body)) return body;
  const opsKey = keyOf(body, 'operations');
  const ops = opsKey === undefined ? undefined : body[opsKey];
  if (opsKey === undefined || !Array.isArray(ops)) return body;
  return { ...body, [opsKey]: ops.map((raw) => correctOperation(raw, rt, id, notes)) };
}
