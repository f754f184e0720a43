import { describe, expect, it } from 'vitest';
import { correctResourceBody } from '../../../server/dialect/resource-body.js';
import { ENTERPRISE_USER_SCHEMA, GROUP_RESOURCE, GROUP_SCHEMA, USER_RESOURCE, USER_SCHEMA } from '../../../server/scim/schemas.js';

describe('correctResourceBody', () => {
  it('reads "True"/"False" on active and emails[].primary in a POST body', () => {
    const notes: string[] = [];
    const body = { schemas: [USER_SCHEMA], userName: 'a', active: 'True', emails: [{ value: 'a@x', primary: 'FALSE' }] };
    expect(correctResourceBody(body, USER_RESOURCE, notes)).toEqual({
      schemas: [USER_SCHEMA],
      userName: 'a',
      active: true,
      emails: [{ value: 'a@x', primary: false }],
    });
    expect(notes).toEqual(['active "True" read as true', 'emails[0].primary "FALSE" read as false']);
  });
  it('notes the read-only id, meta and groups Okta echoes in a PUT, and changes nothing', () => {
    const notes: string[] = [];
    const body = { schemas: [USER_SCHEMA], id: 'u1', userName: 'a', groups: [], meta: { resourceType: 'User' }, password: 'p' };
    expect(correctResourceBody(body, USER_RESOURCE, notes)).toEqual(body);
    expect(notes).toEqual(['read-only "id", "groups", "meta" ignored']);
  });
  it("notes schema URNs that are not served (Entra group create, typo'd enterprise URN)", () => {
    const notes: string[] = [];
    const ms = 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group';
    correctResourceBody({ schemas: [GROUP_SCHEMA, ms], displayName: 'g' }, GROUP_RESOURCE, notes);
    correctResourceBody(
      { schemas: [USER_SCHEMA, 'urn:ietf:params:scim:schemas:extension:enterprise:2.0User'], userName: 'a' },
      USER_RESOURCE,
      notes,
    );
    expect(notes).toEqual([
      `schema "${ms}" is not served here: ignored`,
      'schema "urn:ietf:params:scim:schemas:extension:enterprise:2.0User" is not served here: ignored',
    ]);
  });
  it('reads a manager id string in the enterprise extension', () => {
    const notes: string[] = [];
    const body = { schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA], userName: 'a', [ENTERPRISE_USER_SCHEMA]: { manager: 'm1' } };
    expect(correctResourceBody(body, USER_RESOURCE, notes)).toEqual({ ...body, [ENTERPRISE_USER_SCHEMA]: { manager: { value: 'm1' } } });
    expect(notes).toEqual(['manager "m1" read as {"value":"m1"}']);
  });
  it('drops "$ref": null from group members', () => {
    const notes: string[] = [];
    const body = { schemas: [GROUP_SCHEMA], displayName: 'g', members: [{ $ref: null, value: 'u1' }] };
    expect(correctResourceBody(body, GROUP_RESOURCE, notes)).toEqual({
      schemas: [GROUP_SCHEMA],
      displayName: 'g',
      members: [{ value: 'u1' }],
    });
    expect(notes).toEqual(['"$ref": null dropped from members[0]']);
  });
  it('leaves null read-only values and unknown keys unnoted (Entra example 2 nulls)', () => {
    const notes: string[] = [];
    const body = { schemas: [USER_SCHEMA], userName: 'a', addresses: null, department: null, manager: null, groups: null };
    expect(correctResourceBody(body, USER_RESOURCE, notes)).toEqual(body);
    expect(notes).toEqual([]);
  });
  it.each([null, 'text', [1]])('leaves %j for the core', (body) => {
    const notes: string[] = [];
    expect(correctResourceBody(body, USER_RESOURCE, notes)).toEqual(body);
    expect(notes).toEqual([]);
  });
});
