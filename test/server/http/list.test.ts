import { describe, expect, it } from 'vitest';
import { newContext } from '../../../server/events/request-context.js';
import { ENTERPRISE, GROUP, type TestNode, testNode, USER } from '../../helpers/node.js';
import { createGroup, createUser, expectError, LIST, list, q, SCIM_JSON, SEARCH } from './http-helpers.js';

async function seed(t: TestNode): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  const people: [string, string, boolean, string][] = [
    ['carol@example.com', 'Carol', true, '3'],
    ['alice@example.com', 'alice', true, '1'],
    ['Bob@example.com', 'Bob', false, '2'],
  ];
  for (const [userName, givenName, active, employeeNumber] of people) {
    const u = await createUser(t, userName, {
      schemas: [USER, ENTERPRISE],
      active,
      name: { givenName, familyName: 'X' },
      emails: [{ value: userName, type: 'work' }],
      [ENTERPRISE]: { employeeNumber },
    });
    ids[givenName.toLowerCase()] = u.id;
  }
  return ids;
}

const names = (body: ReturnType<typeof list>) => body.Resources.map((r) => r.userName ?? r.displayName);

describe('GET /Users list', () => {
  it('filters and returns a ListResponse', async () => {
    const t = await testNode();
    const ids = await seed(t);
    const res = await t.scim('GET', `/Users?filter=${q('name.givenName eq "ALICE" or active eq false')}`);
    expect([res.status, res.headers.get('content-type')]).toEqual([200, SCIM_JSON]);
    const b = list(res);
    expect([b.schemas, b.totalResults, b.startIndex, b.itemsPerPage]).toEqual([[LIST], 2, 1, 2]);
    expect(b.Resources.map((r) => r.id)).toEqual([ids.alice, ids.bob]);
    expect(b.Resources[0]?.meta).toMatchObject({ resourceType: 'User', location: `${t.base}/Users/${ids.alice}` });
    const none = list(await t.scim('GET', `/Users?filter=${q('userName eq "nobody"')}`));
    expect([none.totalResults, none.itemsPerPage, none.Resources]).toEqual([0, 0, []]);
  });

  it('sorts by sortBy/sortOrder, case-insensitively for caseExact=false attributes', async () => {
    const t = await testNode();
    await seed(t);
    const asc = list(await t.scim('GET', '/Users?sortBy=userName'));
    expect(names(asc)).toEqual(['alice@example.com', 'Bob@example.com', 'carol@example.com']);
    const desc = list(await t.scim('GET', '/Users?sortBy=name.givenName&sortOrder=descending'));
    expect(names(desc)).toEqual(['carol@example.com', 'Bob@example.com', 'alice@example.com']);
    const ext = list(await t.scim('GET', `/Users?sortBy=${q(`${ENTERPRISE}:employeeNumber`)}&sortOrder=DESCENDING`));
    expect(names(ext)).toEqual(['carol@example.com', 'Bob@example.com', 'alice@example.com']);
    const created = list(await t.scim('GET', '/Users?sortBy=meta.created'));
    expect(names(created)).toEqual(['carol@example.com', 'alice@example.com', 'Bob@example.com']);
    expectError(await t.scim('GET', '/Users?sortBy=userName&sortOrder=up'), 400, 'invalidValue', /sortOrder/);
    expectError(await t.scim('GET', '/Users?sortBy=shoeSize'), 400, 'invalidValue', /sortBy names an unknown attribute "shoeSize"/);
  });

  it('projects with attributes and excludedAttributes', async () => {
    const t = await testNode();
    const ids = await seed(t);
    const only = list(await t.scim('GET', `/Users?filter=${q('userName eq "alice@example.com"')}&attributes=userName,emails.value`));
    expect(only.Resources).toStrictEqual([
      { schemas: [USER, ENTERPRISE], id: ids.alice, userName: 'alice@example.com', emails: [{ value: 'alice@example.com' }] },
    ]);
    const ext = list(
      await t.scim('GET', `/Users?filter=${q('userName eq "alice@example.com"')}&attributes=${q(`${ENTERPRISE}:employeeNumber`)}`),
    );
    expect(ext.Resources).toStrictEqual([{ schemas: [USER, ENTERPRISE], id: ids.alice, [ENTERPRISE]: { employeeNumber: '1' } }]);
    // A bare extension URN selects the whole extension object.
    const whole = list(await t.scim('GET', `/Users?filter=${q('userName eq "alice@example.com"')}&attributes=userName,${q(ENTERPRISE)}`));
    expect(whole.Resources).toStrictEqual([
      { schemas: [USER, ENTERPRISE], id: ids.alice, userName: 'alice@example.com', [ENTERPRISE]: { employeeNumber: '1' } },
    ]);
    const ex = list(
      await t.scim('GET', `/Users?filter=${q('userName eq "alice@example.com"')}&excludedAttributes=emails,name,meta,${q(ENTERPRISE)}`),
    );
    expect(ex.Resources).toStrictEqual([{ schemas: [USER, ENTERPRISE], id: ids.alice, userName: 'alice@example.com', active: true }]);
    expectError(await t.scim('GET', '/Users?attributes=nope'), 400, 'invalidValue', /attributes names an unknown attribute "nope"/);
  });
});

