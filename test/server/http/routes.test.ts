import { describe, expect, it } from 'vitest';
import { ERROR, testNode, USER } from '../../helpers/node.js';

/**
 * The SCIM route table: case-insensitive paths with an optional trailing slash, HEAD answered as
 * GET, and every path or method it does not serve answered with a SCIM 404 (after the guard).
 */
describe('route table', () => {
  const notFound = (method: string, path: string) => ({
    schemas: [ERROR],
    status: '404',
    detail: `no SCIM endpoint at ${method} /api/scim/v2${path}`,
  });

  it.each([
    ['GET', '/users', 200],
    ['GET', '/Users/', 200],
    ['GET', '/USERS?count=1', 200],
    ['GET', '/groups/', 200],
    ['GET', '/serviceproviderconfig', 200],
    ['GET', '/ResourceTypes/user', 200],
    ['GET', '/Schemas/', 200],
    ['GET', '/Bulk', 501],
    ['POST', '/bulk/', 501],
    ['GET', '/Me', 501],
  ])('%s %s → %i', async (method, path, status) => {
    const t = await testNode();
    expect((await t.scim(method, path)).status).toBe(status);
  });

  it.each([
    ['GET', '/'],
    ['GET', '/Widgets'],
    ['DELETE', '/Users'],
    ['POST', '/Users/abc'],
    ['GET', '/Users/abc/def'],
    ['GET', '/Users//'],
    ['PUT', '/ServiceProviderConfig'],
    ['GET', '/Bulk/jobs'],
    ['OPTIONS', '/Users'],
  ])('%s %s → SCIM 404', async (method, path) => {
    const t = await testNode();
    const r = await t.scim(method, path);
    expect(r.status).toBe(404);
    expect(r.body).toEqual(notFound(method, path));
  });

  it('reads the id case as sent, decodes it, and prefers .search over an id', async () => {
    const t = await testNode();
    const made = await t.scim('POST', '/Users', { schemas: [USER], userName: 'route@example.com' });
    const id = String(made.body?.id);
    expect((await t.scim('GET', `/users/${id}/`)).body?.id).toBe(id);
    expect((await t.scim('GET', `/Users/${id.toUpperCase()}`)).status).toBe(404);
    expect((await t.scim('GET', `/Users/${encodeURIComponent(id)}`)).status).toBe(200);
    expect((await t.scim('GET', '/Users/%E0%A4%A')).body).toMatchObject({ status: '400' });
    const search = await t.scim('POST', '/Users/.SEARCH', { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'] });
    expect(search.body?.totalResults).toBe(1);
  });

  it('answers HEAD like GET, without a body', async () => {
    const t = await testNode();
    const r = await fetch(`${t.base}/ServiceProviderConfig`, { method: 'HEAD', headers: { authorization: `Bearer ${t.token}` } });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/scim+json; charset=utf-8');
    expect(await r.text()).toBe('');
  });

  it('asks for a token before it says whether an endpoint exists', async () => {
    const t = await testNode();
    const r = await fetch(`${t.base}/Widgets`);
    expect(r.status).toBe(401);
  });
});
