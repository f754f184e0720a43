/**
 * The enterprise "manager" attribute (RFC 7643 §4.3) is complex: {"value": "<id>", …}. Entra sends
 * it in three other shapes, all normalized here:
 * - a bare id string on the URN path, and "" to clear it (Microsoft's gallery validation,
 *   AzureAD/SCIMReferenceCode SCIMTests_Workflow.json "SCIM_Update_Manager_Test");
 * - the bare path "manager" with an array of {"$ref","value"} ("Tutorial: Develop and plan
 *   provisioning for a SCIM endpoint", Example 5);
 * - a remove of `manager[value eq "<id>"]` (reported in thomaspoignant/scim-patch#453).
 */
import { isObject, type Json, type JsonObject } from '../scim/json.js';
import { ENTERPRISE_USER_SCHEMA } from '../scim/schemas.js';

export const MANAGER_PATH = `${ENTERPRISE_USER_SCHEMA}:manager`;

/** A PATCH operation as it arrives: only the members the dialect layer reads or rewrites. */
export interface RawOp {
  op?: Json;
  path?: Json;
  value?: Json;
}

/**
 * Reads a manager value into the complex form. "" (and an empty array) mean "no manager" and
 * become null, which the core treats as unassigned (RFC 7643 §2.5). Other shapes pass through.
 */
export function managerValue(raw: Json, notes: string[]): Json {
  if (typeof raw === 'string') {
    if (raw === '') {
      notes.push('manager "" read as null (no manager)');
      return null;
    }
    notes.push(`manager ${JSON.stringify(raw)} read as {"value":${JSON.stringify(raw)}}`);
    return { value: raw };
  }
  if (Array.isArray(raw)) {
    const first = raw.find(isObject);
    if (raw.length === 0) {
      notes.push('manager [] read as null (no manager)');
      return null;
    }
    if (!first) return raw;
    const element: JsonObject = {};
    for (const [k, v] of Object.entries(first)) if (v !== null) element[k] = v;
    notes.push(`manager array read as its first element ${JSON.stringify(element)}`);
    return element;
  }
  return raw;
}

/** "manager", `manager[…]`, "urn:…:enterprise:2.0:User:manager" and its filtered form, any case. */
const MANAGER_PATH_RE = new RegExp(`^(?:${ENTERPRISE_USER_SCHEMA.replace(/\./g, '\\.')}:)?manager(\\[.*\\])?$`, 'i');

/**
 * Corrects one User PATCH operation that targets the manager. Returns the operation unchanged when
 * it does not. `op` must already be lower-case.
 */
export function correctManagerOp(raw: RawOp, notes: string[]): RawOp {
  if (typeof raw.path !== 'string') return raw;
  const m = MANAGER_PATH_RE.exec(raw.path.trim());
  if (!m) return raw;
  // manager is single-valued, so a filter can only mean "this manager"; only a remove makes sense.
  if (m[1] !== undefined && raw.op !== 'remove') return raw;
  const out: RawOp = { ...raw, path: MANAGER_PATH };
  if (!raw.path.trim().toLowerCase().startsWith('urn:')) {
    notes.push(`path ${JSON.stringify(raw.path)} read as "${MANAGER_PATH}"`);
  }
  if (m[1] !== undefined) {
    notes.push(`remove of ${JSON.stringify(raw.path)} read as remove of the manager`);
    delete out.value;
    return out;
  }
  if (raw.op === 'remove' || raw.value === undefined) return out;
  if (raw.value === '' || (Array.isArray(raw.value) && raw.value.length === 0)) {
    // Clearing is what the validation's {"op":"replace",…,"value":""} means; a null "add" would
    // be an error in the core, so both become a remove.
    notes.push(`manager ${JSON.stringify(raw.value)} read as remove of the manager`);
    return { op: 'remove', path: MANAGER_PATH };
  }
  return { ...out, value: managerValue(raw.value, notes) };
}
