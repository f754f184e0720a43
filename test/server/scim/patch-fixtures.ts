/** Shared fixtures and checks for the PATCH case tables (RFC 7644 §3.5.2). */
import { expect } from 'vitest';
import { ScimError, type ScimErrorStatus, type ScimType } from '../../../server/scim/errors.js';
import { parsePath } from '../../../server/scim/filter.js';
import type { Filter } from '../../../server/scim/filter-ast.js';
import type { Json, JsonObject } from '../../../server/scim/json.js';
import { PATCH_OP } from '../../../server/scim/messages.js';
import { applyPatch, type MemberOp, parsePatchRequest } from '../../../server/scim/patch.js';
import { type AttributeDef, type ResourceTypeDef, USER_RESOURCE } from '../../../server/scim/schemas.js';

/** A resource type with an immutable attribute, which User and Group only have inside members. */
export const badge: AttributeDef = {
  name: 'badge',
  type: 'string',
  multiValued: false,
  description: '',
  required: false,
  caseExact: true,
  mutability: 'immutable',
  returned: 'default',
  uniqueness: 'none',
};
export const WITH_IMMUTABLE: ResourceTypeDef = {
  ...USER_RESOURCE,
  schema: { ...USER_RESOURCE.schema, attributes: [...USER_RESOURCE.schema.attributes, badge] },
};

export const USER_EMAILS: JsonObject[] = [
  { value: 'bj@work.example', type: 'work', primary: true },
  { value: 'bj@home.example', type: 'home' },
];
export const USER: JsonObject = {
  id: 'u1',
  userName: 'bjensen',
  active: true,
  name: { givenName: 'Barbara', familyName: 'Jensen' },
  emails: USER_EMAILS,
};
export const ADDRESSED: JsonObject = {
  ...USER,
  addresses: [
    { type: 'work', streetAddress: '100 Universal City Plaza', locality: 'Hollywood' },
    { type: 'home', locality: 'Burbank' },
  ],
};
export const GROUP: JsonObject = { id: 'g1', displayName: 'Tour Guides' };
export const M1 = '2819c223-7f76-453a-919d-413861904646';
export const M2 = '902c246b-6245-4190-8e05-00816be7344a';

/** The AST the filter parser gives for a members path, so tests do not restate parser output. */
export const memberFilter = (path: string): Filter => {
  const f = parsePath(path).filter;
  if (!f) throw new Error(`no filter in ${path}`);
  return f;
};

export interface Case {
  name: string;
  rt?: ResourceTypeDef;
  resource: JsonObject;
  ops: Json[];
}
export interface OkCase extends Case {
  next: JsonObject;
  changed: string[];
  members?: MemberOp[];
}
export interface ErrCase extends Case {
  error: { status: ScimErrorStatus; scimType: ScimType; message: string };
}

export const err = (status: ScimErrorStatus, scimType: ScimType, message: string) => ({ status, scimType, message });

export const body = (ops: Json[]): JsonObject => ({ schemas: [PATCH_OP], Operations: ops });

export function expectScimError(fn: () => unknown, expected: ErrCase['error']): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  if (!(caught instanceof ScimError)) throw new Error(`expected a ScimError, got ${String(caught)}`);
  expect({ status: caught.status, scimType: caught.scimType }).toEqual({
    status: expected.status,
    scimType: expected.scimType,
  });
  expect(caught.detail).toContain(expected.message);
}

/** Freezing the input makes any mutation by applyPatch throw (ES modules run in strict mode). */
export function deepFreeze<T extends Json>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

export function checkOk({ resource, ops, rt = USER_RESOURCE, next, changed, members = [] }: OkCase): void {
  const result = applyPatch(deepFreeze(structuredClone(resource)), parsePatchRequest(body(ops)), rt);
  expect(result).toStrictEqual({ next, changed, members });
}

export function checkErr({ resource, ops, rt = USER_RESOURCE, error }: ErrCase): void {
  expectScimError(() => applyPatch(deepFreeze(structuredClone(resource)), parsePatchRequest(body(ops)), rt), error);
}
