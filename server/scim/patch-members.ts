/**
 * PATCH operations on Group "members" (RFC 7644 §3.5.2, RFC 7643 §4.2). Members live in a SQL join
 * table, so instead of editing an in-memory array each operation becomes a set operation the
 * caller runs in SQL; its cost then does not grow with the size of the group.
 */
import { badRequest } from './errors.js';
import type { Filter } from './filter-ast.js';
import type { Json } from './json.js';
import type { PatchOpName } from './patch-parse.js';
import { type MemberRef, toMemberRefs } from './resource.js';

export type MemberOp =
  | { kind: 'add'; members: MemberRef[] }
  | { kind: 'remove'; values: string[] }
  | { kind: 'removeAll' }
  | { kind: 'replace'; members: MemberRef[] }
  /** Any other filter: the caller evaluates it against the member rows. */
  | { kind: 'removeWhere'; filter: Filter };

/** `value eq "a"` or `value eq "a" or value eq "b"` → ["a", "b"]; anything else → undefined. */
export function memberValues(filter: Filter): string[] | undefined {
  if (filter.kind === 'or') {
    const left = memberValues(filter.left);
    const right = memberValues(filter.right);
    return left && right ? [...left, ...right] : undefined;
  }
  const isValueEq =
    filter.kind === 'compare' &&
    filter.op === 'eq' &&
    filter.path.name.toLowerCase() === 'value' &&
    filter.path.sub === undefined &&
    filter.path.uri === undefined &&
    typeof filter.value === 'string';
  return isValueEq && typeof filter.value === 'string' ? [filter.value] : undefined;
}

export interface MembersTarget {
  op: PatchOpName;
  /** Set for `members[…]` paths. */
  filter?: Filter;
  /** True when the path names a sub-attribute ("members.value", `members[…].display`). */
  sub: boolean;
  value: Json | undefined;
}

/**
 * members.value, .type and .$ref are immutable and .display is readOnly (RFC 7643 §4.2, §8.7.1),
 * so an existing member can only be added or removed, never edited in place (RFC 7644 §3.5.2:
 * "a client MUST NOT modify an attribute that has mutability 'readOnly' or 'immutable'").
 */
export function memberOp(t: MembersTarget): MemberOp | undefined {
  const path = 'members';
  if (t.sub || (t.filter && t.op !== 'remove')) {
    throw badRequest('mutability', `existing members cannot be modified; add or remove members instead`);
  }
  if (t.op === 'remove') {
    if (t.filter) {
      const values = memberValues(t.filter);
      return values ? { kind: 'remove', values } : { kind: 'removeWhere', filter: t.filter };
    }
    // Several IdPs send {"op":"remove","path":"members","value":[{"value":"id"}]} to remove only
    // the listed members; without a value the whole attribute goes (§3.5.2.2).
    if (t.value === undefined || t.value === null) return { kind: 'removeAll' };
    const values = toMemberRefs(t.value, path).map((m) => m.value);
    return values.length > 0 ? { kind: 'remove', values } : undefined;
  }
  if (t.value === null || t.value === undefined) {
    return t.op === 'replace' ? { kind: 'removeAll' } : undefined;
  }
  const members = toMemberRefs(t.value, path);
  if (t.op === 'replace') return { kind: 'replace', members };
  return members.length > 0 ? { kind: 'add', members } : undefined;
}
