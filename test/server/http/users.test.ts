import { describe, expect, it } from 'vitest';
import { ENTERPRISE, PATCH_OP, type TestNode, testNode, USER } from '../../helpers/node.js';
import { createGroup, createUser, expectError, groupRow, resource, SCIM_JSON, userRow } from './http-helpers.js';

/** A clock the test moves by hand, so every write gets a known timestamp. */
function manualClock(): { now: () => Date; set(iso: string): void } {
  let at = new Date('2024-01-01T00:00:01.000Z');
  return { now: () => at, set: (iso) => (at = new Date(iso)) };
}

const ALICE = {
  schemas: [USER, ENTERPRISE],
  userName: 'alice@example.com',
  externalId: 'A-1',
  name: { givenName: 'Alice', familyName: 'Archer' },
  title: 'Engineer',
  emails: [{ value: 'alice@example.com', type: 'work', primary: true }],
  [ENTERPRISE]: { employeeNumber: '1001' },
};

describe('POST /Users', () => {
  it('creates a user: 201, Location, ETag, scim+json, meta', async () => {
    const t = await testNode({ now: manualClock().now });
    const res = await t.scim('POST', '/Users', ALICE);
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toBe(SCIM_JSON);
    const u = resource(res);
    expect(u.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(u).toStrictEqual({
      schemas: [USER, ENTERPRISE],
      id: u.id,
      userName: 'alice@example.com',
      externalId: 'A-1',
      name: { givenName: 'Alice', familyName: 'Archer' },
      title: 'Engineer',
      emails: [{ value: 'alice@example.com', type: 'work', primary: true }],
      [ENTERPRISE]: { employeeNumber: '1001' },
      meta: {
        resourceType: 'User',
        created: '2024-01-01T00:00:01.000Z',
        lastModified: '2024-01-01T00:00:01.000Z',
        location: `${t.base}/Users/${u.id}`,
        version: 'W/"1"',
      },
    });
    expect(res.headers.get('location')).toBe(`${t.base}/Users/${u.id}`);
    expect(res.headers.get('etag')).toBe('W/"1"');
    expect(userRow(t, u.id)).toMatchObject({ user_name: 'alice@example.com', external_id: 'A-1', active: 1, version: 1 });
  });

  it('accepts application/json request bodies', async () => {
    const t = await testNode();
    const res = await t.scim('POST', '/Users', { schemas: [USER], userName: 'json' }, { 'content-type': 'application/json' });
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toBe(SCIM_JSON);
    expect(resource(res).userName).toBe('json');
  });

  it('ignores client-supplied id and meta (readOnly)', async () => {
    const t = await testNode();
    const res = await t.scim('POST', '/Users', {
      schemas: [USER],
      userName: 'x',
      id: 'mine',
      meta: { created: '2000-01-01T00:00:00Z', version: 'W/"9"' },
    });
    expect(res.status).toBe(201);
    const u = resource(res);
    expect(u.id).not.toBe('mine');
    expect(u.meta.version).toBe('W/"1"');
    expect(u.meta.created).not.toBe('2000-01-01T00:00:00Z');
  });
});

describe('GET /Users/:id', () => {
  it('returns the stored user with ETag equal to meta.version', async () => {
    const t = await testNode();
    const created = await createUser(t, 'bob', { active: false });
    const res = await t.scim('GET', `/Users/${created.id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(SCIM_JSON);
    expect(res.body).toStrictEqual({ ...created });
    expect(res.headers.get('etag')).toBe(resource(res).meta.version);
  });

  it('deleted users are 404 and leave a tombstone', async () => {
    const t = await testNode();
    const u = await createUser(t, 'gone');
    const del = await t.scim('DELETE', `/Users/${u.id}`);
    expect([del.status, del.text]).toEqual([204, '']);
    expectError(await t.scim('GET', `/Users/${u.id}`), 404, undefined, /not found/);
    expect(userRow(t, u.id)).toBeUndefined();
    expect(t.db.prepare('SELECT user_name FROM user_tombstones WHERE id = ?').get(u.id)).toEqual({ user_name: 'gone' });
    expectError(await t.scim('DELETE', `/Users/${u.id}`), 404, undefined, /not found/);
  });
});

describe('PUT /Users/:id', () => {
  it('replaces the resource: omitted attributes are cleared, version and lastModified move', async () => {
    const clock = manualClock();
    const t = await testNode({ now: clock.now });
    const u = resource(await t.scim('POST', '/Users', ALICE));
    clock.set('2024-01-01T00:00:02.000Z');
    const res = await t.scim('PUT', `/Users/${u.id}`, { schemas: [USER], userName: 'alice@example.com', displayName: 'Al' });
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe('W/"2"');
    expect(res.body).toStrictEqual({
      schemas: [USER],
      id: u.id,
      userName: 'alice@example.com',
      displayName: 'Al',
      meta: { ...u.meta, lastModified: '2024-01-01T00:00:02.000Z', version: 'W/"2"' },
    });
    const row = userRow(t, u.id);
    expect(row).toMatchObject({ external_id: null, version: 2, last_modified: '2024-01-01T00:00:02.000Z' });
    expect(JSON.parse(String(row?.data))).toStrictEqual({ userName: 'alice@example.com', displayName: 'Al' });
  });

  it('PUT with "groups": [] keeps memberships (groups is readOnly)', async () => {
    const t = await testNode();
    const u = await createUser(t, 'member');
    const g = await createGroup(t, 'Staff', [u.id]);
    const other = await createGroup(t, 'Other');
    const res = await t.scim('PUT', `/Users/${u.id}`, { schemas: [USER], userName: 'member', groups: [] });
    expect(res.status).toBe(200);
    expect(resource(res).groups).toEqual([{ value: g.id, $ref: `${t.base}/Groups/${g.id}`, display: 'Staff', type: 'direct' }]);
    const res2 = await t.scim('PUT', `/Users/${u.id}`, { schemas: [USER], userName: 'member', groups: [{ value: other.id }] });
    expect((resource(res2).groups as { value: string }[]).map((x) => x.value)).toEqual([g.id]);
    expect(t.db.prepare('SELECT group_id FROM group_users WHERE user_id = ?').all(u.id)).toEqual([{ group_id: g.id }]);
  });
});

describe('PATCH /Users/:id', () => {
  it('applies operations and returns 200 with the resource', async () => {
    const t = await testNode();
    const u = await createUser(t, 'p', { title: 'Old', emails: [{ value: 'p@x.org', type: 'work' }] });
    const res = await t.scim('PATCH', `/Users/${u.id}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'replace', path: 'title', value: 'New' },
        { op: 'add', path: 'emails', value: [{ value: 'p@home.org', type: 'home' }] },
        { op: 'replace', path: 'active', value: false },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe('W/"2"');
    const body = resource(res);
    expect([body.title, body.active, body.emails]).toEqual([
      'New',
      false,
      [
        { value: 'p@x.org', type: 'work' },
        { value: 'p@home.org', type: 'home' },
      ],
    ]);
    expect(userRow(t, u.id)).toMatchObject({ active: 0, version: 2 });
  });

  it('a no-op PATCH leaves the version alone', async () => {
    const t = await testNode();
    const u = await createUser(t, 'same', { title: 'T' });
    const res = await t.scim('PATCH', `/Users/${u.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', path: 'title', value: 'T' }],
    });
    expect([res.status, res.headers.get('etag')]).toEqual([200, 'W/"1"']);
    expect(userRow(t, u.id)).toMatchObject({ version: 1 });
  });
});

describe('password is write-only', () => {
  const SECRET = 'Sup3r-Secret-pa55!';

  const leaks = (t: TestNode): string[] => {
    const tables = ['users', 'user_tombstones', 'events', 'event_payloads'];
    return tables.filter((tbl) => JSON.stringify(t.db.prepare(`SELECT * FROM ${tbl}`).all()).includes(SECRET));
  };

  it('is never returned and stored only as an scrypt hash', async () => {
    const t = await testNode();
    const res = await t.scim('POST', '/Users', { schemas: [USER], userName: 'pw', password: SECRET });
    expect(res.status).toBe(201);
    expect(res.text).not.toContain(SECRET);
    const u = resource(res);
    expect('password' in u).toBe(false);
    const row = userRow(t, u.id);
    expect(String(row?.password_hash)).toMatch(/^scrypt\$16384\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(JSON.parse(String(row?.data))).toStrictEqual({ userName: 'pw' });
    const get = await t.scim('GET', `/Users/${u.id}?attributes=password,userName`);
    expect(get.body).toStrictEqual({ schemas: [USER], id: u.id, userName: 'pw' });
    expect(leaks(t)).toEqual([]);
  });

  it('PUT and PATCH set a new hash; a PUT without password keeps it', async () => {
    const t = await testNode();
    const u = await createUser(t, 'pw2', { password: 'first' });
    const first = userRow(t, u.id)?.password_hash;
    const put = await t.scim('PUT', `/Users/${u.id}`, { schemas: [USER], userName: 'pw2', title: 'x' });
    expect(put.status).toBe(200);
    expect(userRow(t, u.id)?.password_hash).toBe(first);
    const patch = await t.scim('PATCH', `/Users/${u.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', path: 'password', value: SECRET }],
    });
    expect(patch.status).toBe(200);
    expect(patch.text).not.toContain(SECRET);
    expect('password' in resource(patch)).toBe(false);
    const second = userRow(t, u.id)?.password_hash;
    expect(String(second)).toMatch(/^scrypt\$/);
    expect(second).not.toBe(first);
    expect(userRow(t, u.id)?.version).toBe(3);
    expect(leaks(t)).toEqual([]);
  });
});

describe('User.groups is derived', () => {
  it('lists direct and indirect (nested) memberships, and follows membership changes', async () => {
    const t = await testNode();
    const u = await createUser(t, 'nested');
    const inner = await createGroup(t, 'Inner', [u.id]);
    const outer = await createGroup(t, 'Outer', [inner.id]);
    const ref = (g: { id: string }, display: string, type: string) => ({ value: g.id, $ref: `${t.base}/Groups/${g.id}`, display, type });
    const got = resource(await t.scim('GET', `/Users/${u.id}`));
    expect(got.groups).toEqual([ref(inner, 'Inner', 'direct'), ref(outer, 'Outer', 'indirect')]);
    // Becoming a direct member of Outer too: direct wins.
    await t.scim('PATCH', `/Groups/${outer.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'add', path: 'members', value: [{ value: u.id }] }],
    });
    expect(resource(await t.scim('GET', `/Users/${u.id}`)).groups).toEqual([ref(inner, 'Inner', 'direct'), ref(outer, 'Outer', 'direct')]);
    expect((await t.scim('DELETE', `/Groups/${inner.id}`)).status).toBe(204);
    expect(resource(await t.scim('GET', `/Users/${u.id}`)).groups).toEqual([ref(outer, 'Outer', 'direct')]);
    expect(groupRow(t, outer.id)).toMatchObject({ version: 2 });
  });

  it('is left out when excluded and absent for users without groups', async () => {
    const t = await testNode();
    const u = await createUser(t, 'solo');
    expect('groups' in u).toBe(false);
    await createGroup(t, 'G', [u.id]);
    const res = await t.scim('GET', `/Users/${u.id}?excludedAttributes=groups`);
    expect('groups' in resource(res)).toBe(false);
  });

  it('PATCH cannot write groups', async () => {
    const t = await testNode();
    const u = await createUser(t, 'ro');
    const g = await createGroup(t, 'G');
    const res = await t.scim('PATCH', `/Users/${u.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'add', path: 'groups', value: [{ value: g.id }] }],
    });
    expectError(res, 400, 'mutability', /groups/);
    expect(t.db.prepare('SELECT count(*) AS n FROM group_users').get()).toEqual({ n: 0 });
  });
});
