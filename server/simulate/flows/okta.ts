/**
 * Okta's provisioning requests, from Test API Credentials to group push, with the bodies of Okta's
 * "SCIM 2.0 Protocol Reference" (developer.okta.com/docs/reference/scim/scim-20/) copied verbatim
 * except for ids and names, which are placeholders. Okta never DELETEs users; the cleanup does.
 * Steps marked "inferred" follow the reference's prose where it prints no body.
 */
import type { Flow, Step } from '../step.js';
import { absent, all, ERROR, errorBody, hasValue, idOf, is, list, values } from './checks.js';

const REF = 'Okta "SCIM 2.0 Protocol Reference"';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';

const steps: Step[] = [
  {
    name: 'Test API credentials: users',
    source: 'Okta "SCIM 1.1 Protocol Reference", "Okta makes two requests" (same constant query for 2.0)',
    method: 'GET',
    path: '/Users?startIndex=1&count=2',
    expect: { status: 200, check: list() },
  },
  {
    name: 'Test API credentials: groups',
    source: 'Okta "SCIM 1.1 Protocol Reference", "Okta makes two requests"',
    method: 'GET',
    path: '/Groups?startIndex=1&count=100',
    expect: { status: 200, check: list() },
  },
  {
    name: 'Spec test: unknown user id is a SCIM 404',
    source: 'Okta SCIM 2.0 SPEC test (Runscope), "Test invalid User by ID"',
    method: 'GET',
    path: '/Users/010101001010101011001010101011',
    expect: { status: 404, check: errorBody },
  },
  {
    name: 'Does the user exist? (miss is 200 with totalResults 0)',
    source: `${REF}, "Determine if the User already exists"`,
    method: 'GET',
    path: '/Users?filter=userName eq "{{userName}}"&startIndex=1&count=100',
    expect: { status: 200, check: list(0) },
  },
  {
    name: 'Create user (carries password and "groups": [])',
    source: `${REF}, "Create the User"`,
    method: 'POST',
    path: '/Users',
    body: {
      schemas: [USER],
      userName: '{{userName}}',
      name: { givenName: 'Test', familyName: 'User' },
      emails: [{ primary: true, value: '{{userName}}', type: 'work' }],
      displayName: 'Test User',
      locale: 'en-US',
      externalId: '00ujl29u0le5T6Aj10h7',
      groups: [],
      password: '1mz050nq',
      active: true,
    },
    expect: {
      status: 201,
      check: all(
        is('{{userName}}', 'userName'),
        is(true, 'active'),
        is('00ujl29u0le5T6Aj10h7', 'externalId'),
        is('work', 'emails', 0, 'type'),
        absent('password'),
      ),
    },
    save: (b) => ({ userId: idOf(b) }),
    notes: ['read-only "groups" ignored'],
  },
  {
    name: 'Create the same user again is 409',
    source: `${REF}, "Create the User" (duplicate)`,
    method: 'POST',
    path: '/Users',
    body: {
      schemas: [USER],
      userName: '{{userName}}',
      name: { givenName: 'Test', familyName: 'User' },
      groups: [],
      password: '1mz050nq',
      active: true,
    },
    expect: { status: 409, check: all(errorBody, is(ERROR, 'schemas', 0)) },
    notes: ['read-only "groups" ignored'],
  },
  {
    name: 'Lookup is case-insensitive on userName',
    source: 'Okta SCIM 2.0 SPEC test (Runscope), step "Check for case sensitivity"',
    method: 'GET',
    path: '/Users?filter=userName eq "{{userNameUpper}}"&startIndex=1&count=100',
    expect: { status: 200, check: all(list(1), is('{{userId}}', 'Resources', 0, 'id')) },
  },
  {
    name: 'Import users (count=100)',
    source: `${REF}, "Retrieve Users"`,
    method: 'GET',
    path: '/Users?startIndex=1&count=100',
    expect: { status: 200, check: all(list(), is(1, 'startIndex')) },
  },
  {
    name: 'Get user',
    source: `${REF}, "Retrieve a specific User"`,
    method: 'GET',
    path: '/Users/{{userId}}',
    expect: { status: 200, check: all(is('{{userId}}', 'id'), is('{{userName}}', 'userName')) },
  },
  {
    name: 'Profile push: PUT echoing id, meta and "groups": []',
    source: `${REF}, "Update a specific User (PUT)"`,
    method: 'PUT',
    path: '/Users/{{userId}}',
    body: {
      schemas: [USER],
      id: '{{userId}}',
      userName: '{{userName}}',
      name: { givenName: 'Another', middleName: 'Excited', familyName: 'User' },
      emails: [{ primary: true, value: '{{userName}}', type: 'work', display: '{{userName}}' }],
      active: true,
      groups: [],
      meta: { resourceType: 'User' },
    },
    expect: { status: 200, check: all(is('Another', 'name', 'givenName'), is('Excited', 'name', 'middleName'), is(true, 'active')) },
    notes: ['read-only "id", "groups", "meta" ignored'],
  },
  {
    name: 'Deactivate (path-less replace)',
    source: `${REF}, "Update a specific User (PATCH)"`,
    method: 'PATCH',
    path: '/Users/{{userId}}',
    body: { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] },
    expect: { status: 200, accept: [204], check: is(false, 'active') },
  },
  {
    name: 'Reactivate (inferred: the deactivate body with true)',
    source: `${REF}, "Update a specific User (PATCH)": activate`,
    method: 'PATCH',
    path: '/Users/{{userId}}',
    body: { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: true } }] },
    expect: { status: 200, accept: [204], check: is(true, 'active') },
  },
  {
    name: 'Password sync (inferred: path-less replace of password)',
    source: `${REF}, "Update a specific User (PATCH)": sync password`,
    method: 'PATCH',
    path: '/Users/{{userId}}',
    body: { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { password: 'n3wPa55w0rd' } }] },
    expect: { status: 200, accept: [204], check: absent('password') },
  },
  {
    name: 'Create a second user (custom-attribute example, no externalId)',
    source: `${REF}, "Create the User" (custom attributes)`,
    method: 'POST',
    path: '/Users',
    body: {
      schemas: [USER],
      userName: '{{userName2}}',
      name: { givenName: 'Test', familyName: 'User' },
      emails: [{ primary: true, value: '{{userName2}}', type: 'work' }],
      displayName: 'Test User',
      locale: 'en-US',
      groups: [],
      password: '1mz050nq',
      active: true,
    },
    expect: { status: 201, check: is('{{userName2}}', 'userName') },
    save: (b) => ({ user2Id: idOf(b) }),
    notes: ['read-only "groups" ignored'],
  },
  {
    name: 'Group push: create group',
    source: `${REF}, "Create Groups"`,
    method: 'POST',
    path: '/Groups',
    body: { schemas: [GROUP], displayName: '{{groupName}}', members: [] },
    expect: { status: 201, check: all(is('{{groupName}}', 'displayName'), values([], 'members')) },
    save: (b) => ({ groupId: idOf(b) }),
  },
  {
    name: 'Import groups (count=100)',
    source: `${REF}, "Retrieve Groups"`,
    method: 'GET',
    path: '/Groups?startIndex=1&count=100',
    expect: { status: 200, check: list() },
  },
  {
    name: 'Group push: replace all members',
    source: `${REF}, "Update specific Group membership": replace`,
    method: 'PATCH',
    path: '/Groups/{{groupId}}',
    body: {
      schemas: [PATCH_OP],
      Operations: [
        {
          op: 'replace',
          path: 'members',
          value: [
            { value: '{{userId}}', display: '{{userName}}' },
            { value: '{{user2Id}}', display: '{{userName}}' },
          ],
        },
      ],
    },
    expect: { status: 204, accept: [200] },
  },
  {
    name: 'Get group: both members',
    source: `${REF}, "Retrieve specific Groups"`,
    method: 'GET',
    path: '/Groups/{{groupId}}',
    expect: { status: 200, check: values(['{{userId}}', '{{user2Id}}'], 'members') },
  },
  {
    name: 'Group push: remove members[value eq "…"] and add in one request',
    source: `${REF}, "Update specific Group membership"`,
    method: 'PATCH',
    path: '/Groups/{{groupId}}',
    body: {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'remove', path: 'members[value eq "{{user2Id}}"]' },
        { op: 'add', path: 'members', value: [{ value: '{{userId}}', display: '{{userName}}' }] },
      ],
    },
    expect: { status: 204, accept: [200] },
  },
  {
    name: 'Get group: only the first user is left',
    source: `${REF}, "Retrieve specific Groups"`,
    method: 'GET',
    path: '/Groups/{{groupId}}',
    expect: { status: 200, check: values(['{{userId}}'], 'members') },
  },
  {
    name: 'Profile push (AIW apps, inferred): PUT with password and "groups": [] keeps memberships',
    source: `${REF}, "Update a specific User (PUT)"; AIW apps send password changes by PUT`,
    method: 'PUT',
    path: '/Users/{{userId}}',
    body: {
      schemas: [USER],
      id: '{{userId}}',
      userName: '{{userName}}',
      name: { givenName: 'Another', middleName: 'Excited', familyName: 'User' },
      emails: [{ primary: true, value: '{{userName}}', type: 'work', display: '{{userName}}' }],
      password: 'An0therPa55',
      active: true,
      groups: [],
      meta: { resourceType: 'User' },
    },
    expect: { status: 200, check: all(absent('password'), is(true, 'active')) },
    notes: ['read-only "id", "groups", "meta" ignored'],
  },
  {
    name: 'Get group: membership survived the PUT',
    source: `${REF}, "Retrieve specific Groups"`,
    method: 'GET',
    path: '/Groups/{{groupId}}',
    expect: { status: 200, check: hasValue('{{userId}}', 'members') },
  },
  {
    name: 'Group name update carrying the group id',
    source: `${REF}, "Update a specific Group name"`,
    method: 'PATCH',
    path: '/Groups/{{groupId}}',
    body: { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { id: '{{groupId}}', displayName: '{{groupRename}}' } }] },
    expect: { status: 204, accept: [200] },
    notes: ['"id" equal to the resource id dropped from path-less value'],
  },
  {
    name: 'Group push (AIW apps): PUT group',
    source: `${REF}, "Update specific Group membership" (PUT)`,
    method: 'PUT',
    path: '/Groups/{{groupId}}',
    body: { schemas: [GROUP], displayName: '{{groupRename}}', members: [{ value: '{{userId}}', display: '{{userName}}' }] },
    expect: { status: 200, check: all(is('{{groupRename}}', 'displayName'), values(['{{userId}}'], 'members')) },
  },
  {
    name: 'Delete group',
    source: `${REF}, "Delete a specific Group"`,
    method: 'DELETE',
    path: '/Groups/{{groupId}}',
    expect: { status: 204 },
  },
];

