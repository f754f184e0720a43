/**
 * Extension data nobody declared. RFC 7644 §3.3 lets a server ignore attributes it does not
 * support, but an IdP admin who mapped a custom attribute into
 * `urn:ietf:params:scim:schemas:extension:CustomExt:2.0:User` and sees a 201 expects it kept. So by
 * default the node keeps such values (as sent, under their URN key, next to the declared ones) and
 * reports each one it sees so an admin can declare it; with the policy "reject" the request fails
 * with 400 invalidSyntax naming the URN. Core attributes and the EnterpriseUser schema are defined
 * by RFC 7643, so unknown names there are still ignored as before.
 */
import { badRequest } from './errors.js';
import { jsonTypeOf, looksLikeUrn } from './extension-schema.js';
import type { PatchPath } from './filter-ast.js';
import { isObject, type Json, type JsonObject } from './json.js';
import type { UndeclaredPolicy } from './registry.js';
import { ENTERPRISE_USER_SCHEMA, type ResourceTypeDef } from './schemas.js';
import { jsonEqual } from './value-check.js';

export interface UndeclaredSeen {
  urn: string;
  attribute: string;
  /** The JSON type of the value (never the value itself: it may be personal data). */
  valueType: string;
}

/** How a write treats undeclared extension data; absent, it is ignored as RFC 7644 §3.3 allows. */
export interface UndeclaredOptions {
  policy: UndeclaredPolicy;
  /** Filled with every undeclared attribute the request carried. */
  seen: UndeclaredSeen[];
}

const ATTR_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;
const lower = (s: string): string => s.toLowerCase();

/** Can attributes under `urn` be undeclared data? Not the core schema, not EnterpriseUser. */
function openUrn(rt: ResourceTypeDef, urn: string): boolean {
  const u = lower(urn);
  return u !== lower(rt.schema.id) && u !== lower(ENTERPRISE_USER_SCHEMA) && looksLikeUrn(urn);
}

function known(rt: ResourceTypeDef, urn: string): string | undefined {
  return rt.extensions.find((e) => lower(e.schema.id) === lower(urn))?.schema.id;
}

/** The container key for `urn` in a document: the declared spelling, else the first spelling stored. */
function containerKey(doc: JsonObject, rt: ResourceTypeDef, urn: string): string {
  return known(rt, urn) ?? Object.keys(doc).find((k) => lower(k) === lower(urn)) ?? urn;
}

/** Records (or, under "reject", refuses) one undeclared attribute, then writes or clears it. */
export function putUndeclared(
  doc: JsonObject,
  rt: ResourceTypeDef,
  urn: string,
  attribute: string,
  raw: Json,
  opts: UndeclaredOptions,
): void {
  if (!ATTR_NAME.test(attribute)) throw badRequest('invalidSyntax', `"${urn}:${attribute}" is not a valid attribute name`);
  if (opts.policy === 'reject') {
    throw badRequest(
      'invalidSyntax',
      `extension attribute "${urn}:${attribute}" is not declared on this node; declare "${urn}" (scimdesk schema add) or set undeclaredExtensions to "keep"`,
    );
  }
  if (raw !== null) opts.seen.push({ urn: known(rt, urn) ?? urn, attribute, valueType: jsonTypeOf(raw) });
  const key = containerKey(doc, rt, urn);
  const prior = doc[key];
  const container: JsonObject = isObject(prior) ? prior : {};
  const name = Object.keys(container).find((k) => lower(k) === lower(attribute)) ?? attribute;
  if (raw === null) delete container[name];
  else container[name] = raw;
  if (Object.keys(container).length > 0) doc[key] = container;
  else delete doc[key];
}

/**
 * A top-level body key the attribute tables did not resolve. Either an extension container
 * (`"urn:…:CustomExt:2.0:User": {…}`: listed in `schemas`, or ending in the resource type's name as
 * RFC 7643 §3.3's URNs do) or a URN-qualified attribute (`"urn:…:CustomExt:2.0:User:costCenter"`,
 * RFC 7644 §3.10). Returns false when the key is not undeclared extension data at all.
 */
export function absorbUndeclaredKey(
  doc: JsonObject,
  rt: ResourceTypeDef,
  key: string,
  raw: Json,
  listed: readonly string[],
  opts: UndeclaredOptions,
): boolean {
  const isContainer = isObject(raw) && (listed.some((s) => lower(s) === lower(key)) || lower(key).endsWith(`:${lower(rt.name)}`));
  if (isContainer && openUrn(rt, key)) {
    for (const [attr, v] of Object.entries(raw)) absorbUndeclaredAttr(doc, rt, key, attr, v, opts);
    return true;
  }
  const colon = key.lastIndexOf(':');
  const urn = key.slice(0, colon);
  if (colon < 0 || !openUrn(rt, urn)) return false;
  putUndeclared(doc, rt, urn, key.slice(colon + 1), raw, opts);
  return true;
}

/** An attribute of `urn` that its declaration (if any) does not list. */
export function absorbUndeclaredAttr(
  doc: JsonObject,
  rt: ResourceTypeDef,
  urn: string,
  attr: string,
  raw: Json,
  opts: UndeclaredOptions,
): void {
  if (!openUrn(rt, urn)) return;
  putUndeclared(doc, rt, urn, attr, raw, opts);
}

/**
 * A PATCH path the attribute tables did not resolve but that names an attribute of an open URN:
 * Entra's `{"op":"Add","path":"urn:…:CustomExtensionName:2.0:User:costCenter","value":"42"}`.
 * Only a plain attribute can be addressed: without a declaration there is no type to filter on.
 */
export function undeclaredPathTarget(rt: ResourceTypeDef, path: PatchPath): { urn: string; attribute: string } | undefined {
  const { uri, name, sub } = path.attr;
  if (uri === undefined || !openUrn(rt, uri)) return undefined;
  if (path.filter || sub !== undefined) {
    throw badRequest('invalidPath', `"${uri}:${name}" is not declared, so it cannot take a filter or a sub-attribute; declare it first`);
  }
  return { urn: uri, attribute: name };
}

/** Canonical paths of undeclared values that differ, for the PATCH `changed` list. */
export function undeclaredChanges(before: JsonObject, after: JsonObject, rt: ResourceTypeDef): string[] {
  const out: string[] = [];
  const keys = new Set([...Object.keys(before), ...Object.keys(after)].filter((k) => lower(k).startsWith('urn:')));
  for (const key of keys) {
    const b = before[key];
    const a = after[key];
    const bo = isObject(b) ? b : {};
    const ao = isObject(a) ? a : {};
    const defs = rt.extensions.find((e) => lower(e.schema.id) === lower(key))?.schema.attributes ?? [];
    const declared = new Set(defs.map((d) => lower(d.name)));
    for (const attr of new Set([...Object.keys(bo), ...Object.keys(ao)])) {
      if (declared.has(lower(attr))) continue;
      if (!jsonEqual(bo[attr], ao[attr])) out.push(`${key}:${attr}`);
    }
  }
  return out;
}
