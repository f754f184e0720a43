import { describe, expect, it } from 'vitest';
import { MAX_REDACT_DEPTH, redactUnparsed, redactUrl, redactValue } from '../../../server/events/redact.js';

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
