import { describe, expect, it } from 'vitest';
import { correctPatchBody, correctPathlessValue, lowerCaseOp, replaceFilteredAsAdd } from '../../../server/dialect/patch-body.js';
import { parsePath } from '../../../server/scim/filter.js';
import type { Json } from '../../../server/scim/json.js';
import { ENTERPRISE_USER_SCHEMA, GROUP_RESOURCE, USER_RESOURCE } from '../../../server/scim/schemas.js';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const EMP = `${ENTERPRISE_USER_SCHEMA}:employeeNumber`;

describe('lowerCaseOp', () => {
  const cases: { source: Json | undefined; target: Json | undefined; notes: string[] }[] = [
    { source: 'Replace', target: 'replace', notes: ['op "Replace" read as "replace"'] },
    { source: 'ADD', target: 'add', notes: ['op "ADD" read as "add"'] },
    { source: 'remove', target: 'remove', notes: [] },
    { source: 'Move', target: 'Move', notes: [] },
    { source: 3, target: 3, notes: [] },
    { source: undefined, target: undefined, notes: [] },
  ];
  for (const c of cases) {
    it(`${JSON.stringify(c.source)} → ${JSON.stringify(c.target)}`, () => {
      const notes: string[] = [];
      expect(lowerCaseOp(c.source, notes)).toBe(c.target);
      expect(notes).toEqual(c.notes);
    });
  }
});

describe('correctPathlessValue', () => {
  const cases: { name: string; rt?: typeof USER_RESOURCE; id?: string; source: Json; target: Json; notes: string[] }[] = [
    {
      name: 'dotted and URN keys are noted, values kept (Entra with the flag)',
      source: { displayName: 'Bjfe', 'name.givenName': 'Kkom', [EMP]: 'Aklq' },
      target: { displayName: 'Bjfe', 'name.givenName': 'Kkom', [EMP]: 'Aklq' },
      notes: ['path-less value key "name.givenName" read as path "name.givenName"', `path-less value key "${EMP}" read as path "${EMP}"`],
    },
    {
      name: "the group's own id is dropped (Okta rename)",
      rt: GROUP_RESOURCE,
      id: 'g1',
      source: { id: 'g1', displayName: 'Test SCIMv2' },
      target: { displayName: 'Test SCIMv2' },
      notes: ['"id" equal to the resource id dropped from path-less value'],
    },
    {
      name: 'a different id is left for the core to refuse',
      rt: GROUP_RESOURCE,
      id: 'g1',
      source: { id: 'g2' },
      target: { id: 'g2' },
      notes: [],
    },
    { name: '"False" on active', source: { active: 'False' }, target: { active: false }, notes: ['active "False" read as false'] },
    {
      name: 'manager id under its URN key',
      source: { [`${ENTERPRISE_USER_SCHEMA}:manager`]: 'm1' },
      target: { [`${ENTERPRISE_USER_SCHEMA}:manager`]: { value: 'm1' } },
      notes: [
        `path-less value key "${ENTERPRISE_USER_SCHEMA}:manager" read as path "${ENTERPRISE_USER_SCHEMA}:manager"`,
        'manager "m1" read as {"value":"m1"}',
      ],
    },
    {
      name: 'manager id inside the extension object',
      source: { [ENTERPRISE_USER_SCHEMA]: { manager: 'm1', department: 'X' } },
      target: { [ENTERPRISE_USER_SCHEMA]: { manager: { value: 'm1' }, department: 'X' } },
      notes: ['manager "m1" read as {"value":"m1"}'],
    },
    { name: 'unknown keys pass', source: { nope: 'True' }, target: { nope: 'True' }, notes: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const notes: string[] = [];
      expect(correctPathlessValue(c.source, c.rt ?? USER_RESOURCE, c.id, notes)).toEqual(c.target);
      expect(notes).toEqual(c.notes);
    });
  }
});

describe('replaceFilteredAsAdd', () => {
  const run = (path: string, value: Json, rt = USER_RESOURCE, op = 'replace') => {
    const notes: string[] = [];
    return { out: replaceFilteredAsAdd({ op, path, value }, parsePath(path), rt, notes), notes };
  };
  it('reads replace of a filtered sub-attribute as add', () => {
    const { out, notes } = run('emails[type eq "work"].value', 'a@x');
    expect(out).toEqual({ op: 'add', path: 'emails[type eq "work"].value', value: 'a@x' });
    expect(notes).toEqual([
      'replace of emails[type eq "work"].value read as add, so a value the filter describes is created when none matches',
    ]);
  });
  it.each([
    ['a whole filtered element (replace and add differ there)', 'emails[type eq "work"]', { value: 'a@x' }],
    ['an empty value, which clears', 'emails[type eq "work"].value', ''],
    ['a null value, which clears', 'emails[type eq "work"].value', null],
    ['an unfiltered path', 'name.givenName', 'x'],
  ])('leaves %s alone', (_, path, value) => {
    const { out, notes } = run(path, value);
    expect(out.op).toBe('replace');
    expect(notes).toEqual([]);
  });
  it('leaves group members alone', () => {
    expect(run('members[value eq "a"].display', 'x', GROUP_RESOURCE).out.op).toBe('replace');
  });
});

describe('correctPatchBody', () => {
  it('corrects each operation in place and keeps positions', () => {
    const notes: string[] = [];
    const body = {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'Replace', path: 'active', value: 'False' },
        { Op: 'Add', Path: 'roles[primary eq "True"].value', Value: 'Admin' },
        { op: 'remove', path: 'title' },
      ],
    };
    expect(correctPatchBody(body, USER_RESOURCE, 'u1', notes)).toEqual({
      schemas: [PATCH_OP],
      Operations: [
        { op: 'replace', path: 'active', value: false },
        { op: 'add', path: 'roles[primary eq true].value', value: 'Admin' },
        { op: 'remove', path: 'title' },
      ],
    });
    expect(notes).toEqual([
      'op "Replace" read as "replace"',
      'active "False" read as false',
      'op "Add" read as "add"',
      'path value primary eq "True" read as true',
    ]);
  });
  it('turns an Entra member removal into the RFC form and drops null $ref on adds', () => {
    const notes: string[] = [];
    const body = {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'Remove', path: 'members', value: [{ $ref: null, value: 'u1' }] },
        { op: 'Add', path: 'members', value: [{ $ref: null, value: 'u2' }] },
      ],
    };
    expect(correctPatchBody(body, GROUP_RESOURCE, 'g1', notes)).toEqual({
      schemas: [PATCH_OP],
      Operations: [
        { op: 'remove', path: 'members[value eq "u1"]' },
        { op: 'add', path: 'members', value: [{ value: 'u2' }] },
      ],
    });
    expect(notes).toEqual([
      'op "Remove" read as "remove"',
      'remove of members with a value list read as members[value eq "u1"]',
      'op "Add" read as "add"',
      '"$ref": null dropped from members[0]',
    ]);
  });
  it.each([null, 'x', { schemas: [PATCH_OP] }, { Operations: 'no' }])('leaves %j for the core to reject', (body) => {
    const notes: string[] = [];
    expect(correctPatchBody(body, USER_RESOURCE, 'u1', notes)).toEqual(body);
    expect(notes).toEqual([]);
  });
  it('does not trip over an unparsable path', () => {
    const notes: string[] = [];
    const body = { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'emails[type eq', value: 'x' }] };
    expect(correctPatchBody(body, USER_RESOURCE, 'u1', notes)).toEqual({
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', path: 'emails[type eq', value: 'x' }],
    });
  });
});
