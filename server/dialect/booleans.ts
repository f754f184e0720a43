/**
 * "True"/"False" strings where the attribute tables say boolean. Without the aadOptscim062020 flag
 * Entra disables a user with {"op":"Replace","path":"active","value":"False"} ("Known issues and
 * resolutions with SCIM 2.0 protocol compliance of the Microsoft Entra user provisioning service").
 * RFC 7643 §2.3.2 allows only the JSON literals, so the core rejects the string; we read it here.
 */
import { isObject, type Json } from '../scim/json.js';
import { type AttributeDef, findAttr } from '../scim/schemas.js';

const BOOL_TEXT = /^(?:true|false)$/i;

/**
 * Walks `value` along `def` and replaces boolean-typed strings "true"/"false" (any case) with the
 * literal, noting each as `active "False" read as false`. `element` is true when `value` is one
 * element of a multi-valued attribute (a filtered PATCH path) rather than the whole array.
 * Anything that does not fit the definition is returned untouched for the core to judge.
 */
export function coerceBooleans(def: AttributeDef, value: Json, path: string, notes: string[], element = false): Json {
  if (def.multiValued && !element) {
    if (!Array.isArray(value)) return value;
    return value.map((e, i) => coerceBooleans(def, e, `${path}[${i}]`, notes, true));
  }
  if (def.type === 'boolean') {
    if (typeof value !== 'string' || !BOOL_TEXT.test(value)) return value;
    const b = value.toLowerCase() === 'true';
    notes.push(`${path} ${JSON.stringify(value)} read as ${b}`);
    return b;
  }
  if (def.type !== 'complex' || !isObject(value)) return value;
  const out: { [k: string]: Json } = {};
  for (const [k, v] of Object.entries(value)) {
    const sub = findAttr(def.subAttributes ?? [], k);
    out[k] = sub ? coerceBooleans(sub, v, `${path}.${k}`, notes) : v;
  }
  return out;
}
