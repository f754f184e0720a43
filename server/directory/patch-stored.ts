import type { JsonObject } from '../scim/json.js';
import { applyPatch, type PatchOperation, type PatchResult } from '../scim/patch.js';
import type { ResourceTypeDef } from '../scim/schemas.js';
import type { UndeclaredOptions } from '../scim/undeclared.js';

/**
 * Applies a PATCH to a stored resource. `id` is part of what the client sees, so it is part of what
 * the patch engine compares: Okta's group rename echoes `"id"` in its value, which must read as
 * "unchanged" rather than as an attempt to write a readOnly attribute (RFC 7644 §3.5.2).
 */
export function patchStored(
  stored: { id: string; data: JsonObject },
  ops: PatchOperation[],
  rt: ResourceTypeDef,
  undeclared?: UndeclaredOptions,
): PatchResult {
  const result = applyPatch({ id: stored.id, ...stored.data }, ops, rt, undeclared);
  const { id: _id, ...next } = result.next;
  return { ...result, next, changed: result.changed.filter((c) => c !== 'id') };
}