describe('paging', () => {
  it('walks 250 users with count=100: no duplicates, no gaps, stable totals', async () => {
    const t = await testNode();
    const created = new Set<string>();
    for (let i = 0; i < 250; i++)
      created.add(
        String(
          (await t.node.users.create({ schemas: [USER], userName: `user${String(i).padStart(3, '0')}` }, t.base, newContext('seed'))).id,
        ),
      );
    const seen: string[] = [];
    for (const [start, size] of [
      [1, 100],
      [101, 100],
      [201, 50],
    ] as const) {
      const b = list(await t.scim('GET', `/Users?startIndex=${start}&count=100&sortBy=userName`));
      expect([b.totalResults, b.startIndex, b.itemsPerPage]).toEqual([250, start, size]);
      seen.push(...b.Resources.map((r) => r.id));
    }
    expect(seen.length).toBe(250);
    expect(new Set(seen)).toEqual(created);
    // Without sortBy the order is insertion order, also stable across pages.
    const unsorted: string[] = [];
    for (const start of [1, 101, 201])
      unsorted.push(...list(await t.scim('GET', `/Users?startIndex=${start}&count=100`)).Resources.map((r) => r.id));
    expect(unsorted).toEqual([...created]);
  }, 60_000);

  it('defaults to 100, caps at the maximum, and clamps odd values (RFC 7644 §3.4.2.4)', async () => {
    const t = await testNode({ paging: { defaultCount: 100, maxCount: 120 } });
    for (let i = 0; i < 130; i++) await t.node.users.create({ schemas: [USER], userName: `p${i}` }, t.base, newContext('seed'));
    const page = (qs: string) => t.scim('GET', `/Users${qs}`).then(list);
    expect((await page('')).itemsPerPage).toBe(100);
    expect((await page('?count=5000')).itemsPerPage).toBe(120);
    const zero = await page('?count=0');
    expect([zero.totalResults, zero.itemsPerPage, zero.Resources]).toEqual([130, 0, []]);
    expect((await page('?count=-3')).itemsPerPage).toBe(0);
    const first = await page('?startIndex=0&count=2');
    expect([first.startIndex, first.Resources[0]?.userName]).toEqual([1, 'p0']);
    const past = await page('?startIndex=500');
    expect([past.totalResults, past.startIndex, past.itemsPerPage]).toEqual([130, 500, 0]);
    expectError(await t.scim('GET', '/Users?count=ten'), 400, 'invalidValue', /count must be a decimal integer/);
    expectError(await t.scim('GET', '/Users?startIndex=1.5'), 400, 'invalidValue', /startIndex must be a decimal integer/);
  }, 60_000);
});

