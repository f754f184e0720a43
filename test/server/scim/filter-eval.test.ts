import { describe, expect, it } from 'vitest';
import { ScimError } from '../../../server/scim/errors.js';
import { parseFilter, parsePath } from '../../../server/scim/filter.js';
import type { Filter } from '../../../server/scim/filter-ast.js';
import { compileFilter, matchesElement, matchesFilter, parseDateTime, resolveFilterPaths } from '../../../server/scim/filter-eval.js';
import type { JsonObject } from '../../../server/scim/json.js';
import {
  type AttributeDef,
  ENTERPRISE_USER_SCHEMA,
  findAttr,
  GROUP_RESOURCE,
  type ResourceTypeDef,
  USER_RESOURCE,
  USER_SCHEMA,
} from '../../../server/scim/schemas.js';

const ENT = ENTERPRISE_USER_SCHEMA;

const USER: JsonObject = {
  schemas: [USER_SCHEMA, ENT],
  id: '2819c223-7f76-453a-919d-413861904646',
  externalId: 'bjensen-ext',
  userName: 'bjensen@example.com',
  name: { familyName: "O'Malley", givenName: 'Barbara' },
  displayName: 'Babs Jensen',
  nickName: '',
  title: 'Tour Guide',
  userType: 'Employee',
  active: true,
  emails: [
    { value: 'bjensen@example.com', type: 'work', primary: true },
    { value: 'babs@jensen.org', type: 'home' },
  ],
  ims: [],
  phoneNumbers: [{ value: '555-555-8377', type: 'work' }],
  x509Certificates: [{ value: 'MIIDQzCCAqygAwIBAgICEAAwDQYJKoZIhvcNAQEFBQAwTjELMAkGA1UEBhMCVVMx' }],
  meta: {
    resourceType: 'User',
    created: '2010-01-23T04:56:22Z',
    lastModified: '2011-05-13T04:42:34Z',
    version: 'W/"a330bc54f0671c9"',
  },
  [ENT]: {
    employeeNumber: '701984',
    costCenter: '4130',
    manager: { value: '26118915-6090-4610-87e4-49d8ca9f808d', displayName: 'John Smith' },
  },
};

interface Case {
  source: string;
  target: boolean;
}

