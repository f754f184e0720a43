import { describe, expect, it } from 'vitest';
import { ScimError } from '../../../server/scim/errors.js';
import { MAX_FILTER_DEPTH, MAX_FILTER_LENGTH, parseFilter, parsePath } from '../../../server/scim/filter.js';
import type { AttrPath, CompareOp, CompValue, Filter, PatchPath } from '../../../server/scim/filter-ast.js';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';

const p = (name: string, sub?: string, uri?: string): AttrPath => ({
  name,
  ...(sub === undefined ? {} : { sub }),
  ...(uri === undefined ? {} : { uri }),
});
const cmp = (path: AttrPath | string, op: CompareOp, value: CompValue): Filter => ({
  kind: 'compare',
  path: typeof path === 'string' ? p(path) : path,
  op,
  value,
});
const pr = (path: AttrPath | string): Filter => ({ kind: 'present', path: typeof path === 'string' ? p(path) : path });
const and = (left: Filter, right: Filter): Filter => ({ kind: 'and', left, right });
const or = (left: Filter, right: Filter): Filter => ({ kind: 'or', left, right });
const not = (filter: Filter): Filter => ({ kind: 'not', filter });
const vp = (name: string, filter: Filter): Filter => ({ kind: 'valuePath', path: p(name), filter });

/** Captures the thrown ScimError so a case can assert status, scimType and message together. */
function caught(fn: () => unknown): ScimError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ScimError) return e;
    throw e;
  }
  throw new Error('expected a ScimError');
}

interface Case<T> {
  source: string;
  target: T;
}
interface ErrorCase {
  source: string;
  error: string;
}

