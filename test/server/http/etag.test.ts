import { describe, expect, it } from 'vitest';
import { GROUP, PATCH_OP, type TestNode, testNode, USER } from '../../helpers/node.js';
import { createGroup, createUser, expectError, groupRow, resource, userRow } from './http-helpers.js';

const replaceTitle = (title: string) => ({ schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: title }] });

describe('ETag header equals meta.version', () => {
  it('on every User response, and moves with each write', async () => {
    const t = await testNode();
    const post = await t.scim('POST', '/Users', { schemas: [USER], userName: 'e' });
    const u = resource(post);
    expect([post.headers.get('etag'), u.meta.version]).toEqual(['W/"1"', 'W/"1"']);
    const put = await t.scim('PUT', `/Users/${u.id}`, { schemas: [USER], userName: 'e', title: 'a' });
    expect([put.headers.get('etag'), resource(put).meta.version]).toEqual(['W/"2"', 'W/"2"']);
    const patch = await t.scim('PATCH', `/Users/${u.id}`, replaceTitle('b'));
    expect([patch.headers.get('etag'), resource(patch).meta.version]).toEqual(['W/"3"', 'W/"3"']);
    const get = await t.scim('GET', `/Users/${u.id}`);
    expect([get.headers.get('etag'), resource(get).meta.version]).toEqual(['W/"3"', 'W/"3"']);
    expect(userRow(t, u.id)?.version).toBe(3);
  });

  it('on every Group response', async () => {
    const t = await testNode();
    const g = await createGroup(t, 'E');
    const put = await t.scim('PUT', `/Groups/${g.id}`, { schemas: [GROUP], displayName: 'E2' });
    expect([put.headers.get('etag'), resource(put).meta.version]).toEqual(['W/"2"', 'W/"2"']);
    const get = await t.scim('GET', `/Groups/${g.id}`);
    expect([get.headers.get('etag'), resource(get).meta.version]).toEqual(['W/"2"', 'W/"2"']);
  });

  it('Location and ETag survive an attributes projection that drops meta', async () => {
    const t = await testNode();
    const post = await t.scim('POST', '/Users?attributes=userName', { schemas: [USER], userName: 'proj' });
    const u = resource(post);
    expect(post.body).toStrictEqual({ schemas: [USER], id: u.id, userName: 'proj' });
    expect([post.headers.get('location'), post.headers.get('etag')]).toEqual([`${t.base}/Users/${u.id}`, 'W/"1"']);
    const get = await t.scim('GET', `/Users/${u.id}?attributes=userName`);
    expect(get.headers.get('etag')).toBe('W/"1"');
    const patch = await t.scim('PATCH', `/Users/${u.id}?attributes=title`, replaceTitle('t'));
    expect([patch.body, patch.headers.get('etag')]).toEqual([{ schemas: [USER], id: u.id, title: 't' }, 'W/"2"']);
    const put = await t.scim('PUT', `/Users/${u.id}?excludedAttributes=meta`, { schemas: [USER], userName: 'proj' });
    expect([put.body, put.headers.get('etag')]).toEqual([{ schemas: [USER], id: u.id, userName: 'proj' }, 'W/"3"']);
    const gpost = await t.scim('POST', '/Groups?attributes=displayName', { schemas: [GROUP], displayName: 'P' });
    const g = resource(gpost);
    expect([gpost.headers.get('location'), gpost.headers.get('etag')]).toEqual([`${t.base}/Groups/${g.id}`, 'W/"1"']);
    expect((await t.scim('GET', `/Groups/${g.id}?attributes=displayName`)).headers.get('etag')).toBe('W/"1"');
    const gpatch = await t.scim('PATCH', `/Groups/${g.id}?attributes=displayName`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', path: 'displayName', value: 'P2' }],
    });
    expect([gpatch.status, gpatch.body, gpatch.headers.get('etag')]).toEqual([
      200,
      { schemas: [GROUP], id: g.id, displayName: 'P2' },
      'W/"2"',
    ]);
  });
});