const USER_CASES: Case[] = [
  // userName is caseExact false (RFC 7643 §4.1.1); id and externalId are caseExact true (§3.1)
  { source: 'userName eq "bjensen@example.com"', target: true },
  { source: 'userName eq "BJENSEN@Example.COM"', target: true },
  { source: 'userName eq "bjensen"', target: false },
  { source: 'id eq "2819c223-7f76-453a-919d-413861904646"', target: true },
  { source: 'id eq "2819C223-7F76-453A-919D-413861904646"', target: false },
  { source: 'externalId eq "bjensen-ext"', target: true },
  { source: 'externalId eq "BJENSEN-EXT"', target: false },
  { source: 'externalId sw "BJENSEN"', target: false },
  { source: 'externalId ew "-ext"', target: true },
  { source: 'meta.resourceType eq "user"', target: false },
  { source: 'meta.resourceType eq "User"', target: true },
  { source: 'USERNAME EQ "bjensen@example.com"', target: true },
  // string operators
  { source: 'userName sw "BJ"', target: true },
  { source: 'userName sw "jensen"', target: false },
  { source: 'userName ew "EXAMPLE.com"', target: true },
  { source: 'userName ew "example"', target: false },
  { source: 'userName co "@"', target: true },
  { source: 'userName co "xyz"', target: false },
  { source: 'name.familyName co "o\'mal"', target: true },
  { source: 'userName ne "bjensen@example.com"', target: false },
  { source: 'userName ne "other"', target: true },
  { source: 'displayName gt "Babs"', target: true },
  { source: 'displayName gt "babs jensen"', target: false },
  { source: 'displayName ge "BABS JENSEN"', target: true },
  { source: 'displayName lt "babs"', target: false },
  { source: 'displayName le "babs jensen"', target: true },
  { source: 'displayName lt "c"', target: true },
  // pr: present and not null, "", [] or {}
  { source: 'title pr', target: true },
  { source: 'nickName pr', target: false },
  { source: 'ims pr', target: false },
  { source: 'locale pr', target: false },
  { source: 'name pr', target: true },
  { source: 'emails pr', target: true },
  { source: 'emails.primary pr', target: true },
  { source: 'addresses pr', target: false },
  // a missing attribute is "ne" anything; null means unassigned (RFC 7643 §2.5)
  { source: 'locale ne "en-US"', target: true },
  { source: 'locale eq "en-US"', target: false },
  { source: 'locale eq null', target: true },
  { source: 'nickName eq null', target: true },
  { source: 'title eq null', target: false },
  { source: 'title ne null', target: true },
  { source: 'locale ne null', target: false },
  // multi-valued: any value matches; "emails" alone compares emails.value
  { source: 'emails co "jensen.org"', target: true },
  { source: 'emails co "nowhere"', target: false },
  { source: 'emails eq "BABS@JENSEN.ORG"', target: true },
  { source: 'emails.value ew ".org"', target: true },
  { source: 'emails.type eq "home"', target: true },
  { source: 'emails.type eq "other"', target: false },
  { source: 'emails.type ne "home"', target: false },
  { source: 'emails.type ne "other"', target: true },
  { source: 'phoneNumbers.type eq "work"', target: true },
  { source: 'x509Certificates.value sw "MIID"', target: true },
  { source: 'x509Certificates.value sw "miid"', target: false },
  { source: 'schemas eq "URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER"', target: true },
  { source: 'schemas eq "urn:ietf:params:scim:schemas:core:2.0:Group"', target: false },
  // booleans
  { source: 'active eq true', target: true },
  { source: 'active eq FALSE', target: false },
  { source: 'active ne false', target: true },
  { source: 'emails.primary eq true', target: true },
  // dateTime compares chronologically (RFC 7644 §3.4.2.2)
  { source: 'meta.lastModified gt "2011-05-13T04:42:33Z"', target: true },
  { source: 'meta.lastModified gt "2011-05-13T04:42:34Z"', target: false },
  { source: 'meta.lastModified ge "2011-05-13T04:42:34Z"', target: true },
  { source: 'meta.lastModified lt "2011-05-13T04:42:34.001Z"', target: true },
  { source: 'meta.lastModified le "2011-05-13T04:42:33.999Z"', target: false },
  { source: 'meta.lastModified eq "2011-05-13T06:42:34+02:00"', target: true },
  { source: 'meta.lastModified eq "2011-05-13T04:42:34"', target: true },
  { source: 'meta.lastModified gt "2011-05-13T06:00:00+02:00"', target: true },
  { source: 'meta.lastModified lt "2011-05-13T05:00:00+02:00"', target: false },
  { source: 'meta.created lt "2011-01-01T00:00:00Z"', target: true },
  { source: 'meta.lastModified sw "2011-05"', target: true },
  // extension attributes live under the URN key; URNs and names are case-insensitive
  { source: `${ENT}:employeeNumber eq "701984"`, target: true },
  { source: `${ENT}:employeeNumber eq "701985"`, target: false },
  { source: `${ENT.toUpperCase()}:EMPLOYEENUMBER eq "701984"`, target: true },
  { source: `${ENT}:costCenter sw "41"`, target: true },
  { source: `${ENT}:department pr`, target: false },
  { source: `${ENT}:manager.value eq "26118915-6090-4610-87e4-49d8ca9f808d"`, target: true },
  { source: `${ENT}:manager eq "26118915-6090-4610-87e4-49d8ca9f808d"`, target: true },
  { source: `${ENT}:manager.displayName co "smith"`, target: true },
  { source: `${USER_SCHEMA}:userName sw "bj"`, target: true },
  { source: `${USER_SCHEMA}:name.givenName eq "barbara"`, target: true },
  // valuePath: every condition must hold for the same element
  { source: 'emails[type eq "work" and value co "@example.com"]', target: true },
  { source: 'emails[type eq "home" and value co "@example.com"]', target: false },
  { source: 'emails.type eq "home" and emails.value co "@example.com"', target: true },
  { source: 'emails[not (type eq "work")]', target: true },
  { source: 'emails[primary eq true and type eq "home"]', target: false },
  { source: 'emails[primary pr]', target: true },
  { source: 'ims[type pr]', target: false },
  { source: 'name[givenName eq "BARBARA"]', target: true },
  // logic
  { source: 'not (userName pr)', target: false },
  { source: 'userName pr and not (locale pr)', target: true },
  { source: 'locale pr or title pr', target: true },
  { source: 'locale pr or nickName pr', target: false },
  { source: 'userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")', target: true },
  { source: 'userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")', target: false },
  { source: 'userType eq "Employee" and emails[type eq "work" and value co "@example.com"]', target: true },
  { source: 'emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]', target: true },
];

