import { describe, expect, it } from 'vitest';
import { ScimError, type ScimErrorStatus, type ScimType } from '../../../server/scim/errors.js';
import type { JsonObject } from '../../../server/scim/json.js';
import { normalizeResource } from '../../../server/scim/resource.js';
import {
  type AttributeDef,
  ENTERPRISE_USER_SCHEMA as EXT,
  GROUP_RESOURCE,
  GROUP_SCHEMA,
  type ResourceTypeDef,
  USER_RESOURCE,
  USER_SCHEMA,
} from '../../../server/scim/schemas.js';

const def = (name: string, type: AttributeDef['type'], extra: Partial<AttributeDef> = {}): AttributeDef => ({
  name,
  type,
  multiValued: false,
  description: '',
  required: false,
  caseExact: false,
  mutability: 'readWrite',
  returned: 'default',
  uniqueness: 'none',
  ...extra,
});

/** A resource type with the attribute types User and Group lack (integer, decimal, writable dateTime). */
const TYPED: ResourceTypeDef = {
  name: 'User',
  endpoint: '/Users',
  description: 'typed test resource',
  schema: {
    id: 'urn:test:Typed',
    name: 'Typed',
    description: '',
    attributes: [def('count', 'integer'), def('ratio', 'decimal'), def('since', 'dateTime'), def('label', 'string', { required: true })],
  },
  extensions: [],
};

interface Case {
  name: string;
  rt?: ResourceTypeDef;
  mode?: 'create' | 'replace';
  input: unknown;
}
interface OkCase extends Case {
  expected: JsonObject;
}
interface ErrCase extends Case {
  error: { status: ScimErrorStatus; scimType: ScimType; message: string };
}

const U = [USER_SCHEMA];
const G = [GROUP_SCHEMA];

const ok: OkCase[] = [
  {
    name: 'canonicalizes attribute and sub-attribute names case-insensitively',
    input: {
      schemas: U,
      USERNAME: 'bjensen',
      Name: { GivenName: 'Barbara', FAMILYNAME: 'Jensen' },
      Emails: [{ Value: 'bj@example.com', TYPE: 'work', primary: true }],
      ACTIVE: true,
    },
    expected: {
      userName: 'bjensen',
      name: { givenName: 'Barbara', familyName: 'Jensen' },
      emails: [{ value: 'bj@example.com', type: 'work', primary: true }],
      active: true,
    },
  },
  {
    name: 'tolerates unknown schema URNs (Entra) and drops their containers; canonicalizes extension keys',
    input: {
      schemas: [USER_SCHEMA, EXT, 'urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User'],
      userName: 'a',
      'urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User': { badge: '7' },
      [EXT.toUpperCase()]: { EmployeeNumber: '701984', Manager: { Value: 'm1', displayName: 'Boss' } },
    },
    expected: { userName: 'a', [EXT]: { employeeNumber: '701984', manager: { value: 'm1' } } },
  },
  {
    name: 'ignores readOnly attributes (RFC 7644 §3.5.1), schemas, unknown attributes and nulls',
    input: {
      schemas: U,
      id: 'client-chosen',
      meta: { resourceType: 'User' },
      groups: [{ value: 'g1' }],
      userName: 'a',
      favouriteColour: 'blue',
      title: null,
      name: { givenName: null, familyName: 'Jensen' },
      emails: [],
    },
    expected: { userName: 'a', name: { familyName: 'Jensen' } },
  },
  {
    name: 'stores values exactly as sent and keeps the password for the caller to hash',
    input: {
      schemas: U,
      userName: ' MixedCase@Example.com ',
      password: 'hunter2',
      phoneNumbers: [{ value: '+1 (555) 555-0100', type: 'work' }],
      x509Certificates: [{ value: 'MIIDQzCCAqygAwIBAgICEAAw\nDQYJKoZIhvcNAQEFBQAw' }],
    },
    expected: {
      userName: ' MixedCase@Example.com ',
      password: 'hunter2',
      phoneNumbers: [{ value: '+1 (555) 555-0100', type: 'work' }],
      x509Certificates: [{ value: 'MIIDQzCCAqygAwIBAgICEAAw\nDQYJKoZIhvcNAQEFBQAw' }],
    },
  },
  {
    name: 'accepts fully qualified and dotted keys and a lower-cased core schema URN',
    input: {
      schemas: [USER_SCHEMA.toLowerCase()],
      [`${USER_SCHEMA}:userName`]: 'q',
      'name.givenName': 'Q',
      [`${EXT}:department`]: 'R&D',
    },
    expected: { userName: 'q', name: { givenName: 'Q' }, [EXT]: { department: 'R&D' } },
  },
  {
    name: 'group members become {value, type}: display is readOnly, a null $ref is dropped',
    rt: GROUP_RESOURCE,
    input: {
      schemas: G,
      displayName: 'Tour Guides',
      members: [
        { value: 'u1', display: 'Babs', $ref: null, type: 'User' },
        { value: 'g2', $ref: 'https://example.com/v2/Groups/g2' },
      ],
    },
    expected: { displayName: 'Tour Guides', members: [{ value: 'u1', type: 'User' }, { value: 'g2' }] },
  },
  {
    name: 'replace mode normalizes the same way',
    rt: GROUP_RESOURCE,
    mode: 'replace',
    input: { schemas: G, displayName: 'G', members: [] },
    expected: { displayName: 'G' },
  },
  {
    name: 'integer, decimal and dateTime values pass when well-formed',
    rt: TYPED,
    input: { schemas: ['urn:test:Typed'], count: 3, ratio: 0.5, since: '2008-01-23T04:56:22Z', label: 'x' },
    expected: { count: 3, ratio: 0.5, since: '2008-01-23T04:56:22Z', label: 'x' },
  },
];

