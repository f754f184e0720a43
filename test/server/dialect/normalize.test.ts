import { describe, expect, it } from 'vitest';
import { normalizeRequest, routeOf } from '../../../server/dialect/normalize.js';

describe('routeOf', () => {
  it.each([
    ['/Users', { route: 'Users' }],
    ['/users/', { route: 'Users' }],
    ['/Users/abc', { route: 'Users/:id', id: 'abc' }],
    ['/GROUPS/a%20b', { route: 'Groups/:id', id: 'a b' }],
    ['/Users/.search', { route: 'other' }],
    ['/Users/a/b', { route: 'other' }],
    ['/Schemas', { route: 'other' }],
  ])('%s', (path, want) => {
    expect(routeOf(path)).toEqual(want);
  });
});

describe('normalizeRequest', () => {
  it('corrects the filter of a list query and nothing else', () => {
    const notes: string[] = [];
    const out = normalizeRequest(
      { method: 'GET', route: 'Users', body: undefined, query: { filter: 'externalId eq jyoung', aadOptscim062020: '' } },
      notes,
    );
    expect(out.query).toEqual({ filter: 'externalId eq "jyoung"', aadOptscim062020: '' });
    expect(notes).toEqual(['filter value unquoted: externalId eq jyoung read as "jyoung"']);
  });
  it('corrects POST and PUT bodies by resource type', () => {
    const notes: string[] = [];
    const body = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'a', active: 'False' };
    expect(normalizeRequest({ method: 'post', route: 'Users', body, query: {} }, notes).body).toEqual({ ...body, active: false });
    expect(normalizeRequest({ method: 'PUT', route: 'Users/:id', id: 'u1', body, query: {} }, notes).body).toEqual({
      ...body,
      active: false,
    });
    expect(notes).toEqual(['active "False" read as false', 'active "False" read as false']);
  });
  it('corrects PATCH bodies with the id from the URL', () => {
    const notes: string[] = [];
    const body = {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', value: { id: 'g1', displayName: 'x' } }],
    };
    const out = normalizeRequest({ method: 'PATCH', route: 'Groups/:id', id: 'g1', body, query: {} }, notes);
    expect(out.body).toEqual({ schemas: body.schemas, Operations: [{ op: 'replace', value: { displayName: 'x' } }] });
  });
  it.each([
    ['DELETE', 'Users/:id'],
    ['GET', 'Users/:id'],
    ['POST', 'Users/:id'],
    ['PATCH', 'Users'],
    ['POST', 'other'],
  ] as const)('leaves %s %s alone', (method, route) => {
    const notes: string[] = [];
    const body = { schemas: [], Operations: [{ op: 'Replace', path: 'active', value: 'False' }], active: 'False' };
    const out = normalizeRequest({ method, route, id: 'x', body, query: { filter: 'a eq b' } }, notes);
    expect(out.body).toBe(body);
    expect(notes).toEqual([]);
  });
});