/** A resource type with the attribute types the core schemas lack (integer, decimal, simple multi-valued). */
const attr = (name: string, type: AttributeDef['type'], extra: Partial<AttributeDef> = {}): AttributeDef => ({
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
const TEST_RESOURCE: ResourceTypeDef = {
  ...USER_RESOURCE,
  schema: {
    id: 'urn:example:schemas:Test',
    name: 'Test',
    description: '',
    attributes: [
      attr('count', 'integer'),
      attr('score', 'decimal'),
      attr('tags', 'string', { multiValued: true }),
      attr('codes', 'string', { multiValued: true, caseExact: true }),
    ],
  },
  extensions: [],
};
const TEST_DOC: JsonObject = { count: 42, score: -1.5, tags: ['Alpha', 'beta'], codes: ['X1'] };

const TEST_CASES: Case[] = [
  { source: 'count eq 42', target: true },
  { source: 'count eq 42.0', target: true },
  { source: 'count gt 41.5', target: true },
  { source: 'count ge 42', target: true },
  { source: 'count lt 42', target: false },
  { source: 'count le 4.2e1', target: true },
  { source: 'count ne 42', target: false },
  { source: 'score lt -1', target: true },
  { source: 'score gt -1.5', target: false },
  { source: 'score ge -1.5', target: true },
  { source: 'tags eq "alpha"', target: true },
  { source: 'tags eq "gamma"', target: false },
  { source: 'tags sw "BE"', target: true },
  { source: 'tags ne "beta"', target: false },
  { source: 'codes eq "x1"', target: false },
  { source: 'codes eq "X1"', target: true },
];

interface ErrorCase {
  source: string;
  error: string;
}

const ERROR_CASES: ErrorCase[] = [
  { source: 'xyz eq "1"', error: 'unknown attribute "xyz"' },
  { source: 'name.xyz pr', error: 'unknown attribute "name.xyz"' },
  { source: 'userName.sub pr', error: 'unknown attribute "userName.sub"' },
  { source: 'urn:example:Other:userName eq "x"', error: 'unknown attribute "urn:example:Other:userName"' },
  { source: `${ENT}:userName eq "x"`, error: `unknown attribute "${ENT}:userName"` },
  { source: 'userName pr or xyz pr', error: 'unknown attribute "xyz"' },
  { source: 'emails[foo eq "x"]', error: 'unknown attribute "foo" in the value filter of "emails"' },
  { source: 'emails[value.x eq "x"]', error: 'unknown attribute "value.x" in the value filter of "emails"' },
  { source: `emails[${USER_SCHEMA}:value eq "x"]`, error: 'unknown attribute' },
  { source: 'password eq "secret"', error: 'attribute "password" cannot be used in a filter' },
  { source: 'password pr', error: 'attribute "password" cannot be used in a filter' },
  { source: 'active gt true', error: 'operator "gt" does not apply to boolean attribute "active"' },
  { source: 'active co true', error: 'operator "co" does not apply to boolean attribute "active"' },
  { source: 'active eq "true"', error: 'attribute "active" is of type boolean; compare it with true or false, not "true"' },
  { source: 'emails.primary le false', error: 'operator "le" does not apply to boolean attribute "emails.primary"' },
  { source: 'x509Certificates.value gt "MII"', error: 'operator "gt" does not apply to binary attribute "x509Certificates.value"' },
  { source: 'userName eq 5', error: 'attribute "userName" is of type string; compare it with a quoted string, not 5' },
  { source: 'userName sw true', error: 'is of type string' },
  { source: 'meta.lastModified gt "yesterday"', error: 'attribute "meta.lastModified" is of type dateTime' },
  { source: 'meta.lastModified gt "2011-02-30T00:00:00Z"', error: 'is of type dateTime' },
  { source: 'meta.lastModified gt 1305261754', error: 'is of type dateTime' },
  { source: 'name eq "x"', error: 'complex attribute "name" cannot be compared; name one of its sub-attributes' },
  { source: 'userName[value eq "x"]', error: 'a value filter needs a complex attribute, and "userName" is not one' },
  { source: 'userName gt null', error: 'operator "gt" cannot compare "userName" with null' },
  { source: 'userName co null', error: 'operator "co" cannot compare "userName" with null' },
];

function caught(fn: () => unknown): ScimError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ScimError) return e;
    throw e;
  }
  throw new Error('expected a ScimError');
}

