import { describe, expect, it } from 'vitest';
import { routeOf } from '../../../server/dialect/normalize.js';
import { splitScimPath } from '../../../server/scim/url-path.js';

/** The one reading of a SCIM URL path; the router and the dialect layer both use it. */
describe('splitScimPath', () => {
  it.each([
    ['/', { type: '' }],
    ['/Users', { type: 'users' }],
    ['/users/', { type: 'users' }],
    ['/.search', { type: '.search' }],
    ['/Users/abc', { type: 'users', sub: 'abc' }],
    ['/Users/abc/', { type: 'users', sub: 'abc' }],
    ['/GROUPS/a%20b', { type: 'groups', sub: 'a%20b' }],
    ['/Users/.search', { type: 'users', sub: '.search' }],
    ['/Users/a/b', undefined],
    ['/Users//', undefined],
    ['//Users', { type: '', sub: 'Users' }],
  ])('%s', (path, want) => {
    expect(splitScimPath(path)).toEqual(want);
  });

  it('gives the dialect layer the routes the router serves', () => {
    expect(routeOf('/Users/abc/')).toEqual({ route: 'Users/:id', id: 'abc' });
    expect(routeOf('//Users')).toEqual({ route: 'other' });
    expect(routeOf('/Users//')).toEqual({ route: 'other' });
    expect(() => routeOf('/Users/%E0%A4%A')).toThrow(URIError);
  });
});
