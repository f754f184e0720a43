import { expect } from 'vitest';
import { ERROR, GROUP, type ScimResponse, type TestNode, USER } from '../../helpers/node.js';

export const SCIM_JSON = 'application/scim+json; charset=utf-8';
export const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';

/** A SCIM resource as it comes back on the wire. */
export interface Resource {
  id: string;
  schemas: string[];
  meta: { resourceType: string; created: string; lastModified: string; location: string; version: string };
  [key: string]: unknown;
}

export interface ListBody {
  schemas: string[];
  totalResults: number;
  startIndex: number;
  itemsPerPage: number;
  Resources: Resource[];
}

export const resource = (res: ScimResponse): Resource => res.body as unknown as Resource;
export const list = (res: ScimResponse): ListBody => res.body as unknown as ListBody;

/** RFC 7644 §3.12: exact status, scimType (or none) and the Error schema, status as a string. */
export function expectError(res: ScimResponse, status: number, scimType: string | undefined, detail: RegExp = /./): void {
  expect({ status: res.status, type: res.headers.get('content-type') }).toEqual({ status, type: SCIM_JSON });
  expect(res.body).toStrictEqual({
    schemas: [ERROR],
    status: String(status),
    ...(scimType === undefined ? {} : { scimType }),
    detail: expect.stringMatching(detail),
  });
}

export async function createUser(t: TestNode, userName: string, extra: Record<string, unknown> = {}): Promise<Resource> {
  const res = await t.scim('POST', '/Users', { schemas: [USER], userName, ...extra });
  expect(res.status, res.text).toBe(201);
  return resource(res);
}

export async function createGroup(t: TestNode, displayName: string, members: string[] = []): Promise<Resource> {
  const res = await t.scim('POST', '/Groups', { schemas: [GROUP], displayName, members: members.map((value) => ({ value })) });
  expect(res.status, res.text).toBe(201);
  return resource(res);
}

/** The raw users row, to check what actually reached the database. */
export function userRow(t: TestNode, id: string): Record<string, unknown> | undefined {
  return t.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as Record<string, unknown> | undefined;
}

export function groupRow(t: TestNode, id: string): Record<string, unknown> | undefined {
  return t.db.prepare('SELECT * FROM groups WHERE id = ?').get(id) as Record<string, unknown> | undefined;
}

export const q = (s: string): string => encodeURIComponent(s);
