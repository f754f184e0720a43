import { describe, it } from 'vitest';
import { ENTERPRISE_USER_SCHEMA as EXT, GROUP_RESOURCE } from '../../../server/scim/schemas.js';
import { checkErr, type ErrCase, err, GROUP, M1, USER, WITH_IMMUTABLE } from './patch-fixtures.js';

const applyErrors: ErrCase[] = [
  {
    name: 'replace id with a different value',
    resource: USER,
    ops: [{ op: 'replace', path: 'id', value: 'u2' }],
    error: err(400, 'mutability', 'operation 1: attribute "id" is readOnly'),
  },
  {
    name: 'path-less replace with a different id',
    rt: GROUP_RESOURCE,
    resource: GROUP,
    ops: [{ op: 'replace', value: { id: 'other', displayName: 'x' } }],
    error: err(400, 'mutability', 'operation 1: attribute "id" is readOnly'),
  },
  {
    name: 'readOnly sub-attribute of meta',
    resource: USER,
    ops: [{ op: 'replace', path: 'meta.created', value: '2020-01-01T00:00:00Z' }],
    error: err(400, 'mutability', 'attribute "meta.created" is readOnly'),
  },
  {
    name: 'add to readOnly groups',
    resource: USER,
    ops: [{ op: 'add', path: 'groups', value: [{ value: 'g1' }] }],
    error: err(400, 'mutability', 'attribute "groups" is readOnly'),
  },
  {
    name: 'remove id',
    resource: USER,
    ops: [{ op: 'remove', path: 'id' }],
    error: err(400, 'mutability', 'attribute "id" is readOnly'),
  },
  {
    name: 'readOnly manager.displayName',
    resource: USER,
    ops: [{ op: 'replace', path: `${EXT}:manager.displayName`, value: 'Boss' }],
    error: err(400, 'mutability', `attribute "${EXT}:manager.displayName" is readOnly`),
  },
  {
    name: 'immutable attribute changed',
    rt: WITH_IMMUTABLE,
    resource: { ...USER, badge: 'B-1' },
    ops: [{ op: 'replace', path: 'badge', value: 'B-2' }],
    error: err(400, 'mutability', 'attribute "badge" is immutable and already has a value'),
  },
  {
    name: 'remove required userName',
    resource: USER,
    ops: [{ op: 'remove', path: 'userName' }],
    error: err(400, 'mutability', 'operation 1: attribute "userName" is required and cannot be removed'),
  },
  {
    name: 'replace userName with null',
    resource: USER,
    ops: [{ op: 'replace', value: { userName: null } }],
    error: err(400, 'mutability', 'attribute "userName" is required and cannot be removed'),
  },
  {
    name: 'replace userName with empty string',
    resource: USER,
    ops: [{ op: 'replace', path: 'userName', value: '' }],
    error: err(400, 'invalidValue', 'attribute "userName" must not be empty'),
  },
  {
    name: 'remove group displayName',
    rt: GROUP_RESOURCE,
    resource: GROUP,
    ops: [{ op: 'remove', path: 'displayName' }],
    error: err(400, 'mutability', 'attribute "displayName" is required and cannot be removed'),
  },
  {
    name: 'modify an existing member in place',
    rt: GROUP_RESOURCE,
    resource: GROUP,
    ops: [{ op: 'replace', path: `members[value eq "${M1}"].display`, value: 'Babs' }],
    error: err(400, 'mutability', 'operation 1: existing members cannot be modified'),
  },
  // types (shared validator)
  {
    name: 'boolean as a string',
    resource: USER,
    ops: [{ op: 'replace', path: 'active', value: 'false' }],
    error: err(400, 'invalidValue', 'operation 1: attribute "active" must be a boolean'),
  },
  {
    name: 'single object for a multi-valued path',
    resource: USER,
    ops: [{ op: 'add', path: 'emails', value: { value: 'x' } }],
    error: err(400, 'invalidValue', 'attribute "emails" must be an array'),
  },
  {
    name: 'two primaries in one value',
    resource: USER,
    ops: [
      {
        op: 'add',
        path: 'emails',
        value: [
          { value: 'a', primary: true },
          { value: 'b', primary: true },
        ],
      },
    ],
    error: err(400, 'invalidValue', 'attribute "emails" must have at most one element with primary true'),
  },
  {
    name: 'primary set on two elements at once',
    resource: USER,
    ops: [{ op: 'replace', path: 'emails[value pr].primary', value: true }],
    error: err(400, 'invalidValue', 'attribute "emails" must have at most one element with primary true'),
  },
  {
    name: 'filtered sub-attribute of the wrong type',
    resource: USER,
    ops: [{ op: 'add', path: 'emails[type eq "work"].primary', value: 'yes' }],
    error: err(400, 'invalidValue', 'attribute "emails.primary" must be a boolean'),
  },
  {
    name: 'member without a value',
    rt: GROUP_RESOURCE,
    resource: GROUP,
    ops: [{ op: 'add', path: 'members', value: [{ display: 'Babs' }] }],
    error: err(400, 'invalidValue', 'operation 1: attribute "members[0].value" must be a non-empty string'),
  },
  {
    name: 'path-less value that is not an object',
    resource: USER,
    ops: [{ op: 'replace', value: 'x' }],
    error: err(400, 'invalidValue', 'operation 1: "value" must be an object when "path" is omitted'),
  },
  // targets
  {
    name: 'replace with a filter that matches nothing',
    resource: USER,
    ops: [{ op: 'replace', path: 'emails[type eq "other"].value', value: 'x' }],
    error: err(400, 'noTarget', 'operation 1: no value of "emails" matches the filter'),
  },
  {
    name: 'remove with a filter that matches nothing',
    resource: USER,
    ops: [{ op: 'remove', path: 'emails[type eq "other"]' }],
    error: err(400, 'noTarget', 'no value of "emails" matches the filter'),
  },
  {
    name: 'add with a non-eq filter that matches nothing',
    resource: USER,
    ops: [{ op: 'add', path: 'emails[value co "zzz"].type', value: 'other' }],
    error: err(400, 'noTarget', 'the filter does not describe one to add'),
  },
  {
    name: 'unknown attribute',
    resource: USER,
    ops: [{ op: 'replace', path: 'favouriteColour', value: 'x' }],
    error: err(400, 'invalidPath', 'operation 1: unknown attribute "favouriteColour"'),
  },
  {
    name: 'filter on a single-valued attribute',
    resource: USER,
    ops: [{ op: 'remove', path: 'title[value eq "x"]' }],
    error: err(400, 'invalidPath', 'attribute "title" is not multi-valued'),
  },
  {
    name: 'unknown sub-attribute after a filter',
    resource: USER,
    ops: [{ op: 'remove', path: 'emails[type eq "work"].colour' }],
    error: err(400, 'invalidPath', 'unknown sub-attribute "colour" of "emails"'),
  },
  {
    name: 'filter on an unknown sub-attribute',
    resource: USER,
    ops: [{ op: 'remove', path: 'emails[colour eq "x"]' }],
    error: err(400, 'invalidPath', 'operation 1: invalid filter: '),
  },
  {
    name: 'errors name the failing operation; nothing is applied',
    resource: USER,
    ops: [
      { op: 'replace', path: 'active', value: false },
      { op: 'replace', path: 'active', value: 1 },
    ],
    error: err(400, 'invalidValue', 'operation 2: attribute "active" must be a boolean'),
  },
];

describe('applyPatch errors', () => {
  it.each(applyErrors)('rejects: $name', checkErr);
});
