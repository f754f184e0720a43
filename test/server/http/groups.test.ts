import { describe, expect, it } from 'vitest';
import { GROUP, PATCH_OP, type TestNode, testNode } from '../../helpers/node.js';
import { createGroup, createUser, expectError, groupRow, resource, SCIM_JSON } from './http-helpers.js';

const memberRows = (t: TestNode, groupId: string) => ({
  users: t.db.prepare('SELECT user_id FROM group_users WHERE group_id = ? ORDER BY user_id').all(groupId),
  groups: t.db.prepare('SELECT member_group_id FROM group_groups WHERE group_id = ? ORDER BY member_group_id').all(groupId),
});

const patch = (t: TestNode, id: string, Operations: unknown[], query = '') =>
  t.scim('PATCH', `/Groups/${id}${query}`, { schemas: [PATCH_OP], Operations });

describe('POST /Groups', () => {
  it('creates a group with user and group members', async () => {
    const t = await testNode();
    const u = await createUser(t, 'ann', { displayName: 'Ann A.' });
    const sub = await createGroup(t, 'Sub');
    const res = await t.scim('POST', '/Groups', {
      schemas: [GROUP],
      displayName: 'Parent',
      externalId: 'p-1',
      members: [{ value: u.id }, { value: sub.id, type: 'Group' }],
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toBe(SCIM_JSON);
    const g = resource(res);
    expect(res.headers.get('location')).toBe(`${t.base}/Groups/${g.id}`);
    expect(res.headers.get('etag')).toBe('W/"1"');
    expect(g).toStrictEqual({
      schemas: [GROUP],
      id: g.id,
      displayName: 'Parent',
      externalId: 'p-1',
      members: [
        { value: u.id, $ref: `${t.base}/Users/${u.id}`, display: 'Ann A.', type: 'User' },
        { value: sub.id, $ref: `${t.base}/Groups/${sub.id}`, display: 'Sub', type: 'Group' },
      ],
      meta: {
        resourceType: 'Group',
        created: g.meta.created,
        lastModified: g.meta.created,
        location: `${t.base}/Groups/${g.id}`,
        version: 'W/"1"',
      },
    });
    expect(memberRows(t, g.id)).toEqual({ users: [{ user_id: u.id }], groups: [{ member_group_id: sub.id }] });
    expect(JSON.parse(String(groupRow(t, g.id)?.data))).toStrictEqual({ displayName: 'Parent', externalId: 'p-1' });
  });

  it('rejects members that do not exist and a group nested in itself', async () => {
    const t = await testNode();
    const missing = await t.scim('POST', '/Groups', { schemas: [GROUP], displayName: 'X', members: [{ value: 'nobody' }] });
    expectError(missing, 400, 'invalidValue', /member "nobody" does not exist/);
    expect(t.db.prepare('SELECT count(*) AS n FROM groups').get()).toEqual({ n: 0 });
    const a = await createGroup(t, 'A');
    const b = await createGroup(t, 'B', [a.id]);
    expectError(await patch(t, a.id, [{ op: 'add', path: 'members', value: [{ value: b.id }] }]), 400, 'invalidValue', /member of itself/);
    expectError(await patch(t, a.id, [{ op: 'add', path: 'members', value: [{ value: a.id }] }]), 400, 'invalidValue', /member of itself/);
    expect(memberRows(t, a.id)).toEqual({ users: [], groups: [] });
  });
});

describe('GET /Groups/:id', () => {
  it('supports excludedAttributes=members and attributes=displayName', async () => {
    const t = await testNode();
    const u = await createUser(t, 'm');
    const g = await createGroup(t, 'Team', [u.id]);
    const full = await t.scim('GET', `/Groups/${g.id}`);
    expect(full.body).toStrictEqual({ ...g });
    expect(full.headers.get('etag')).toBe('W/"1"');
    const noMembers = await t.scim('GET', `/Groups/${g.id}?excludedAttributes=members`);
    const { members: _, ...rest } = g;
    expect(noMembers.body).toStrictEqual(rest);
    const only = await t.scim('GET', `/Groups/${g.id}?attributes=displayName`);
    expect(only.body).toStrictEqual({ schemas: [GROUP], id: g.id, displayName: 'Team' });
    const sub = await t.scim('GET', `/Groups/${g.id}?attributes=members.value`);
    expect(sub.body).toStrictEqual({ schemas: [GROUP], id: g.id, members: [{ value: u.id }] });
  });
});

describe('PUT /Groups/:id', () => {
  it('replaces the member list and the attributes', async () => {
    const t = await testNode();
    const [a, b, c] = [await createUser(t, 'a'), await createUser(t, 'b'), await createUser(t, 'c')];
    const g = await createGroup(t, 'Team', [a.id, b.id]);
    const res = await t.scim('PUT', `/Groups/${g.id}`, {
      schemas: [GROUP],
      displayName: 'Team 2',
      members: [{ value: b.id }, { value: c.id }],
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe('W/"2"');
    const body = resource(res);
    expect([body.displayName, (body.members as { value: string }[]).map((m) => m.value).sort()]).toEqual(['Team 2', [b.id, c.id].sort()]);
    expect(memberRows(t, g.id).users).toEqual([{ user_id: b.id }, { user_id: c.id }].sort((x, y) => x.user_id.localeCompare(y.user_id)));
    expect(groupRow(t, g.id)).toMatchObject({ display_name: 'Team 2', version: 2 });
  });
});

describe('PATCH /Groups/:id', () => {
  it('answers 204 without a body, with the new ETag', async () => {
    const t = await testNode();
    const u = await createUser(t, 'u');
    const g = await createGroup(t, 'G');
    const res = await patch(t, g.id, [{ op: 'add', path: 'members', value: [{ value: u.id }] }]);
    expect([res.status, res.text, res.headers.get('etag'), res.headers.get('content-type')]).toEqual([204, '', 'W/"2"', null]);
    expect(memberRows(t, g.id).users).toEqual([{ user_id: u.id }]);
    expect(groupRow(t, g.id)).toMatchObject({ version: 2 });
  });

  it('answers 200 with the resource when attributes are requested', async () => {
    const t = await testNode();
    const u = await createUser(t, 'u');
    const g = await createGroup(t, 'G');
    const res = await patch(t, g.id, [{ op: 'add', path: 'members', value: [{ value: u.id }] }], '?attributes=members');
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe('W/"2"');
    expect(res.body).toStrictEqual({
      schemas: [GROUP],
      id: g.id,
      members: [{ value: u.id, $ref: `${t.base}/Users/${u.id}`, display: 'u', type: 'User' }],
    });
    const ex = await patch(t, g.id, [{ op: 'replace', path: 'displayName', value: 'G2' }], '?excludedAttributes=members');
    expect(ex.status).toBe(200);
    expect(resource(ex)).toMatchObject({ displayName: 'G2', meta: { version: 'W/"3"' } });
    expect('members' in resource(ex)).toBe(false);
  });

  it('removes members by value filter, by path-less list, and all at once', async () => {
    const t = await testNode();
    const [a, b, c] = [await createUser(t, 'a'), await createUser(t, 'b'), await createUser(t, 'c')];
    const g = await createGroup(t, 'G', [a.id, b.id, c.id]);
    expect((await patch(t, g.id, [{ op: 'remove', path: `members[value eq "${a.id}"]` }])).status).toBe(204);
    expect(memberRows(t, g.id).users.length).toBe(2);
    expect((await patch(t, g.id, [{ op: 'remove', path: 'members', value: [{ value: b.id }] }])).status).toBe(204);
    expect(memberRows(t, g.id).users).toEqual([{ user_id: c.id }]);
    expect((await patch(t, g.id, [{ op: 'remove', path: 'members' }])).status).toBe(204);
    expect(memberRows(t, g.id)).toEqual({ users: [], groups: [] });
    expect(groupRow(t, g.id)).toMatchObject({ version: 4 });
  });

  it('replace members swaps the whole list; re-adding a member changes nothing', async () => {
    const t = await testNode();
    const [a, b] = [await createUser(t, 'a'), await createUser(t, 'b')];
    const g = await createGroup(t, 'G', [a.id]);
    const same = await patch(t, g.id, [{ op: 'add', path: 'members', value: [{ value: a.id }] }]);
    expect([same.status, same.headers.get('etag')]).toEqual([204, 'W/"1"']);
    const res = await patch(t, g.id, [{ op: 'replace', path: 'members', value: [{ value: b.id }] }]);
    expect([res.status, res.headers.get('etag')]).toEqual([204, 'W/"2"']);
    expect(memberRows(t, g.id).users).toEqual([{ user_id: b.id }]);
  });

  it('renames with a path-less replace', async () => {
    const t = await testNode();
    const g = await createGroup(t, 'Old');
    const res = await patch(t, g.id, [{ op: 'replace', value: { displayName: 'New', externalId: 'e-1' } }]);
    expect(res.status).toBe(204);
    expect(groupRow(t, g.id)).toMatchObject({ display_name: 'New', external_id: 'e-1', version: 2 });
  });
});

describe('DELETE /Groups/:id', () => {
  it('cascades membership rows in both directions and keeps the users', async () => {
    const t = await testNode();
    const u = await createUser(t, 'stay');
    const child = await createGroup(t, 'Child', [u.id]);
    const g = await createGroup(t, 'Doomed', [u.id, child.id]);
    const parent = await createGroup(t, 'Parent', [g.id]);
    const res = await t.scim('DELETE', `/Groups/${g.id}`);
    expect([res.status, res.text]).toEqual([204, '']);
    expectError(await t.scim('GET', `/Groups/${g.id}`), 404, undefined, /not found/);
    expect(memberRows(t, g.id)).toEqual({ users: [], groups: [] });
    expect(memberRows(t, parent.id)).toEqual({ users: [], groups: [] });
    expect(t.db.prepare('SELECT count(*) AS n FROM group_groups WHERE member_group_id = ?').get(g.id)).toEqual({ n: 0 });
    expect((await t.scim('GET', `/Users/${u.id}`)).status).toBe(200);
    const groups = resource(await t.scim('GET', `/Users/${u.id}`)).groups as { value: string; type: string }[];
    expect(groups.map((x) => [x.value, x.type])).toEqual([[child.id, 'direct']]);
  });

  it('deleting a user removes it from every group', async () => {
    const t = await testNode();
    const u = await createUser(t, 'leaver');
    const g = await createGroup(t, 'G', [u.id]);
    expect((await t.scim('DELETE', `/Users/${u.id}`)).status).toBe(204);
    expect(memberRows(t, g.id).users).toEqual([]);
    expect(resource(await t.scim('GET', `/Groups/${g.id}`)).members).toEqual([]);
  });
});
