/**
 * Microsoft Entra ID's provisioning cycle: Test Connection, users (entra-users.ts), groups, then
 * deletes. Group bodies are verbatim from the TUTORIAL's Groups section and COMPAT's member-removal
 * pair; ids and names are placeholders.
 */
import { randomUUID } from 'node:crypto';
import type { JsonObject } from '../../scim/json.js';
import type { Flow, Step } from '../step.js';
import { absent, all, errorBody, idOf, is, list, values } from './checks.js';
import { COMPAT, ENTRA_USER_STEPS, PATCH_OP, TUTORIAL } from './entra-users.js';

const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const patch = (...Operations: JsonObject[]): JsonObject => ({ schemas: [PATCH_OP], Operations });

const testConnection: Step[] = [
  {
    name: 'Test Connection: a user that cannot exist (random GUID) is 200 with an empty list',
    source: `${TUTORIAL}, "Test Connection queries the SCIM endpoint for a user that doesn't exist, using a random GUID"`,
    method: 'GET',
    path: '/Users?filter=userName eq "{{guid}}"',
    expect: { status: 200, check: list(0) },
  },
  {
    name: 'Test Connection: a random group, members excluded, with the aadOptscim062020 flag on the URL',
    source: `${TUTORIAL}, Get Group by displayName; ${COMPAT}, feature flag in the Tenant URL`,
    method: 'GET',
    path: '/Groups?aadOptscim062020&excludedAttributes=members&filter=displayName eq "{{guid}}"',
    expect: { status: 200, check: list(0) },
  },
];

const groupPatch = (name: string, source: string, body: JsonObject, notes?: string[]): Step => ({
  name,
  source,
  method: 'PATCH',
  path: '/Groups/{{groupId}}',
  body,
  expect: { status: 204, accept: [200] },
  ...(notes ? { notes } : {}),
});

const getGroup = (name: string, check: Step['expect']['check']): Step => ({
  name,
  source: `${TUTORIAL}, Get Group`,
  method: 'GET',
  path: '/Groups/{{groupId}}',
  expect: { status: 200, check },
});

const groups: Step[] = [
  {
    name: 'Create group (extra Microsoft schema, client meta, no members key)',
    source: `${TUTORIAL}, Create Group`,
    method: 'POST',
    path: '/Groups',
    body: {
      schemas: [GROUP, 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'],
      externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
      displayName: '{{groupName}}',
      meta: { resourceType: 'Group' },
    },
    expect: { status: 201, check: all(is('{{groupName}}', 'displayName'), values([], 'members')) },
    save: (b) => ({ groupId: idOf(b) }),
    notes: [
      'read-only "meta" ignored',
      'schema "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group" is not served here: ignored',
    ],
  },
  {
    name: 'Get group with excludedAttributes=members',
    source: `${TUTORIAL}, Get Group`,
    method: 'GET',
    path: '/Groups/{{groupId}}?excludedAttributes=members',
    expect: { status: 200, check: all(is('{{groupName}}', 'displayName'), absent('members')) },
  },
  {
    name: 'Get group by displayName, members excluded',
    source: `${TUTORIAL}, Get Group by displayName`,
    method: 'GET',
    path: '/Groups?excludedAttributes=members&filter=displayName eq "{{groupName}}"',
    expect: { status: 200, check: all(list(1), is('{{groupId}}', 'Resources', 0, 'id'), absent('Resources', 0, 'members')) },
  },
  groupPatch(
    'Update group displayName (204)',
    `${TUTORIAL}, Update Group [Non-member attributes]`,
    patch({ op: 'Replace', path: 'displayName', value: '{{groupRename}}' }),
    ['op "Replace" read as "replace"'],
  ),
  groupPatch(
    'Add member with "$ref": null (204)',
    `${TUTORIAL}, Update Group [Add Members]`,
    patch({ op: 'Add', path: 'members', value: [{ $ref: null, value: '{{userId}}' }] }),
    ['op "Add" read as "add"', '"$ref": null dropped from members[0]'],
  ),
  groupPatch(
    'Add a second member (with flag)',
    `${TUTORIAL}, Update Group [Add Members]`,
    patch({ op: 'add', path: 'members', value: [{ value: '{{managerId}}' }] }),
  ),
  getGroup(
    'Get group: renamed, two members',
    all(is('{{groupRename}}', 'displayName'), values(['{{userId}}', '{{managerId}}'], 'members')),
  ),
  groupPatch(
    'Remove member with a value list (without flag) removes only that member',
    `${TUTORIAL}, Update Group [Remove Members]; ${COMPAT}, "Removing a group member"`,
    patch({ op: 'Remove', path: 'members', value: [{ $ref: null, value: '{{userId}}' }] }),
    ['op "Remove" read as "remove"', 'remove of members with a value list read as members[value eq "{{userId}}"]'],
  ),
  getGroup('Get group: the other member is still there', values(['{{managerId}}'], 'members')),
  groupPatch(
    'Remove member with members[value eq "…"] (with flag)',
    `${COMPAT}, "Removing a group member" (aadOptscim062020)`,
    patch({ op: 'remove', path: 'members[value eq "{{managerId}}"]' }),
  ),
  getGroup('Get group: no members left', values([], 'members')),
  { name: 'Delete group', source: `${TUTORIAL}, Delete Group`, method: 'DELETE', path: '/Groups/{{groupId}}', expect: { status: 204 } },
];

const deletes: Step[] = [
  { name: 'Delete user', source: `${TUTORIAL}, Delete User`, method: 'DELETE', path: '/Users/{{userId}}', expect: { status: 204 } },
  {
    name: 'Get the deleted user is a SCIM 404',
    source: `${TUTORIAL}, Get User (not found)`,
    method: 'GET',
    path: '/Users/{{userId}}',
    expect: { status: 404, check: errorBody },
  },
];

const cleanupDelete = (what: 'Users' | 'Groups', v: string, status: number, label: string): Step => ({
  name: `Cleanup: delete ${label}`,
  source: 'SCIM Desk simulator',
  method: 'DELETE',
  path: `/${what}/{{${v}}}`,
  expect: { status, accept: [204, 404] },
});

export const ENTRA_FLOW: Flow = {
  idp: 'entra',
  title: 'Microsoft Entra ID',
  // Entra's User-Agent is undocumented; SCIM Desk never keys behaviour on it.
  userAgent: 'SCIM Desk simulator (Microsoft Entra ID requests)',
  names: (run) => ({
    guid: randomUUID(),
    userName: run ? `Test_User_${run}@testuser.com` : 'Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee',
    email: run ? `Test_User_${run}_mail@testuser.com` : 'Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com',
    renamedUserName: run ? `renamed_${run}@testuser.com` : '5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com',
    managerUserName: run ? `jyoung_${run}@testuser.com` : 'jyoung@testuser.com',
    managerExternalId: run ? `jyoung_${run}` : 'jyoung',
    groupName: run ? `displayName_${run}` : 'displayName',
    groupRename: run ? `${run}updatedDisplayName` : '1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName',
  }),
  steps: [...testConnection, ...ENTRA_USER_STEPS, ...groups, ...deletes],
  cleanup: [
    cleanupDelete('Users', 'managerId', 204, 'the manager'),
    cleanupDelete('Users', 'userId', 404, 'the user'),
    cleanupDelete('Groups', 'groupId', 404, 'the group'),
  ],
};