const cleanup: Step[] = ['{{userId}}', '{{user2Id}}'].map((id, i) => ({
  name: `Cleanup: delete user ${i + 1} (Okta itself never deletes users)`,
  source: 'SCIM Desk simulator',
  method: 'DELETE',
  path: `/Users/${id}`,
  expect: { status: 204, accept: [404] },
}));

export const OKTA_FLOW: Flow = {
  idp: 'okta',
  title: 'Okta',
  // Every request example in the reference shows this User-Agent.
  userAgent: 'Okta SCIM Client 1.0.0',
  names: (run) => {
    const userName = run ? `test.user.${run}@okta.local` : 'test.user@okta.local';
    return {
      userName,
      userNameUpper: userName.toUpperCase(),
      userName2: run ? `second.user.${run}@okta.local` : 'second.user@okta.local',
      groupName: run ? `Test SCIMv2 ${run}` : 'Test SCIMv2',
      groupRename: run ? `Test SCIMv2 ${run} renamed` : 'Test SCIMv2 renamed',
    };
  },
  steps,
  cleanup: [
    ...cleanup,
    {
      name: 'Cleanup: delete group',
      source: 'SCIM Desk simulator',
      method: 'DELETE',
      path: '/Groups/{{groupId}}',
      expect: { status: 404, accept: [204] },
    },
  ],
};
