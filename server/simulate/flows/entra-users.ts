/**
 * Microsoft Entra ID user provisioning requests. Bodies are verbatim from Microsoft's "Tutorial:
 * Develop and plan provisioning for a SCIM endpoint in Microsoft Entra ID" (TUTORIAL), "Known issues
 * and resolutions with SCIM 2.0 protocol compliance of the Microsoft Entra user provisioning
 * service" (COMPAT, with and without the aadOptscim062020 flag) and Microsoft's gallery validation
 * (AzureAD/SCIMReferenceCode SCIMTests_Workflow.json), with ids and names as placeholders.
 */
import type { JsonObject } from '../../scim/json.js';
import type { Step } from '../step.js';
import { absent, all, ENTERPRISE, idOf, is, list } from './checks.js';

export const TUTORIAL = 'Microsoft "Tutorial: Develop and plan provisioning for a SCIM endpoint in Microsoft Entra ID"';
export const COMPAT =
  'Microsoft "Known issues and resolutions with SCIM 2.0 protocol compliance of the Microsoft Entra user provisioning service"';
const VALIDATION = 'Microsoft gallery validation, SCIMReferenceCode SCIMTests_Workflow.json "SCIM_Update_Manager_Test"';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';

const patch = (...Operations: JsonObject[]): JsonObject => ({ schemas: [PATCH_OP], Operations });
const userPatch = (name: string, source: string, body: JsonObject, expect: Step['expect'], notes?: string[]): Step => ({
  name,
  source,
  method: 'PATCH',
  path: '/Users/{{userId}}',
  body,
  expect: { accept: [204], ...expect },
  ...(notes ? { notes } : {}),
});

