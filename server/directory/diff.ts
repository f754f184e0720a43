import { isObject, type Json, type JsonObject } from '../scim/json.js';

const same = (a: Json | undefined, b: Json | undefined): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Attribute-level differences between two stored documents, for the event log's derived changes.
 * Extension objects (keyed by their URN) are compared one attribute deeper, so a changed
 * employeeNumber reads as "urn:…:User:employeeNumber" rather than the whole extension.
 */
export function diffData(prev: JsonObject, next: JsonObject): { attribute: string; from: Json | null; to: Json | null }[] {
  const out: { attribute: string; from: Json | null; to: Json | null }[] = [];
  const keys = new Set([...Object.keys(prev), ...Object.keys(next)]);
  for (const k of keys) {
    const a = prev[k];
    const b = next[k];
    if (same(a, b)) continue;
    if (k.startsWith('urn:') && (isObject(a) || isObject(b))) {
      const pa = isObject(a) ? a : {};
      const pb = isObject(b) ? b : {};
      for (const d of diffData(pa, pb)) out.push({ ...d, attribute: `${k}:${d.attribute}` });
    } else {
      out.push({ attribute: k, from: a ?? null, to: b ?? null });
    }
  }
  return out;
}
