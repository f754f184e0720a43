import { describe, expect, it } from 'vitest';
import { applyPatch, parsePatchRequest } from '../../../server/scim/patch.js';
import { ENTERPRISE_USER_SCHEMA as EXT, GROUP_RESOURCE, USER_RESOURCE } from '../../../server/scim/schemas.js';
import { ADDRESSED, body, checkOk, GROUP, M1, M2, memberFilter, type OkCase, USER, USER_EMAILS } from './patch-fixtures.js';

/** RFC 7644 §3.5.2 examples, IdP request shapes and Group member operations. */
const ok: OkCase[] = [
  // RFC 7644 §3.5.2.1 examples
  {
    name: 'RFC add members: display and $ref are not stored',
    rt: GROUP_RESOURCE,
    resource: GROUP,
    ops: [
      {
        op: 'add',
        path: 'members',
        value: [{ display: 'Babs Jensen', $ref: `https://example.com/v2/Users/${M1}`, value: M1 }],
      },
    ],
    next: GROUP,
    changed: [],
    members: [{ kind: 'add', members: [{ value: M1 }] }],
  },
  {
    name: 'RFC add without path: appends emails and sets nickName (any case)',
    resource: USER,
    ops: [{ op: 'add', value: { emails: [{ value: 'babs@jensen.org', type: 'home' }], nickname: 'Babs' } }],
    next: {
      ...USER,
      nickName: 'Babs',
      emails: [...USER_EMAILS, { value: 'babs@jensen.org', type: 'home' }],
    },
    changed: ['nickName', 'emails'],
  },
  // RFC 7644 §3.5.2.2 examples
  {
    name: 'RFC remove all members',
    rt: GROUP_RESOURCE,
    resource: GROUP,
    ops: [{ op: 'remove', path: 'members' }],
    next: GROUP,
    changed: [],
    members: [{ kind: 'removeAll' }],
  },
  {
    name: 'RFC remove one member by value filter',
    rt: GROUP_RESOURCE,
    resource: GROUP,
    ops: [{ op: 'remove', path: `members[value eq "${M1}"]` }],
    next: GROUP,
    changed: [],
    members: [{ kind: 'remove', values: [M1] }],
  },
  {
    name: 'RFC remove with a complex filter on emails',
    resource: USER,
    ops: [{ op: 'remove', path: 'emails[type eq "work" and value ew "work.example"]' }],
    next: { ...USER, emails: [{ value: 'bj@home.example', type: 'home' }] },
    changed: ['emails'],
  },
  {
    name: 'RFC replace all members as remove + add',
    rt: GROUP_RESOURCE,
    resource: GROUP,
    ops: [
      { op: 'remove', path: 'members' },
      {
        op: 'add',
        path: 'members',
        value: [
          { display: 'Babs Jensen', value: M1 },
          { display: 'James Smith', value: M2, type: 'User' },
        ],
      },
    ],
    next: GROUP,
    changed: [],
    members: [{ kind: 'removeAll' }, { kind: 'add', members: [{ value: M1 }, { value: M2, type: 'User' }] }],
  },
  // RFC 7644 §3.5.2.3 examples
  {
    name: 'RFC replace members',
    rt: GROUP_RESOURCE,
    resource: GROUP,
    ops: [{ op: 'replace', path: 'members', value: [{ display: 'Babs Jensen', value: M1 }] }],
    next: GROUP,
    changed: [],
    members: [{ kind: 'replace', members: [{ value: M1 }] }],
  },
  {
    name: 'RFC replace a whole work address selected by filter',
    resource: ADDRESSED,
    ops: [
      {
        op: 'replace',
        path: 'addresses[type eq "work"]',
        value: { type: 'work', streetAddress: '911 Universal City Plaza', postalCode: '91608' },
      },
    ],
    next: {
      ...ADDRESSED,
      addresses: [
        { type: 'work', streetAddress: '911 Universal City Plaza', postalCode: '91608' },
        { type: 'home', locality: 'Burbank' },
      ],
    },
    changed: ['addresses'],
  },
  {
    name: 'RFC replace one sub-attribute of the matching address',
    resource: ADDRESSED,
    ops: [{ op: 'replace', path: 'addresses[type eq "work"].streetAddress', value: '1010 Broadway Ave' }],
    next: {
      ...ADDRESSED,
      addresses: [
        { type: 'work', streetAddress: '1010 Broadway Ave', locality: 'Hollywood' },
        { type: 'home', locality: 'Burbank' },
      ],
    },
    changed: ['addresses'],
  },
  {
    name: 'replace without path replaces each attribute given',
    resource: USER,
    ops: [
      {
        op: 'replace',
        value: {
          emails: [{ value: 'bjensen@example.com', type: 'work', primary: true }],
          nickName: 'Babs',
          active: false,
        },
      },
    ],
    next: {
      ...USER,
      emails: [{ value: 'bjensen@example.com', type: 'work', primary: true }],
      nickName: 'Babs',
      active: false,
    },
    changed: ['nickName', 'active', 'emails'],
  },
  // IdP shapes
  {
    name: 'Okta group rename re-sends the unchanged id',
    rt: GROUP_RESOURCE,
    resource: GROUP,
    ops: [{ op: 'replace', value: { id: 'g1', displayName: 'Guides' } }],
    next: { ...GROUP, displayName: 'Guides' },
    changed: ['displayName'],
  },
  {
    name: 'Entra path-less dotted and URN-qualified keys',
    resource: USER,
    ops: [
      {
        op: 'replace',
        value: {
          'name.givenName': 'Babs',
          [`${EXT}:employeeNumber`]: '701984',
          [`${EXT}:manager.value`]: 'm1',
          active: false,
        },
      },
    ],
    next: {
      ...USER,
      active: false,
      name: { givenName: 'Babs', familyName: 'Jensen' },
      [EXT]: { employeeNumber: '701984', manager: { value: 'm1' } },
    },
    changed: ['name.givenName', 'active', `${EXT}:employeeNumber`, `${EXT}:manager.value`],
  },
  {
    name: 'path-less extension object under its URN key',
    resource: USER,
    ops: [{ op: 'add', value: { [EXT]: { Department: 'R&D', employeeNumber: '1' } } }],
    next: { ...USER, [EXT]: { department: 'R&D', employeeNumber: '1' } },
    changed: [`${EXT}:employeeNumber`, `${EXT}:department`],
  },
  {
    name: 'URN-qualified extension path',
    resource: { ...USER, [EXT]: { department: 'R&D' } },
    ops: [{ op: 'replace', path: `${EXT}:department`, value: 'Ops' }],
    next: { ...USER, [EXT]: { department: 'Ops' } },
    changed: [`${EXT}:department`],
  },
  {
    name: 'removing the last extension attribute drops the container',
    resource: { ...USER, [EXT]: { department: 'R&D' } },
    ops: [{ op: 'remove', path: `${EXT}:department` }],
    next: USER,
    changed: [`${EXT}:department`],
  },
  {
    name: 'path-less add and replace with members become member operations',
    rt: GROUP_RESOURCE,
    resource: GROUP,
    ops: [
      { op: 'add', value: { members: [{ value: M1 }] } },
      { op: 'replace', value: { displayName: 'New', members: [{ value: M2, type: 'User' }] } },
    ],
    next: { ...GROUP, displayName: 'New' },
    changed: ['displayName'],
    members: [
      { kind: 'add', members: [{ value: M1 }] },
      { kind: 'replace', members: [{ value: M2, type: 'User' }] },
    ],
  },
  {
    name: 'remove members with a value list removes only those',
    rt: GROUP_RESOURCE,
    resource: GROUP,
    ops: [{ op: 'remove', path: 'members', value: [{ value: M1 }, { value: M2 }] }],
    next: GROUP,
    changed: [],
    members: [{ kind: 'remove', values: [M1, M2] }],
  },
  {
    name: 'members filter with "or" of value eq becomes one remove',
    rt: GROUP_RESOURCE,
    resource: GROUP,
    ops: [{ op: 'remove', path: `members[value eq "${M1}" or value eq "${M2}"]` }],
    next: GROUP,
    changed: [],
    members: [{ kind: 'remove', values: [M1, M2] }],
  },
  {
    name: 'other members filters are left to SQL',
    rt: GROUP_RESOURCE,
    resource: GROUP,
    ops: [{ op: 'remove', path: 'members[type eq "Group"]' }],
    next: GROUP,
    changed: [],
    members: [{ kind: 'removeWhere', filter: memberFilter('members[type eq "Group"]') }],
  },
];

describe('applyPatch: RFC examples, IdP shapes, members', () => {
  it.each(ok)('$name', checkOk);

  it('returns a new object and leaves the input untouched', () => {
    const input = structuredClone(USER);
    const { next } = applyPatch(input, parsePatchRequest(body([{ op: 'replace', path: 'name.givenName', value: 'Babs' }])), USER_RESOURCE);
    expect(input).toStrictEqual(USER);
    expect(next).not.toBe(input);
    expect(next.name).toStrictEqual({ givenName: 'Babs', familyName: 'Jensen' });
  });
});
