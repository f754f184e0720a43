import { describe, expect, it } from 'vitest';
import {
  MAX_REDACT_DEPTH,
  redactHeaders,
  redactUnparsed,
  redactUrl,
  redactValue,
  scrubCredentials,
  serializeBody,
} from '../../../server/events/redact.js';

const S = new Set(['password', 'employeenumber']);
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';

describe('redactValue', () => {
  it.each([
    [
      'mixed-case keys',
      { Operations: [{ op: 'replace', PATH: 'Password', VALUE: 's1' }] },
      { Operations: [{ op: 'replace', PATH: 'Password', VALUE: '[REDACTED] password' }] },
    ],
    [
      'both spellings of a member',
      { path: 'displayName', Path: 'password', value: 's2', Value: 's3' },
      { path: 'displayName', Path: 'password', value: '[REDACTED] password', Value: '[REDACTED] password' },
    ],
    [
      'a filter-valued path',
      { op: 'remove', path: 'employeeNumber[value eq "s4"]' },
      { op: 'remove', path: 'employeeNumber[value eq "[REDACTED]"]' },
    ],
    ['a padded member name', { ' password ': 's5' }, { ' password ': '[REDACTED] password' }],
    [
      'a nested extension value',
      { value: { 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { employeeNumber: 's6' } } },
      { value: { 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { employeeNumber: '[REDACTED] employeenumber' } } },
    ],
    ['a URN-qualified key', { [`${USER}:password`]: 's7' }, { [`${USER}:password`]: '[REDACTED] password' }],
    [
      'arrays of operations',
      [{ op: 'add', path: 'password', value: { x: 's8' } }],
      [{ op: 'add', path: 'password', value: '[REDACTED] password' }],
    ],
  ])('masks %s', (_name, input, expected) => {
    expect(redactValue(input, S)).toEqual(expected);
  });

  it('is iterative and bounded: 100,000 levels neither throw nor keep the depth', () => {
    let v: unknown = 1;
    for (let i = 0; i < 100_000; i++) v = { x: v };
    const out = redactValue(v, S);
    const text = JSON.stringify(out);
    expect(text).toContain(`[OMITTED: nested deeper than ${MAX_REDACT_DEPTH} levels]`);
    expect(text.length).toBeLessThan(1000);
  });
});

describe('redactUnparsed', () => {
  it.each([
    ['{"userName":"t","password":"s1', '{"userName":"t","password":"[REDACTED] password"'],
    ['{"pass\\u0077ord":"s2",}', '{"pass\\u0077ord":"[REDACTED] password",}'],
    ['{"password": s3 }', '{"password": "[REDACTED] password" }'],
    ["{'password':'s4'}", `{'password':"[REDACTED] password"}`],
    ['{"password":', '{"password":"[REDACTED] password"'],
    ['{"password":{"x":"s6"},}', '{"password":"[REDACTED] password",}'],
    ['{"password":["s7", {"y":"s8"', '{"password":"[REDACTED] password"'],
  ])('%s', (input, out) => {
    expect(redactUnparsed(input, S)).toBe(out);
  });

  it('masks every value when a sensitive name appears as a path', () => {
    const text = '{"Operations":[{"value":"s5","path":"password"}';
    const out = redactUnparsed(text, S);
    expect(out).not.toContain('s5');
    expect(out).toContain('"path":"password"');
  });
});

describe('redactUrl', () => {
  it.each([
    ['/Users?access_token=abc&count=2', '/Users?access_token=[REDACTED]&count=2'],
    ['/Users?ACCESS_TOKEN=abc', '/Users?ACCESS_TOKEN=[REDACTED]'],
    ['/token?client_secret=x&code=y', '/token?client_secret=[REDACTED]&code=[REDACTED]'],
    ['/Users?acc%65ss_token=abc', '/Users?acc%65ss_token=[REDACTED]'],
    ['/Users?filter=userName%20eq%20%22a%22', '/Users?filter=userName%20eq%20%22a%22'],
    ['/Users?filter=password%20eq%20%22s%22', `/Users?filter=${encodeURIComponent('password eq "[REDACTED]"')}`],
    ['/Users', '/Users'],
  ])('%s → %s', (url, out) => {
    expect(redactUrl(url, S)).toBe(out);
  });
});

describe('redactHeaders', () => {
  it('stores response headers as text (numbers, lists) and masks credentials, in one pass', () => {
    // The shape res.getHeaders() returns: a number for Content-Length, a list for repeated headers.
    const stored = redactHeaders({
      'content-length': 504,
      'set-cookie': ['a=1', 'b=2'],
      'www-authenticate': 'Bearer realm="scim"',
      Authorization: 'Bearer scimdesk_0123456789ab_secret',
      etag: 'W/"3"',
      gone: undefined,
    });
    expect(stored).toEqual({
      'content-length': '504',
      'set-cookie': '[REDACTED]',
      'www-authenticate': 'Bearer realm="scim"',
      authorization: 'Bearer [REDACTED]',
      etag: 'W/"3"',
    });
  });
});

describe('scrubCredentials and serializeBody', () => {
  const token = `scimdesk_0123456789ab_${'s'.repeat(43)}`;
  it('keeps a text without credential shapes as the same string', () => {
    const text = '{"id":"0190a","userName":"scimdesk_user@example.com","sdat":"x"}';
    expect(scrubCredentials(text)).toBe(text);
  });
  it('masks each credential shape wherever it sits', () => {
    expect(scrubCredentials(`/Users/${token}?x=sdat_${'a'.repeat(20)}&y=sdcs_${'b'.repeat(16)}`)).toBe(
      '/Users/scimdesk_0123456789ab_[REDACTED]?x=sdat_[REDACTED]&y=sdcs_[REDACTED]',
    );
  });
  it('cuts at the cap by UTF-8 bytes, also when the text is short in characters', () => {
    expect(serializeBody('ab', 6)).toBe('ab');
    // 3 characters of 3 bytes each: 9 bytes over a cap of 6.
    expect(serializeBody('€€€', 6)).toBe('€€\n[TRUNCATED: 9 bytes, first 6 stored]');
    expect(serializeBody(`{"t":"${token}"}`, 1000)).toBe('{"t":"scimdesk_0123456789ab_[REDACTED]"}');
  });
});
