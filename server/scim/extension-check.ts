/**
 * Checks a (new or changed) extension declaration against the data already stored, before it
 * applies: a value of the wrong type, a required attribute some user lacks, or two users sharing a
 * value declared unique (RFC 7643 §2.2 "uniqueness": "server"). The report says which users and
 * which values; nothing changes unless it is empty.
 */

import { ScimError } from './errors.js';
import type { ExtensionDeclaration } from './extension-schema.js';
import { isObject, type Json } from './json.js';
import { checkAttrValue } from './value-check.js';

export interface Violation {
  userId: string;
  userName: string;
  attribute: string;
  problem: 'type' | 'required' | 'duplicate';
  /** The offending value (absent for a missing required attribute). */
  value?: Json;
  detail: string;
}

export const MAX_REPORTED = 100;

export function checkDeclaration(
  decl: ExtensionDeclaration,
  rows: { id: string; userName: string; ext: unknown }[],
): { violations: Violation[]; total: number } {
  const out: Violation[] = [];
  let total = 0;
  const add = (v: Violation): void => {
    total++;
    if (out.length < MAX_REPORTED) out.push(v);
  };
  const urn = decl.schema.id;
  for (const def of decl.schema.attributes) {
    const path = `${urn}:${def.name}`;
    const holders = new Map<string, { id: string; userName: string; value: Json }[]>();
    for (const row of rows) {
      const ext = isObject(row.ext as Json) ? (row.ext as Record<string, Json>) : {};
      const key = Object.keys(ext).find((k) => k.toLowerCase() === def.name.toLowerCase());
      const value = key === undefined ? undefined : ext[key];
      if (value === undefined || value === null || value === '') {
        if (def.required) add({ userId: row.id, userName: row.userName, attribute: path, problem: 'required', detail: 'has no value' });
        continue;
      }
      try {
        checkAttrValue(def, value, path);
      } catch (e) {
        if (!(e instanceof ScimError)) throw e;
        add({ userId: row.id, userName: row.userName, attribute: path, problem: 'type', value, detail: e.detail });
        continue;
      }
      if (def.uniqueness !== 'server') continue;
      const k = typeof value === 'string' && !def.caseExact ? value.toLowerCase() : JSON.stringify(value);
      holders.set(k, [...(holders.get(k) ?? []), { id: row.id, userName: row.userName, value }]);
    }
    for (const list of holders.values()) {
      if (list.length < 2) continue;
      for (const h of list) {
        add({
          userId: h.id,
          userName: h.userName,
          attribute: path,
          problem: 'duplicate',
          value: h.value,
          detail: `shares this value with ${list.length - 1} other user(s)`,
        });
      }
    }
  }
  return { violations: out, total };
}
