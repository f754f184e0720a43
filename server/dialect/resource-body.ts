/**
 * Corrections to POST and PUT bodies (RFC 7644 §3.3, §3.5.1). Values are corrected in place of
 * their key and never renamed or reformatted: Entra asks that values be stored as sent ("Tutorial:
 * Develop and plan provisioning for a SCIM endpoint", general guidelines).
 */
import { isObject, type Json, type JsonObject } from '../scim/json.js';
import type { ResourceTypeDef } from '../scim/schemas.js';
import { type KeyTarget, resolveKey } from '../scim/value-check.js';
import { coerceBooleans } from './booleans.js';
import { managerValue } from './manager.js';
import { dropNullRefs } from './members.js';

function correctEntry(rt: ResourceTypeDef, k: KeyTarget & { kind: 'attr' }, key: string, v: Json, notes: string[]): Json {
  let value = v;
  // The gallery validation's string manager id reaches POST bodies of apps that map it too.
  if (k.extension && k.def.name === 'manager' && !k.sub && typeof value === 'string') value = managerValue(value, notes);
  if (rt.name === 'Group' && !k.extension && k.def.name === 'members') value = dropNullRefs(value, 'members', notes);
  return coerceBooleans(k.sub ?? k.def, value, key, notes);
}

/**
 * Read-only input the core ignores (RFC 7644 §3.5.1 "readOnly … SHALL be ignored"), noted so the
 * event log explains why, for example, Okta's `"groups": []` in a PUT ("SCIM 2.0 Protocol
 * Reference", Update a specific User (PUT)) leaves memberships alone.
 */
function noteIgnored(body: JsonObject, rt: ResourceTypeDef, notes: string[]): void {
  const readOnly = Object.keys(body).filter((key) => {
    const k = resolveKey(rt, key);
    return k?.kind === 'attr' && !k.sub && k.def.mutability === 'readOnly' && body[key] !== null;
  });
  if (readOnly.length > 0) notes.push(`read-only ${readOnly.map((k) => JSON.stringify(k)).join(', ')} ignored`);
  const served = [rt.schema.id, ...rt.extensions.map((e) => e.schema.id)].map((s) => s.toLowerCase());
  const schemas = Array.isArray(body.schemas) ? body.schemas : [];
  for (const s of schemas) {
    // Entra lists "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group" on
    // group creates, and once documented "…:enterprise:2.0User" (a missing colon) on user creates.
    if (typeof s === 'string' && !served.includes(s.toLowerCase())) notes.push(`schema ${JSON.stringify(s)} is not served here: ignored`);
  }
}

/** Corrects a User or Group POST/PUT body; anything that is not an object is left to the core. */
export function correctResourceBody(body: unknown, rt: ResourceTypeDef, notes: string[]): unknown {
  if (!isObject(body)) return body;
  noteIgnored(body, rt, notes);
  const out: JsonObject = {};
  for (const [key, v] of Object.entries(body)) {
    const k = key === 'schemas' ? undefined : resolveKey(rt, key);
    if (k?.kind === 'attr') {
      out[key] = correctEntry(rt, k, key, v, notes);
    } else if (k?.kind === 'extension' && isObject(v)) {
      const inner: JsonObject = {};
      for (const [subKey, subV] of Object.entries(v)) {
        const ik = resolveKey(rt, subKey, k.schema);
        inner[subKey] = ik?.kind === 'attr' ? correctEntry(rt, ik, subKey, subV, notes) : subV;
      }
      out[key] = inner;
    } else {
      out[key] = v;
    }
  }
  return out;
}