export const ENTRA_USER_STEPS: Step[] = [
  {
    name: 'Create the manager (older example: nulls, top-level enterprise keys, "…2.0User" typo)',
    source: `${TUTORIAL}, Example 2. Provision a user`,
    method: 'POST',
    path: '/Users',
    body: {
      schemas: [USER, 'urn:ietf:params:scim:schemas:extension:enterprise:2.0User'],
      externalId: '{{managerExternalId}}',
      userName: '{{managerUserName}}',
      active: true,
      addresses: null,
      displayName: 'Joy Young',
      emails: [{ type: 'work', value: 'jyoung@Contoso.com', primary: true }],
      meta: { resourceType: 'User' },
      name: { familyName: 'Young', givenName: 'Joy' },
      phoneNumbers: null,
      preferredLanguage: null,
      title: null,
      department: null,
      manager: null,
    },
    expect: {
      status: 201,
      check: all(is('{{managerUserName}}', 'userName'), is('jyoung@Contoso.com', 'emails', 0, 'value'), absent('title')),
    },
    save: (b) => ({ managerId: idOf(b) }),
    notes: ['read-only "meta" ignored', 'schema "urn:ietf:params:scim:schemas:extension:enterprise:2.0User" is not served here: ignored'],
  },
  {
    name: 'Query by externalId with an unquoted value',
    source: `${TUTORIAL}, Example 1. GET User by query`,
    method: 'GET',
    path: '/Users?filter=externalId eq {{managerExternalId}}',
    expect: { status: 200, check: all(list(1), is('{{managerId}}', 'Resources', 0, 'id')) },
    notes: ['filter value unquoted: externalId eq {{managerExternalId}} read as "{{managerExternalId}}"'],
  },
  {
    name: 'Query by userName before create (miss)',
    source: `${TUTORIAL}, Get User by query - Zero results`,
    method: 'GET',
    path: '/Users?filter=userName eq "{{userName}}"',
    expect: { status: 200, check: list(0) },
  },
  {
    name: 'Create user (client meta, "roles": [], enterprise URN without attributes)',
    source: `${TUTORIAL}, Create User`,
    method: 'POST',
    path: '/Users',
    body: {
      schemas: [USER, ENTERPRISE],
      externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
      userName: '{{userName}}',
      active: true,
      emails: [{ primary: true, type: 'work', value: '{{email}}' }],
      meta: { resourceType: 'User' },
      name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
      roles: [],
    },
    expect: {
      status: 201,
      check: all(is('{{userName}}', 'userName'), is('givenName familyName', 'name', 'formatted'), is(true, 'active')),
    },
    save: (b) => ({ userId: idOf(b) }),
    notes: ['read-only "meta" ignored'],
  },
  {
    name: 'Get user by query',
    source: `${TUTORIAL}, Get User by query`,
    method: 'GET',
    path: '/Users?filter=userName eq "{{userName}}"',
    expect: { status: 200, check: all(list(1), is('{{userId}}', 'Resources', 0, 'id')) },
  },
  {
    name: 'Get user by id',
    source: `${TUTORIAL}, Get User`,
    method: 'GET',
    path: '/Users/{{userId}}',
    expect: { status: 200, check: is('{{email}}', 'emails', 0, 'value') },
  },
  userPatch(
    'Update user: Replace emails[type eq "work"].value and name.familyName',
    `${TUTORIAL}, Update User [Multi-valued properties]`,
    patch(
      { op: 'Replace', path: 'emails[type eq "work"].value', value: 'updatedEmail@microsoft.com' },
      { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
    ),
    {
      status: 200,
      check: all(
        is('updatedEmail@microsoft.com', 'emails', 0, 'value'),
        absent('emails', 1),
        is('updatedFamilyName', 'name', 'familyName'),
      ),
    },
    [
      'op "Replace" read as "replace"',
      'replace of emails[type eq "work"].value read as add, so a value the filter describes is created when none matches',
      'op "Replace" read as "replace"',
    ],
  ),
  userPatch(
    'Update user: Replace userName',
    `${TUTORIAL}, Update User [Single-valued properties]`,
    patch({ op: 'Replace', path: 'userName', value: '{{renamedUserName}}' }),
    { status: 200, check: is('{{renamedUserName}}', 'userName') },
    ['op "Replace" read as "replace"'],
  ),
  userPatch(
    'Update user: work address parts create one address (inferred from the mapping table)',
    `${TUTORIAL}, attribute mapping table: addresses[type eq "work"].streetAddress / .postalCode`,
    patch(
      { op: 'Add', path: 'addresses[type eq "work"].streetAddress', value: '1 Microsoft Way' },
      { op: 'Replace', path: 'addresses[type eq "work"].postalCode', value: '98052' },
    ),
    {
      status: 200,
      check: all(
        is('work', 'addresses', 0, 'type'),
        is('1 Microsoft Way', 'addresses', 0, 'streetAddress'),
        is('98052', 'addresses', 0, 'postalCode'),
        absent('addresses', 1),
      ),
    },
    [
      'op "Add" read as "add"',
      'op "Replace" read as "replace"',
      'replace of addresses[type eq "work"].postalCode read as add, so a value the filter describes is created when none matches',
    ],
  ),
  userPatch(
    'Add a single-valued attribute (without flag: capitalized op)',
    `${COMPAT}, "Adding a single-value string attribute"`,
    patch({ op: 'Add', path: 'nickName', value: 'Babs' }),
    { status: 200, check: is('Babs', 'nickName') },
    ['op "Add" read as "add"'],
  ),
  userPatch(
    'Replace multiple attributes (without flag: one op each)',
    `${COMPAT}, "Replacing multiple attributes"`,
    patch(
      { op: 'Replace', path: 'displayName', value: 'Pvlo' },
      { op: 'Replace', path: 'emails[type eq "work"].value', value: 'TestBcwqnm@test.microsoft.com' },
      { op: 'Replace', path: 'name.givenName', value: 'Gtfd' },
      { op: 'Replace', path: 'name.familyName', value: 'Pkqf' },
      { op: 'Replace', path: 'externalId', value: 'Eqpj' },
      { op: 'Replace', path: `${ENTERPRISE}:employeeNumber`, value: 'Eqpj' },
    ),
    {
      status: 200,
      check: all(
        is('Pvlo', 'displayName'),
        is('TestBcwqnm@test.microsoft.com', 'emails', 0, 'value'),
        is('Eqpj', ENTERPRISE, 'employeeNumber'),
      ),
    },
    [
      'op "Replace" read as "replace"',
      'op "Replace" read as "replace"',
      'replace of emails[type eq "work"].value read as add, so a value the filter describes is created when none matches',
      'op "Replace" read as "replace"',
      'op "Replace" read as "replace"',
      'op "Replace" read as "replace"',
      'op "Replace" read as "replace"',
    ],
  ),
  userPatch(
    'Replace multiple attributes (with flag: path-less value with dotted and URN keys)',
    `${COMPAT}, "Replacing multiple attributes" (aadOptscim062020)`,
    patch(
      { op: 'replace', path: 'emails[type eq "work"].value', value: 'TestMhvaes@test.microsoft.com' },
      {
        op: 'replace',
        value: { displayName: 'Bjfe', 'name.givenName': 'Kkom', 'name.familyName': 'Unua', [`${ENTERPRISE}:employeeNumber`]: 'Aklq' },
      },
    ),
    {
      status: 200,
      check: all(
        is('Bjfe', 'displayName'),
        is('Kkom', 'name', 'givenName'),
        is('Unua', 'name', 'familyName'),
        is('Aklq', ENTERPRISE, 'employeeNumber'),
      ),
    },
    [
      'replace of emails[type eq "work"].value read as add, so a value the filter describes is created when none matches',
      'path-less value key "name.givenName" read as path "name.givenName"',
      'path-less value key "name.familyName" read as path "name.familyName"',
      `path-less value key "${ENTERPRISE}:employeeNumber" read as path "${ENTERPRISE}:employeeNumber"`,
    ],
  ),
  userPatch(
    'Set manager to a bare id',
    VALIDATION,
    patch({ op: 'Add', path: `${ENTERPRISE}:manager`, value: '{{managerId}}' }),
    { status: 200, check: is('{{managerId}}', ENTERPRISE, 'manager', 'value') },
    ['op "Add" read as "add"', 'manager "{{managerId}}" read as {"value":"{{managerId}}"}'],
  ),
  userPatch(
    'Clear manager with replace ""',
    VALIDATION,
    patch({ op: 'replace', path: `${ENTERPRISE}:manager`, value: '' }),
    { status: 200, check: absent(ENTERPRISE, 'manager', 'value') },
    ['manager "" read as remove of the manager'],
  ),
  userPatch(
    'Set manager with the bare "manager" path and a {$ref, value} array',
    `${TUTORIAL}, Example 5. Update a user's manager`,
    patch({ op: 'Add', path: 'manager', value: [{ $ref: 'http://.../scim/Users/{{managerId}}', value: '{{managerId}}' }] }),
    { status: 200, check: is('{{managerId}}', ENTERPRISE, 'manager', 'value') },
    [
      'op "Add" read as "add"',
      `path "manager" read as "${ENTERPRISE}:manager"`,
      'manager array read as its first element {"$ref":"http://.../scim/Users/{{managerId}}","value":"{{managerId}}"}',
    ],
  ),
  userPatch(
    'Remove manager[value eq "…"] (seen from Entra, thomaspoignant/scim-patch#453)',
    'thomaspoignant/scim-patch#453 (third-party report)',
    patch({ op: 'remove', path: 'manager[value eq "{{managerId}}"]' }),
    { status: 200, check: absent(ENTERPRISE, 'manager') },
    [
      `path "manager[value eq \\"{{managerId}}\\"]" read as "${ENTERPRISE}:manager"`,
      'remove of "manager[value eq \\"{{managerId}}\\"]" read as remove of the manager',
    ],
  ),
  userPatch(
    'Disable user (without flag: "False" as a string)',
    `${COMPAT}, "Disabling a user"`,
    patch({ op: 'Replace', path: 'active', value: 'False' }),
    { status: 200, check: is(false, 'active') },
    ['op "Replace" read as "replace"', 'active "False" read as false'],
  ),
  userPatch(
    'Enable user (without flag, inferred mirror: "True")',
    `${COMPAT}, "Disabling a user" (mirror)`,
    patch({ op: 'Replace', path: 'active', value: 'True' }),
    { status: 200, check: is(true, 'active') },
    ['op "Replace" read as "replace"', 'active "True" read as true'],
  ),
  userPatch(
    'Disable user (with flag: boolean false)',
    `${COMPAT}, "Disabling a user" (aadOptscim062020); ${TUTORIAL}, Disable User`,
    patch({ op: 'replace', path: 'active', value: false }),
    { status: 200, check: is(false, 'active') },
  ),
  {
    name: 'A disabled user is still returned',
    source: `${TUTORIAL}, soft delete guidance`,
    method: 'GET',
    path: '/Users/{{userId}}',
    expect: { status: 200, check: is(false, 'active') },
  },
];