describe('matchesFilter', () => {
  it.each(USER_CASES)('$source → $target', ({ source, target }) => {
    expect(matchesFilter(parseFilter(source), USER, USER_RESOURCE)).toBe(target);
  });

  it.each(TEST_CASES)('numbers and simple multi-valued: $source → $target', ({ source, target }) => {
    expect(matchesFilter(parseFilter(source), TEST_DOC, TEST_RESOURCE)).toBe(target);
  });

  it.each([
    { source: 'count co 4', error: 'operator "co" does not apply to integer attribute "count"' },
    { source: 'score eq "1.5"', error: 'attribute "score" is of type decimal; compare it with a number' },
  ])('rejects $source on numbers', ({ source, error }) => {
    const e = caught(() => matchesFilter(parseFilter(source), TEST_DOC, TEST_RESOURCE));
    expect(e.scimType).toBe('invalidFilter');
    expect(e.detail).toContain(error);
  });

  it.each(ERROR_CASES)('rejects $source', ({ source, error }) => {
    const e = caught(() => matchesFilter(parseFilter(source), USER, USER_RESOURCE));
    expect(e.status).toBe(400);
    expect(e.scimType).toBe('invalidFilter');
    expect(e.detail).toContain(error);
  });

  it.each<{ source: string; doc: JsonObject; target: boolean }>([
    { source: 'uSeRnAmE eq "x"', doc: { USERNAME: 'X' }, target: true },
    { source: 'emails.value eq "a@b.c"', doc: { Emails: [{ VALUE: 'a@b.c' }] }, target: true },
    { source: 'userName eq "x"', doc: { userName: 5 }, target: false },
    { source: 'meta.lastModified lt "2030-01-01T00:00:00Z"', doc: { meta: { lastModified: 'garbage' } }, target: false },
    { source: 'emails[type eq "work"]', doc: { emails: ['not-an-object'] }, target: false },
    { source: 'emails.type ne "work"', doc: {}, target: true },
  ])('reads keys case-insensitively and tolerates odd documents: $source', ({ source, doc, target }) => {
    expect(matchesFilter(parseFilter(source), doc, USER_RESOURCE)).toBe(target);
  });

  it('evaluates groups against the group schema', () => {
    const group: JsonObject = { displayName: 'Tour Guides', members: [{ value: 'abc', type: 'User' }] };
    const results = [
      'members[value eq "abc"]',
      'members[value eq "ABC"]',
      'members.type eq "user"',
      'displayName sw "tour"',
      'members eq "abc"',
    ].map((source) => matchesFilter(parseFilter(source), group, GROUP_RESOURCE));
    expect(results).toEqual([true, false, true, true, true]);
    expect(caught(() => matchesFilter(parseFilter('userName pr'), group, GROUP_RESOURCE)).detail).toBe('unknown attribute "userName"');
  });

  it('a compiled filter can be reused across resources', () => {
    const predicate = compileFilter(parseFilter('userName sw "a"'), USER_RESOURCE);
    const docs: JsonObject[] = [{ userName: 'alice' }, { userName: 'bob' }, {}];
    expect(docs.map((doc) => predicate(doc))).toEqual([true, false, false]);
  });
});