const invalidValue = (message: string) => ({ status: 400 as const, scimType: 'invalidValue' as const, message });
const userSchemasMsg = `"schemas" must be an array that includes "${USER_SCHEMA}"`;

const errors: ErrCase[] = [
  {
    name: 'non-object body',
    input: [],
    error: { status: 400, scimType: 'invalidSyntax', message: 'request body must be a JSON object' },
  },
  {
    name: 'null body',
    input: null,
    error: { status: 400, scimType: 'invalidSyntax', message: 'request body must be a JSON object' },
  },
  {
    name: 'missing schemas',
    input: { userName: 'a' },
    error: { status: 400, scimType: 'invalidSyntax', message: userSchemasMsg },
  },
  {
    name: 'schemas as a string',
    input: { schemas: USER_SCHEMA, userName: 'a' },
    error: { status: 400, scimType: 'invalidSyntax', message: userSchemasMsg },
  },
  {
    name: 'schemas of another resource type',
    input: { schemas: G, userName: 'a' },
    error: { status: 400, scimType: 'invalidSyntax', message: userSchemasMsg },
  },
  {
    name: 'missing userName on create',
    input: { schemas: U },
    error: invalidValue('cannot create User: attribute "userName" is required'),
  },
  {
    name: 'empty userName on replace',
    mode: 'replace',
    input: { schemas: U, userName: '' },
    error: invalidValue('cannot replace User: attribute "userName" is required'),
  },
  {
    name: 'null userName',
    input: { schemas: U, userName: null },
    error: invalidValue('attribute "userName" is required'),
  },
  {
    name: 'missing group displayName',
    rt: GROUP_RESOURCE,
    input: { schemas: G },
    error: invalidValue('cannot create Group: attribute "displayName" is required'),
  },
  {
    name: 'boolean as string',
    input: { schemas: U, userName: 'a', active: 'true' },
    error: invalidValue('attribute "active" must be a boolean'),
  },
  {
    name: 'number as string attribute',
    input: { schemas: U, userName: 5 },
    error: invalidValue('attribute "userName" must be a string'),
  },
  {
    name: 'single object for a multi-valued attribute',
    input: { schemas: U, userName: 'a', emails: { value: 'x' } },
    error: invalidValue('attribute "emails" must be an array'),
  },
  {
    name: 'wrong sub-attribute type names the element',
    input: { schemas: U, userName: 'a', emails: [{ value: 'x' }, { value: 'y', primary: 'yes' }] },
    error: invalidValue('attribute "emails[1].primary" must be a boolean'),
  },
  {
    name: 'null element',
    input: { schemas: U, userName: 'a', emails: [null] },
    error: invalidValue('attribute "emails[0]" must be a value, not null'),
  },
  {
    name: 'two primary values (RFC 7643 §2.4)',
    input: {
      schemas: U,
      userName: 'a',
      emails: [
        { value: 'x', primary: true },
        { value: 'y', primary: true },
      ],
    },
    error: invalidValue('attribute "emails" must have at most one element with primary true'),
  },
  {
    name: 'complex attribute as a string',
    input: { schemas: U, userName: 'a', name: 'Babs' },
    error: invalidValue('attribute "name" must be an object'),
  },
  {
    name: 'extension container that is not an object',
    input: { schemas: U, userName: 'a', [EXT]: 'x' },
    error: invalidValue(`attribute "${EXT}" must be an object`),
  },
  {
    name: 'extension attribute type names the qualified path',
    input: { schemas: U, userName: 'a', [EXT]: { employeeNumber: 7 } },
    error: invalidValue(`attribute "${EXT}:employeeNumber" must be a string`),
  },
  {
    name: 'binary that is not base64',
    input: { schemas: U, userName: 'a', x509Certificates: [{ value: 'not base64!' }] },
    error: invalidValue('attribute "x509Certificates[0].value" must be a base64 string'),
  },
  {
    name: 'member without a value',
    rt: GROUP_RESOURCE,
    input: { schemas: G, displayName: 'G', members: [{ value: 'u1' }, { display: 'Babs' }] },
    error: invalidValue('attribute "members[1].value" must be a non-empty string'),
  },
  {
    name: 'member value that is not a string',
    rt: GROUP_RESOURCE,
    input: { schemas: G, displayName: 'G', members: [{ value: 42 }] },
    error: invalidValue('attribute "members[0].value" must be a string'),
  },
  {
    name: 'integer with a fraction',
    rt: TYPED,
    input: { schemas: ['urn:test:Typed'], label: 'x', count: 1.5 },
    error: invalidValue('attribute "count" must be an integer'),
  },
  {
    name: 'decimal as a string',
    rt: TYPED,
    input: { schemas: ['urn:test:Typed'], label: 'x', ratio: '0.5' },
    error: invalidValue('attribute "ratio" must be a number'),
  },
  {
    name: 'dateTime that is not xsd:dateTime',
    rt: TYPED,
    input: { schemas: ['urn:test:Typed'], label: 'x', since: '2008-02-30T00:00:00Z' },
    error: invalidValue('attribute "since" must be an xsd:dateTime string'),
  },
];

describe('normalizeResource', () => {
  it.each(ok)('$name', ({ input, rt = USER_RESOURCE, mode = 'create', expected }) => {
    expect(normalizeResource(input, rt, mode)).toStrictEqual(expected);
  });

  it.each(errors)('rejects: $name', ({ input, rt = USER_RESOURCE, mode = 'create', error }) => {
    let caught: unknown;
    try {
      normalizeResource(input, rt, mode);
    } catch (e) {
      caught = e;
    }
    if (!(caught instanceof ScimError)) throw new Error(`expected a ScimError, got ${String(caught)}`);
    expect({ status: caught.status, scimType: caught.scimType }).toEqual({
      status: error.status,
      scimType: error.scimType,
    });
    expect(caught.detail).toContain(error.message);
  });
});