describe('If-Match', () => {
  const setup = async (): Promise<{ t: TestNode; id: string; gid: string }> => {
    const t = await testNode();
    const u = await createUser(t, 'm', { title: 'orig' });
    await t.scim('PATCH', `/Users/${u.id}`, replaceTitle('v2'));
    const g = await createGroup(t, 'G');
    return { t, id: u.id, gid: g.id };
  };

  it('a stale version is 412 and changes nothing', async () => {
    const { t, id, gid } = await setup();
    const stale = { 'if-match': 'W/"1"' };
    const before = userRow(t, id);
    expectError(await t.scim('PUT', `/Users/${id}`, { schemas: [USER], userName: 'm2' }, stale), 412, undefined, /does not match If-Match/);
    expectError(await t.scim('PATCH', `/Users/${id}`, replaceTitle('x'), stale), 412, undefined, /does not match/);
    expectError(await t.scim('DELETE', `/Users/${id}`, undefined, stale), 412, undefined, /does not match/);
    expect(userRow(t, id)).toEqual(before);
    const gstale = { 'if-match': 'W/"7"' };
    expectError(await t.scim('PUT', `/Groups/${gid}`, { schemas: [GROUP], displayName: 'H' }, gstale), 412, undefined, /does not match/);
    expectError(
      await t.scim(
        'PATCH',
        `/Groups/${gid}`,
        { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'displayName', value: 'H' }] },
        gstale,
      ),
      412,
      undefined,
      /does not match/,
    );
    expectError(await t.scim('DELETE', `/Groups/${gid}`, undefined, gstale), 412, undefined, /does not match/);
    expect(groupRow(t, gid)).toMatchObject({ display_name: 'G', version: 1 });
  });

  it('the current version, a strong form of it, a list containing it, or * succeeds', async () => {
    const { t, id, gid } = await setup();
    expect((await t.scim('PATCH', `/Users/${id}`, replaceTitle('a'), { 'if-match': 'W/"2"' })).status).toBe(200);
    expect((await t.scim('PATCH', `/Users/${id}`, replaceTitle('b'), { 'if-match': '"3"' })).status).toBe(200);
    expect((await t.scim('PATCH', `/Users/${id}`, replaceTitle('c'), { 'if-match': 'W/"1", W/"4"' })).status).toBe(200);
    expect((await t.scim('PUT', `/Users/${id}`, { schemas: [USER], userName: 'm' }, { 'if-match': '*' })).status).toBe(200);
    expect(userRow(t, id)?.version).toBe(6);
    expect((await t.scim('DELETE', `/Groups/${gid}`, undefined, { 'if-match': 'W/"1"' })).status).toBe(204);
    expect((await t.scim('DELETE', `/Users/${id}`, undefined, { 'if-match': 'W/"6"' })).status).toBe(204);
  });
});

describe('If-None-Match', () => {
  it('a matching version is 304 with no body; a different one is 200', async () => {
    const t = await testNode();
    const u = await createUser(t, 'n');
    const g = await createGroup(t, 'N');
    for (const path of [`/Users/${u.id}`, `/Groups/${g.id}`]) {
      const hit = await t.scim('GET', path, undefined, { 'if-none-match': 'W/"1"' });
      expect([hit.status, hit.text, hit.headers.get('etag')]).toEqual([304, '', 'W/"1"']);
      const miss = await t.scim('GET', path, undefined, { 'if-none-match': 'W/"0"' });
      expect([miss.status, resource(miss).id]).toEqual([200, path.split('/')[2]]);
    }
    await t.scim('PATCH', `/Users/${u.id}`, replaceTitle('x'));
    const after = await t.scim('GET', `/Users/${u.id}`, undefined, { 'if-none-match': 'W/"1"' });
    expect([after.status, after.headers.get('etag')]).toEqual([200, 'W/"2"']);
  });
});