/** Every example filter of RFC 7644 §3.4.2.2 (Figure 2), in order. */
const RFC_EXAMPLES: Case<Filter>[] = [
  { source: 'userName eq "bjensen"', target: cmp('userName', 'eq', 'bjensen') },
  { source: 'name.familyName co "O\'Malley"', target: cmp(p('name', 'familyName'), 'co', "O'Malley") },
  { source: 'userName sw "J"', target: cmp('userName', 'sw', 'J') },
  { source: `${CORE}:userName sw "J"`, target: cmp(p('userName', undefined, CORE), 'sw', 'J') },
  { source: 'title pr', target: pr('title') },
  { source: 'meta.lastModified gt "2011-05-13T04:42:34Z"', target: cmp(p('meta', 'lastModified'), 'gt', '2011-05-13T04:42:34Z') },
  { source: 'meta.lastModified ge "2011-05-13T04:42:34Z"', target: cmp(p('meta', 'lastModified'), 'ge', '2011-05-13T04:42:34Z') },
  { source: 'meta.lastModified lt "2011-05-13T04:42:34Z"', target: cmp(p('meta', 'lastModified'), 'lt', '2011-05-13T04:42:34Z') },
  { source: 'meta.lastModified le "2011-05-13T04:42:34Z"', target: cmp(p('meta', 'lastModified'), 'le', '2011-05-13T04:42:34Z') },
  { source: 'title pr and userType eq "Employee"', target: and(pr('title'), cmp('userType', 'eq', 'Employee')) },
  { source: 'title pr or userType eq "Intern"', target: or(pr('title'), cmp('userType', 'eq', 'Intern')) },
  { source: `schemas eq "${ENT}"`, target: cmp('schemas', 'eq', ENT) },
  {
    source: 'userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")',
    target: and(cmp('userType', 'eq', 'Employee'), or(cmp('emails', 'co', 'example.com'), cmp(p('emails', 'value'), 'co', 'example.org'))),
  },
  {
    source: 'userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")',
    target: and(
      cmp('userType', 'ne', 'Employee'),
      not(or(cmp('emails', 'co', 'example.com'), cmp(p('emails', 'value'), 'co', 'example.org'))),
    ),
  },
  {
    source: 'userType eq "Employee" and (emails.type eq "work")',
    target: and(cmp('userType', 'eq', 'Employee'), cmp(p('emails', 'type'), 'eq', 'work')),
  },
  {
    source: 'userType eq "Employee" and emails[type eq "work" and value co "@example.com"]',
    target: and(cmp('userType', 'eq', 'Employee'), vp('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'co', '@example.com')))),
  },
  {
    source: 'emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]',
    target: or(
      vp('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'co', '@example.com'))),
      vp('ims', and(cmp('type', 'eq', 'xmpp'), cmp('value', 'co', '@foo.com'))),
    ),
  },
  { source: 'userName Eq "john"', target: cmp('userName', 'eq', 'john') },
  { source: 'Username eq "john"', target: cmp('Username', 'eq', 'john') },
];

const a = pr('a');
const b = pr('b');
const c = pr('c');

const PARSES: Case<Filter>[] = [
  ...(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'] as const).map((op) => ({
    source: `displayName ${op} "x"`,
    target: cmp('displayName', op, 'x'),
  })),
  { source: 'displayName GE "x"', target: cmp('displayName', 'ge', 'x') },
  { source: 'title PR', target: pr('title') },
  // precedence: not > and > or; both binary operators are left-associative
  { source: 'a pr or b pr and c pr', target: or(a, and(b, c)) },
  { source: 'a pr and b pr or c pr', target: or(and(a, b), c) },
  { source: 'a pr or b pr or c pr', target: or(or(a, b), c) },
  { source: 'a pr and b pr and c pr', target: and(and(a, b), c) },
  { source: '(a pr or b pr) and c pr', target: and(or(a, b), c) },
  { source: 'not (a pr) and b pr', target: and(not(a), b) },
  { source: 'not (a pr or b pr)', target: not(or(a, b)) },
  { source: 'NOT (a pr) OR b pr AND c pr', target: or(not(a), and(b, c)) },
  { source: 'not(a pr)', target: not(a) },
  { source: 'not (not (a pr))', target: not(not(a)) },
  { source: '((a pr))', target: a },
  { source: '(a pr)and(b pr)', target: and(a, b) },
  { source: '  a pr  ', target: a },
  { source: 'a\tpr', target: a },
  // values (RFC 7159 literals; keywords case-insensitive)
  { source: 'x eq true', target: cmp('x', 'eq', true) },
  { source: 'x eq FALSE', target: cmp('x', 'eq', false) },
  { source: 'x eq Null', target: cmp('x', 'eq', null) },
  { source: 'x eq 0', target: cmp('x', 'eq', 0) },
  { source: 'x gt -5', target: cmp('x', 'gt', -5) },
  { source: 'x lt 1.25', target: cmp('x', 'lt', 1.25) },
  { source: 'x eq 1e3', target: cmp('x', 'eq', 1000) },
  { source: 'x eq -2.5E-2', target: cmp('x', 'eq', -0.025) },
  { source: 'x eq ""', target: cmp('x', 'eq', '') },
  { source: 'x eq "and"', target: cmp('x', 'eq', 'and') },
  { source: 'x eq "a\\"b"', target: cmp('x', 'eq', 'a"b') },
  { source: 'x eq "a\\\\b"', target: cmp('x', 'eq', 'a\\b') },
  { source: 'x eq "\\u00e9\\u00C9"', target: cmp('x', 'eq', 'éÉ') },
  { source: 'x eq "\\/\\n\\t\\r\\b\\f"', target: cmp('x', 'eq', '/\n\t\r\b\f') },
  { source: 'x eq "a (b) [c]"', target: cmp('x', 'eq', 'a (b) [c]') },
  { source: 'x eq "é"', target: cmp('x', 'eq', 'é') },
  // attribute paths
  { source: 'my-attr_2 pr', target: pr('my-attr_2') },
  { source: 'x509Certificates.value pr', target: pr(p('x509Certificates', 'value')) },
  { source: 'members.$ref pr', target: pr(p('members', '$ref')) },
  { source: '$ref pr', target: pr('$ref') },
  { source: `${ENT}:employeeNumber eq "701984"`, target: cmp(p('employeeNumber', undefined, ENT), 'eq', '701984') },
  { source: `${ENT}:manager.value eq "x"`, target: cmp(p('manager', 'value', ENT), 'eq', 'x') },
  { source: `${CORE}:name.givenName eq "Barbara"`, target: cmp(p('name', 'givenName', CORE), 'eq', 'Barbara') },
  // value paths
  { source: 'emails[type eq "work"]', target: vp('emails', cmp('type', 'eq', 'work')) },
  { source: 'emails[not (type eq "work")]', target: vp('emails', not(cmp('type', 'eq', 'work'))) },
  {
    source: 'emails[(type eq "work" or type eq "home") and primary eq true]',
    target: vp('emails', and(or(cmp('type', 'eq', 'work'), cmp('type', 'eq', 'home')), cmp('primary', 'eq', true))),
  },
  { source: 'members[$ref pr]', target: vp('members', pr('$ref')) },
  { source: 'not (emails[type pr])', target: not(vp('emails', pr('type'))) },
  { source: 'emails[type eq "work"] and userName pr', target: and(vp('emails', cmp('type', 'eq', 'work')), pr('userName')) },
];

describe('parseFilter', () => {
  it.each(RFC_EXAMPLES)('RFC 7644 §3.4.2.2 example: $source', ({ source, target }) => {
    expect(parseFilter(source)).toStrictEqual(target);
  });

  it.each(PARSES)('$source', ({ source, target }) => {
    expect(parseFilter(source)).toStrictEqual(target);
  });

  it(`accepts nesting of exactly ${MAX_FILTER_DEPTH} levels`, () => {
    const text = `${'('.repeat(MAX_FILTER_DEPTH)}a pr${')'.repeat(MAX_FILTER_DEPTH)}`;
    expect(parseFilter(text)).toStrictEqual(a);
  });

  const ERRORS: ErrorCase[] = [
    { source: '', error: 'invalid filter: the filter is empty' },
    { source: '   ', error: 'invalid filter: the filter is empty' },
    { source: 'userName', error: 'at position 9: expected a comparison operator after "userName" but the filter ended' },
    { source: 'userName bogus "x"', error: 'at position 10: expected a comparison operator after "userName" but found "bogus"' },
    { source: 'userName "x"', error: 'at position 10: expected a comparison operator after "userName" but found ""x""' },
    { source: 'userName eq', error: 'at position 12: expected a value after "eq" but the filter ended' },
    {
      source: 'userName eq bjensen',
      error: 'at position 13: expected a value (a quoted string, number, true, false or null) after "eq" but found "bjensen"',
    },
    { source: 'userName eq and x pr', error: 'after "eq" but found "and"' },
    { source: 'userName eq (', error: 'at position 13: expected a value' },
    { source: 'x eq 01', error: 'found "01"' },
    { source: 'x eq 1.', error: 'found "1."' },
    { source: 'x eq 1e400', error: 'at position 6: number "1e400" is out of range' },
    { source: 'title pr "x"', error: 'at position 10: "pr" takes no value but found ""x""' },
    { source: 'title pr 5', error: '"pr" takes no value but found "5"' },
    { source: 'title pr true', error: '"pr" takes no value but found "true"' },
    { source: 'userName eq "abc', error: 'at position 13: unterminated string' },
    { source: 'userName eq "abc\\"', error: 'at position 13: unterminated string' },
    { source: 'x eq "a\\qb"', error: 'at position 8: invalid escape "\\q" in string' },
    { source: 'x eq "\\u12"', error: 'invalid escape "\\u" in string' },
    { source: 'x eq "a\nb"', error: 'at position 8: control characters must be escaped in a string' },
    { source: '(userName pr', error: 'at position 13: expected ")" to close "(" at position 1 but the filter ended' },
    { source: '(a pr b pr)', error: 'at position 7: expected "and", "or" or ")" to close "(" at position 1 but found "b"' },
    { source: 'userName pr)', error: 'at position 12: unexpected ")" without a matching "("' },
    { source: 'x eq "a" ]', error: 'at position 10: unexpected "]" without a matching "["' },
    { source: 'emails[type eq "work"', error: 'at position 22: expected "]" to close "[" at position 7 but the filter ended' },
    { source: 'emails[type eq "work")', error: 'expected "and", "or" or "]" to close "[" at position 7 but found ")"' },
    { source: '(emails[type pr)]', error: 'expected "and", "or" or "]" to close "[" at position 8 but found ")"' },
    { source: 'emails[type eq "work" and x[y pr]]', error: 'at position 28: value filters cannot be nested' },
    { source: 'name.familyName[value eq "x"]', error: 'a value filter must follow an attribute, not the sub-attribute "name.familyName"' },
    {
      source: 'emails[type eq "work"].value eq "x"',
      error: 'at position 23: expected "and", "or" or the end of the filter but found ".value"',
    },
    { source: 'userName pr and', error: 'at position 16: expected an attribute path, "(" or "not" but the filter ended' },
    { source: 'userName pr and and b pr', error: 'at position 17: expected an attribute path, "(" or "not" but found "and"' },
    { source: 'userName pr or or b pr', error: 'at position 16: expected an attribute path, "(" or "not" but found "or"' },
    { source: 'a pr b pr', error: 'at position 6: expected "and", "or" or the end of the filter but found "b"' },
    { source: '()', error: 'at position 2: expected an attribute path, "(" or "not" but found ")"' },
    { source: '"x" eq "x"', error: 'at position 1: expected an attribute path, "(" or "not" but found ""x""' },
    { source: 'not userName pr', error: 'at position 4: "not" must be followed by a parenthesized filter' },
    { source: 'name.givenName.x pr', error: 'at position 1: invalid attribute path "name.givenName.x"' },
    { source: '1abc pr', error: 'invalid attribute path "1abc"' },
    { source: 'name. pr', error: 'invalid attribute path "name."' },
    { source: 'user$name pr', error: 'invalid attribute path "user$name"' },
    { source: 'foo:userName pr', error: 'invalid attribute path "foo:userName"' },
    { source: `${ENT}: pr`, error: 'invalid attribute path' },
    { source: `${ENT} pr`, error: `"${ENT}" names a schema, not an attribute` },
    { source: 'x'.repeat(MAX_FILTER_LENGTH + 1), error: `invalid filter: longer than ${MAX_FILTER_LENGTH} characters` },
    {
      source: `${'('.repeat(MAX_FILTER_DEPTH + 1)}a pr${')'.repeat(MAX_FILTER_DEPTH + 1)}`,
      error: `at position ${MAX_FILTER_DEPTH + 1}: nesting deeper than ${MAX_FILTER_DEPTH} levels`,
    },
    { source: `${'not ('.repeat(MAX_FILTER_DEPTH + 1)}a pr${')'.repeat(MAX_FILTER_DEPTH + 1)}`, error: 'nesting deeper than 50 levels' },
    { source: '('.repeat(MAX_FILTER_LENGTH), error: 'nesting deeper than 50 levels' },
  ];

  it.each(ERRORS)('rejects $source', ({ source, error }) => {
    const e = caught(() => parseFilter(source));
    expect(e.status).toBe(400);
    expect(e.scimType).toBe('invalidFilter');
    expect(e.detail).toContain(error);
    expect(e.detail.startsWith('invalid filter')).toBe(true);
  });
});

describe('parsePath', () => {
  const PATHS: Case<PatchPath>[] = [
    { source: 'members', target: { attr: p('members') } },
    { source: 'name.givenName', target: { attr: p('name', 'givenName') } },
    { source: 'members[value eq "2819c223"]', target: { attr: p('members'), filter: cmp('value', 'eq', '2819c223') } },
    {
      source: 'emails[type eq "work"].value',
      target: { attr: p('emails'), filter: cmp('type', 'eq', 'work'), subAfterFilter: 'value' },
    },
    {
      source: 'members[value eq "a" or value eq "b"]',
      target: { attr: p('members'), filter: or(cmp('value', 'eq', 'a'), cmp('value', 'eq', 'b')) },
    },
    {
      source: 'emails[type eq "work" and primary eq true].display',
      target: { attr: p('emails'), filter: and(cmp('type', 'eq', 'work'), cmp('primary', 'eq', true)), subAfterFilter: 'display' },
    },
    { source: 'members[value eq "x"].$ref', target: { attr: p('members'), filter: cmp('value', 'eq', 'x'), subAfterFilter: '$ref' } },
    { source: `${ENT}:manager`, target: { attr: p('manager', undefined, ENT) } },
    { source: `${ENT}:manager.value`, target: { attr: p('manager', 'value', ENT) } },
    { source: `${CORE}:name.givenName`, target: { attr: p('name', 'givenName', CORE) } },
    {
      source: `${CORE}:emails[type eq "work"].value`,
      target: { attr: p('emails', undefined, CORE), filter: cmp('type', 'eq', 'work'), subAfterFilter: 'value' },
    },
  ];

  it.each(PATHS)('$source', ({ source, target }) => {
    expect(parsePath(source)).toStrictEqual(target);
  });

  const ERRORS: ErrorCase[] = [
    { source: '', error: 'invalid path: the path is empty' },
    { source: ENT, error: `at position 1: "${ENT}" names a schema, not an attribute` },
    { source: CORE, error: 'names a schema, not an attribute' },
    { source: 'members[value eq "x"', error: 'at position 21: expected "]" to close "[" at position 8 but the path ended' },
    {
      source: 'members[value eq]',
      error: 'at position 17: expected a value (a quoted string, number, true, false or null) after "eq" but found "]"',
    },
    { source: 'members[value eq "x"]value', error: 'at position 22: expected "." and a sub-attribute name after "]" but found "value"' },
    { source: 'members[value eq "x"].', error: 'expected "." and a sub-attribute name after "]" but found "."' },
    { source: 'members[value eq "x"].a.b', error: 'found ".a.b"' },
    { source: 'members[value eq "x"][type pr]', error: 'at position 22: unexpected "[" after the attribute path' },
    { source: 'name givenName', error: 'at position 6: unexpected "givenName" after the attribute path' },
    { source: 'name.givenName[value eq "x"]', error: 'a value filter must follow an attribute, not the sub-attribute "name.givenName"' },
    { source: '[value eq "x"]', error: 'at position 1: expected an attribute path' },
    { source: 'members[emails[type pr]]', error: 'at position 15: value filters cannot be nested' },
    { source: 'a.b.c', error: 'invalid attribute path "a.b.c"' },
    { source: 'members[value eq "x"', error: 'invalid path at position 21' },
  ];

  it.each(ERRORS)('rejects $source', ({ source, error }) => {
    const e = caught(() => parsePath(source));
    expect(e.status).toBe(400);
    expect(e.scimType).toBe('invalidPath');
    expect(e.detail).toContain(error);
  });
});