describe('POST /.search', () => {
  it('/Users/.search takes the query in the body', async () => {
    const t = await testNode();
    const ids = await seed(t);
    const res = await t.scim('POST', '/Users/.search', {
      schemas: [SEARCH],
      filter: 'emails[type eq "work" and value ew "example.com"]',
      sortBy: 'userName',
      sortOrder: 'descending',
      startIndex: 2,
      count: 1,
      attributes: ['userName'],
    });
    expect(res.status).toBe(200);
    expect(res.body).toStrictEqual({
      schemas: [LIST],
      totalResults: 3,
      startIndex: 2,
      itemsPerPage: 1,
      Resources: [{ schemas: [USER, ENTERPRISE], id: ids.bob, userName: 'Bob@example.com' }],
    });
    expectError(await t.scim('POST', '/Users/.search', { filter: 'userName pr' }), 400, 'invalidSyntax', /SearchRequest/);
    expectError(await t.scim('POST', '/Users/.search', { schemas: [SEARCH], count: { n: 1 } }), 400, 'invalidValue', /"count"/);
  });

  it('/Groups/.search and excludedAttributes=members', async () => {
    const t = await testNode();
    const ids = await seed(t);
    const g = await createGroup(t, 'Admins', [ids.alice as string]);
    await createGroup(t, 'Users');
    const res = await t.scim('POST', '/Groups/.search', {
      schemas: [SEARCH],
      filter: `members.value eq "${ids.alice}"`,
      excludedAttributes: 'members',
    });
    const b = list(res);
    expect([res.status, b.totalResults, b.Resources.map((r) => r.id)]).toEqual([200, 1, [g.id]]);
    expect(Object.keys(b.Resources[0] ?? {}).sort()).toEqual(['displayName', 'id', 'meta', 'schemas']);
    const get = list(await t.scim('GET', '/Groups?excludedAttributes=members&sortBy=displayName'));
    expect(get.Resources.map((r) => [r.displayName, 'members' in r])).toEqual([
      ['Admins', false],
      ['Users', false],
    ]);
  });

  it('/.search at the root spans Users then Groups, with paging across both', async () => {
    const t = await testNode();
    const ids = await seed(t);
    const g1 = await createGroup(t, 'G1');
    const g2 = await createGroup(t, 'G2');
    const all = list(await t.scim('POST', '/.search', { schemas: [SEARCH] }));
    expect([all.totalResults, all.Resources.map((r) => r.id)]).toEqual([5, [ids.carol, ids.alice, ids.bob, g1.id, g2.id]]);
    const page = list(await t.scim('POST', '/.search', { schemas: [SEARCH], startIndex: 3, count: 2 }));
    expect([page.totalResults, page.startIndex, page.Resources.map((r) => r.meta.resourceType)]).toEqual([5, 3, ['User', 'Group']]);
    const groupsOnly = list(await t.scim('POST', '/.search', { schemas: [SEARCH], filter: 'meta.resourceType eq "Group"' }));
    expect(groupsOnly.Resources.map((r) => r.id)).toEqual([g1.id, g2.id]);
    const usersOnly = list(await t.scim('POST', '/.search', { schemas: [SEARCH], filter: 'userName sw "a"' }));
    expect([usersOnly.totalResults, usersOnly.Resources.map((r) => r.id)]).toEqual([1, [ids.alice]]);
    expectError(await t.scim('POST', '/.search', { schemas: [SEARCH], filter: 'shoeSize eq 3' }), 400, 'invalidFilter', /no resource type/);
    expectError(await t.scim('POST', '/.search', { schemas: [SEARCH], filter: 'userName eq' }), 400, 'invalidFilter', /ended/);
  });
});

describe('Group list', () => {
  it('filters displayName case-insensitively', async () => {
    const t = await testNode();
    const g = await createGroup(t, 'Engineering');
    await createGroup(t, 'Sales');
    const res = await t.scim('GET', `/Groups?filter=${q('displayName eq "engineering"')}`);
    expect(list(res).Resources.map((r) => [r.id, r.schemas])).toEqual([[g.id, [GROUP]]]);
  });
});
