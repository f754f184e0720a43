/**
 * The RFC edges that Microsoft's SCIM validator collection, Okta's SCIM spec tests and an RFC
 * reading found (issue #16, part 2): one table per edge, each row the exact request from the issue,
 * asserting status, scimType or body, and the stored state.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newContext } from '../../../server/events/request-context.js';
import { runSimulation } from '../../../server/simulate/engine.js';
import { ENTERPRISE, GROUP, PATCH_OP, type TestNode, testNode, USER } from '../../helpers/node.js';
import { createUser, expectError, list, resource, SEARCH } from './http-helpers.js';

const notesOf = (t: TestNode, requestId: string | null): string[] | undefined => {
  t.node.flushEvents();
  return t.repos.events.list({ requestId: requestId ?? '', limit: 1 })[0]?.notes;
};
const count = (t: TestNode, sql: string): number => (t.db.prepare(sql).get() as { n: number }).n;

describe('a duplicate create is a 409 uniqueness (RFC 7644 §3.3)', () => {
  it.each([
    {
      name: 'POST /Users with the same userName and externalId (Okta "recreating user with same values")',
      path: '/Users',
      body: { schemas: [USER], userName: 'dup@example.com', externalId: '00u-dup', name: { givenName: 'Dup' } },
      rows: 'SELECT count(*) AS n FROM users',
    },
    {
      name: 'POST /Users with the same userName in another case and no externalId',
      path: '/Users',
      body: { schemas: [USER], userName: 'plain@example.com' },
      again: { schemas: [USER], userName: 'PLAIN@example.com' },
      rows: 'SELECT count(*) AS n FROM users',
    },
    {
      name: 'POST /Groups with the same displayName',
      path: '/Groups',
      body: { schemas: [GROUP], displayName: 'Sales' },
      rows: 'SELECT count(*) AS n FROM groups',
    },
  ])('$name', async ({ path, body, again, rows }) => {
    const t = await testNode();
    const first = await t.scim('POST', path, body);
    expect(first.status).toBe(201);
    const second = await t.scim('POST', path, again ?? body);
    expectError(second, 409, 'uniqueness');
    expect(count(t, rows)).toBe(1);
    // Nothing for an admin to link: the holder already is the IdP's resource, or has no externalId to take.
    expect(t.node.members.conflicts().filter((c) => c.externalId === '00u-dup')).toEqual([]);
  });

  it('opt-in autoLink still links a holder without externalId and answers 201 with its id', async () => {
    const t = await testNode({ settings: { autoLink: true } });
    const existing = t.node.members.add({ email: 'auto@example.com' }, newContext(randomUUID(), 'cli'));
    const r = await t.scim('POST', '/Users', { schemas: [USER], userName: 'auto@example.com', externalId: 'e-9' });
    expect([r.status, r.body?.id, r.body?.externalId]).toEqual([201, existing.id, 'e-9']);
    // Once linked, the same create again is a duplicate like any other.
    expectError(await t.scim('POST', '/Users', { schemas: [USER], userName: 'auto@example.com', externalId: 'e-9' }), 409, 'uniqueness');
    expect(count(t, 'SELECT count(*) AS n FROM users')).toBe(1);
  });
});

describe('always-returned attributes cannot be excluded (RFC 7643 §2.2, RFC 7644 §3.9)', () => {
  it.each([
    { query: 'excludedAttributes=id,schemas', kept: ['id', 'schemas'], gone: [] as string[] },
    { query: 'excludedAttributes=id,schemas,userName', kept: ['id', 'schemas'], gone: ['userName'] },
    { query: 'excludedAttributes=schemas,name', kept: ['id', 'schemas', 'userName'], gone: ['name'] },
    { query: 'attributes=schemas', kept: ['id', 'schemas'], gone: ['userName', 'name'] },
  ])('GET /Users/{id}?$query', async ({ query, kept, gone }) => {
    const t = await testNode();
    const u = await createUser(t, 'always@example.com', { name: { givenName: 'A' } });
    const r = await t.scim('GET', `/Users/${u.id}?${query}`);
    expect(r.status).toBe(200);
    expect(r.body?.id).toBe(u.id);
    expect(r.body?.schemas).toEqual([USER]);
    for (const k of kept) expect(r.body).toHaveProperty(k);
    for (const k of gone) expect(r.body).not.toHaveProperty(k);
  });
});

describe('a value path inside `attributes` narrows the parent (Microsoft validator collection)', () => {
  const emails = [
    { value: 'w@example.com', type: 'work', primary: true },
    { value: 'h@example.com', type: 'home' },
  ];
  it.each([
    {
      query: 'attributes=emails[type eq "work"]',
      emails: [{ value: 'w@example.com', type: 'work', primary: true }],
      note: 'attributes emails[type eq "work"] read as emails, narrowed to the matching elements',
    },
    {
      query: 'attributes=emails[value eq "h@example.com"]',
      emails: [{ value: 'h@example.com', type: 'home' }],
      note: 'attributes emails[value eq "h@example.com"] read as emails, narrowed to the matching elements',
    },
  ])('GET /Users?$query', async ({ query, emails: expected, note }) => {
    const t = await testNode();
    const u = await createUser(t, 'vp@example.com', { emails, displayName: 'VP' });
    const r = await t.scim('GET', `/Users?${encodeURI(query)}`);
    expect(r.status).toBe(200);
    expect(list(r).Resources).toEqual([{ schemas: [USER], id: u.id, emails: expected }]);
    expect(notesOf(t, r.headers.get('x-request-id'))).toEqual([note]);
    // The same on a single resource.
    const one = await t.scim('GET', `/Users/${u.id}?${encodeURI(query)}`);
    expect(one.body).toEqual({ schemas: [USER], id: u.id, emails: expected });
  });

  it('an unknown attribute inside the value path is still a 400', async () => {
    const t = await testNode();
    expectError(await t.scim('GET', `/Users?${encodeURI('attributes=emails[nope eq "x"]')}`), 400, 'invalidValue');
  });
});

describe("Entra's filter with a sub-attribute after a value path", () => {
  it.each([
    {
      filter: 'emails[type eq "work"].value eq "w@example.com"',
      hits: ['hit@example.com'],
      note: 'filter emails[type eq "work"].value eq "w@example.com" read as emails[type eq "work" and value eq "w@example.com"]',
    },
    {
      filter: 'emails[type eq "home"].value eq "w@example.com"',
      hits: [],
      note: 'filter emails[type eq "home"].value eq "w@example.com" read as emails[type eq "home" and value eq "w@example.com"]',
    },
    {
      filter: 'emails[type eq "work" or type eq "home"].value pr',
      hits: ['hit@example.com'],
      note: 'filter emails[type eq "work" or type eq "home"].value pr read as emails[(type eq "work" or type eq "home") and value pr]',
    },
  ])('GET /Users?filter=$filter', async ({ filter, hits, note }) => {
    const t = await testNode();
    await createUser(t, 'hit@example.com', { emails: [{ value: 'w@example.com', type: 'work' }] });
    await createUser(t, 'miss@example.com', { emails: [{ value: 'w@example.com', type: 'other' }] });
    const r = await t.scim('GET', `/Users?filter=${encodeURIComponent(filter)}`);
    expect(r.status).toBe(200);
    expect(list(r).Resources.map((x) => x.userName)).toEqual(hits);
    expect(notesOf(t, r.headers.get('x-request-id'))).toEqual([note]);
  });
});

describe("a member's display is the user's displayName, else its userName", () => {
  it.each([
    { extra: { displayName: 'Babs Jensen' }, display: 'Babs Jensen' },
    { extra: {}, display: 'bjensen@example.com' },
    { extra: { displayName: '' }, display: 'bjensen@example.com' },
  ])('user $extra', async ({ extra, display }) => {
    const t = await testNode();
    const u = await createUser(t, 'bjensen@example.com', extra);
    const g = await t.scim('POST', '/Groups', { schemas: [GROUP], displayName: 'G', members: [{ value: u.id }] });
    expect(g.status).toBe(201);
    expect((g.body?.members as { display: string }[] | undefined)?.[0]?.display).toBe(display);
    const got = await t.scim('GET', `/Groups/${String(g.body?.id)}`);
    expect((got.body?.members as { display: string }[] | undefined)?.[0]?.display).toBe(display);
  });
});

describe('/ServiceProviderConfig lists what the node accepts, and only declared keys', () => {
  it.each([
    { oauth: false, types: ['oauthbearertoken'] },
    { oauth: true, types: ['oauthbearertoken', 'oauth2'] },
  ])('OAuth clients: $oauth', async ({ oauth, types }) => {
    const t = await testNode();
    if (oauth) t.node.oauth.create({ name: 'Entra' });
    const r = await t.scim('GET', '/ServiceProviderConfig');
    expect(r.status).toBe(200);
    const b = r.body as Record<string, unknown>;
    expect((b.authenticationSchemes as { type: string }[]).map((s) => s.type)).toEqual(types);
    // Every top-level key is an attribute of the ServiceProviderConfig schema (RFC 7643 §5, RFC 9865 §4)
    // or an extension listed in `schemas`; the undeclared paging key is gone.
    const extensions = Object.keys(b).filter((k) => k.startsWith('urn:'));
    expect(extensions.filter((k) => !(b.schemas as string[]).includes(k))).toEqual([]);
    expect(b).not.toHaveProperty('urn:scimdesk:params:paging');
    expect(b.pagination).toEqual({
      cursor: true,
      index: true,
      defaultPaginationMethod: 'index',
      defaultPageSize: 100,
      maxPageSize: 1000,
      cursorTimeout: 3600,
    });
  });
});

describe('a PATCH path naming a whole extension schema', () => {
  it.each([
    {
      op: { op: 'add', path: ENTERPRISE, value: { employeeNumber: '7' } },
      stored: { employeeNumber: '7', department: 'Sales' },
    },
    {
      op: { op: 'replace', path: ENTERPRISE, value: { employeeNumber: '7' } },
      stored: { employeeNumber: '7', department: 'Sales' },
    },
    { op: { op: 'remove', path: ENTERPRISE }, stored: undefined },
  ])('$op.op', async ({ op, stored }) => {
    const t = await testNode();
    const u = await createUser(t, 'ext@example.com', { schemas: [USER, ENTERPRISE], [ENTERPRISE]: { department: 'Sales' } });
    const r = await t.scim('PATCH', `/Users/${u.id}`, { schemas: [PATCH_OP], Operations: [op] });
    expect(r.status, r.text).toBe(200);
    expect(r.body?.[ENTERPRISE]).toEqual(stored);
    expect(r.body?.schemas).toEqual(stored ? [USER, ENTERPRISE] : [USER]);
    const row = t.db.prepare('SELECT data FROM users WHERE id = ?').get(u.id) as { data: string };
    expect(JSON.parse(row.data)[ENTERPRISE]).toEqual(stored);
    expect(notesOf(t, r.headers.get('x-request-id'))).toEqual([
      `path "${ENTERPRISE}" names an extension schema: ${op.op} applied to the extension as one complex value`,
    ]);
  });
});

describe('a root /.search spans resource types (RFC 7644 §3.4.3)', () => {
  it.each([
    { body: { excludedAttributes: ['name'] }, users: { name: false, userName: true }, groups: { displayName: true } },
    { body: { attributes: ['userName'] }, users: { name: false, userName: true }, groups: { displayName: false } },
  ])('POST /.search $body', async ({ body, users, groups }) => {
    const t = await testNode();
    await createUser(t, 'root@example.com', { name: { givenName: 'R' } });
    expect((await t.scim('POST', '/Groups', { schemas: [GROUP], displayName: 'Root' })).status).toBe(201);
    const r = await t.scim('POST', '/.search', { schemas: [SEARCH], ...body });
    expect(r.status, r.text).toBe(200);
    const [u, g] = list(r).Resources;
    expect([list(r).totalResults, u?.id !== undefined, g?.id !== undefined]).toEqual([2, true, true]);
    expect([u && 'name' in u, u && 'userName' in u]).toEqual([users.name, users.userName]);
    expect(g && 'displayName' in g).toBe(groups.displayName);
  });

  it('an attribute no resource type knows is still a 400', async () => {
    const t = await testNode();
    expectError(await t.scim('POST', '/.search', { schemas: [SEARCH], excludedAttributes: ['nope'] }), 400, 'invalidValue');
  });
});

describe('a member whose type contradicts its value is resolved by id', () => {
  it.each([
    { memberType: 'Group', kind: 'user' as const, resolved: 'User' },
    { memberType: 'User', kind: 'group' as const, resolved: 'Group' },
  ])('type "$memberType" for a $kind', async ({ memberType, kind, resolved }) => {
    const t = await testNode();
    const id =
      kind === 'user'
        ? (await createUser(t, 'typed@example.com')).id
        : String((await t.scim('POST', '/Groups', { schemas: [GROUP], displayName: 'Inner' })).body?.id);
    const path = kind === 'user' ? 'Users' : 'Groups';
    const r = await t.scim('POST', '/Groups', {
      schemas: [GROUP],
      displayName: 'Outer',
      members: [{ value: id, $ref: `${t.base}/${path}/${id}`, type: memberType }],
    });
    expect(r.status, r.text).toBe(201);
    expect(((r.body?.members ?? []) as { value: string; type: string }[]).map((m) => [m.value, m.type])).toEqual([[id, resolved]]);
    expect(notesOf(t, r.headers.get('x-request-id'))).toEqual([
      `member "${id}" has type "${memberType}" but is a ${resolved}: resolved by id`,
    ]);
    const table = kind === 'user' ? 'group_users' : 'group_groups';
    expect(count(t, `SELECT count(*) AS n FROM ${table}`)).toBe(1);
  });
});

describe('the Entra Tenant URL with ?aadOptscim062020', () => {
  it('works as a simulate target: every step passes', async () => {
    const t = await testNode();
    const summary = await runSimulation({ idp: 'entra', target: { url: `${t.base}?aadOptscim062020`, token: t.token } });
    expect(summary.steps.filter((s) => !s.ok).map((s) => `${s.path}: ${s.detail}`)).toEqual([]);
    expect(summary.failed).toBe(0);
  });

  it.each([
    { method: 'GET', path: '/Users?aadOptscim062020&filter=userName%20eq%20%22t%40example.com%22', status: 200 },
    { method: 'POST', path: '/Users?aadOptscim062020', body: { schemas: [USER], userName: 'n@example.com' }, status: 201 },
    { method: 'GET', path: '/ServiceProviderConfig?aadOptscim062020', status: 200 },
  ])('a real tenant: $method $path', async ({ method, path, body, status }) => {
    const t = await testNode();
    await createUser(t, 't@example.com');
    const r = await t.scim(method, path, body);
    expect(r.status, r.text).toBe(status);
    if (method === 'GET' && path.startsWith('/Users')) expect(list(r).totalResults).toBe(1);
    if (method === 'POST') expect(resource(r).userName).toBe('n@example.com');
  });
});