describe('resolveFilterPaths', () => {
  it('accepts a valid filter', () => {
    expect(
      resolveFilterPaths(parseFilter('emails[type eq "work"] and meta.created gt "2020-01-01T00:00:00Z"'), USER_RESOURCE),
    ).toBeUndefined();
  });

  it.each(ERROR_CASES)('rejects $source', ({ source, error }) => {
    const e = caught(() => resolveFilterPaths(parseFilter(source), USER_RESOURCE));
    expect(e.scimType).toBe('invalidFilter');
    expect(e.detail).toContain(error);
  });
});

describe('matchesElement', () => {
  const members = findAttr(GROUP_RESOURCE.schema.attributes, 'members') as AttributeDef;
  const emails = findAttr(USER_RESOURCE.schema.attributes, 'emails') as AttributeDef;
  const member: JsonObject = { value: '2819c223', type: 'User', display: 'Babs' };
  const email: JsonObject = { value: 'bjensen@example.com', type: 'work', primary: true };

  it.each([
    { parent: members, element: member, source: 'value eq "2819c223"', target: true },
    { parent: members, element: member, source: 'value eq "2819C223"', target: false },
    { parent: members, element: member, source: 'type eq "user"', target: true },
    { parent: members, element: member, source: 'display co "AB"', target: true },
    { parent: members, element: member, source: '$ref pr', target: false },
    { parent: emails, element: email, source: 'type eq "work" and primary eq true', target: true },
    { parent: emails, element: email, source: 'type eq "work" and not (primary eq true)', target: false },
    { parent: emails, element: email, source: 'VALUE ew "EXAMPLE.COM"', target: true },
  ])('$parent.name element: $source → $target', ({ parent, element, source, target }) => {
    expect(matchesElement(parseFilter(source), element, parent)).toBe(target);
  });

  it('evaluates the filter of a parsed PATCH path', () => {
    const path = parsePath('members[value eq "2819c223"]');
    expect(path.filter && matchesElement(path.filter, member, members)).toBe(true);
  });

  it.each<{ filter: Filter; error: string }>([
    { filter: parseFilter('userName eq "x"'), error: 'unknown attribute "userName" in the value filter of "members"' },
    { filter: parseFilter(`${USER_SCHEMA}:value eq "x"`), error: 'unknown attribute' },
    { filter: parseFilter('value gt true'), error: 'is of type string' },
    { filter: parseFilter('emails[type pr]'), error: 'value filters cannot be nested' },
  ])('rejects $error', ({ filter, error }) => {
    const e = caught(() => matchesElement(filter, member, members));
    expect(e.scimType).toBe('invalidFilter');
    expect(e.detail).toContain(error);
  });
});

describe('parseDateTime', () => {
  it.each([
    { source: '2011-05-13T04:42:34Z', target: Date.UTC(2011, 4, 13, 4, 42, 34) },
    { source: '2011-05-13T04:42:34.5z', target: Date.UTC(2011, 4, 13, 4, 42, 34, 500) },
    { source: '2011-05-13T04:42:34.123456Z', target: Date.UTC(2011, 4, 13, 4, 42, 34, 123) },
    { source: '2011-05-13T06:42:34+02:00', target: Date.UTC(2011, 4, 13, 4, 42, 34) },
    { source: '2011-05-13T04:42:34', target: Date.UTC(2011, 4, 13, 4, 42, 34) },
    { source: '2012-02-29T00:00:00Z', target: Date.UTC(2012, 1, 29) },
    { source: '2011-02-29T00:00:00Z', target: undefined },
    { source: '2011-13-01T00:00:00Z', target: undefined },
    { source: '2011-05-13T24:00:00Z', target: undefined },
    { source: '2011-05-13', target: undefined },
    { source: 'May 13 2011', target: undefined },
  ])('$source', ({ source, target }) => {
    expect(parseDateTime(source)).toBe(target);
  });
});
