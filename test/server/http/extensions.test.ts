import { describe, expect, it } from 'vitest';
import { compileQuery } from '../../../server/directory/query.js';
import { DEFAULT_PAGING } from '../../../server/node.js';
import { USER_TABLE } from '../../../server/store/users-repo.js';
import { ERROR, PATCH_OP, type TestNode, testNode, USER } from '../../helpers/node.js';

const EXT = 'urn:ietf:params:scim:schemas:extension:CustomExt:2.0:User';
const OTHER = 'urn:ietf:params:scim:schemas:extension:Badges:2.0:User';

const DECLARATION = {
  id: EXT,
  name: 'CustomExt',
  description: 'Custom attributes mapped by the IdP',
  attributes: [
    { name: 'costCenter', type: 'string', indexed: true },
    { name: 'badgeNumber', type: 'integer', uniqueness: 'server' },
    { name: 'contractor', type: 'boolean' },
    { name: 'skills', type: 'string', multiValued: true },
  ],
};

async function declared(): Promise<TestNode> {
  const t = await testNode();
  const r = t.node.extensions.declare(DECLARATION);
  expect(r.applied).toBe(true);
  return t;
}

const create = (t: TestNode, userName: string, extra: Record<string, unknown> = {}, schemas: string[] = [USER, EXT]) =>
  t.scim('POST', '/Users', { schemas, userName, ...extra });

/** The Resources of a ListResponse (empty when the body has none). */
const resources = <T>(body: Record<string, unknown> | null): T[] => (Array.isArray(body?.Resources) ? (body.Resources as T[]) : []);

const stored = (t: TestNode, id: string): Record<string, unknown> => {
  const u = t.repos.users.get(id);
  if (!u) throw new Error(`no user ${id}`);
  return u.data;
};

describe('declared extension attributes round-trip', () => {
  it.each([
    ['container object', { [EXT]: { costCenter: '42', contractor: true } }, { costCenter: '42', contractor: true }],
    ['URN-qualified keys', { [`${EXT}:costCenter`]: '42', [`${EXT}:badgeNumber`]: 7 }, { costCenter: '42', badgeNumber: 7 }],
    [
      'names in another case',
      { [EXT.toLowerCase()]: { CostCenter: '42', SKILLS: ['go', 'sql'] } },
      { costCenter: '42', skills: ['go', 'sql'] },
    ],
  ])('POST with %s stores, returns and lists them', async (_name, body, want) => {
    const t = await declared();
    const res = await create(t, 'ada@example.com', body);
    expect(res.status).toBe(201);
    expect(res.body?.[EXT]).toEqual(want);
    expect(res.body?.schemas).toEqual([USER, EXT]);
    const id = String(res.body?.id);
    expect(stored(t, id)[EXT]).toEqual(want);
    const got = await t.scim('GET', `/Users/${id}`);
    expect(got.body?.[EXT]).toEqual(want);
    const list = await t.scim('GET', '/Users');
    expect(resources<Record<string, unknown>>(list.body)[0]?.[EXT]).toEqual(want);
  });

  it.each([
    [{ [EXT]: { badgeNumber: '7' } }, `attribute "${EXT}:badgeNumber" must be an integer`],
    [{ [EXT]: { contractor: 'yes' } }, `attribute "${EXT}:contractor" must be a boolean`],
    [{ [EXT]: { skills: 'go' } }, `attribute "${EXT}:skills" must be an array`],
  ])('a value of the wrong type is 400 invalidValue and nothing is written: %j', async (body, detail) => {
    const t = await declared();
    const res = await create(t, 'ada@example.com', body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ schemas: [ERROR], status: '400', scimType: 'invalidValue', detail });
    expect(t.repos.users.findByUserName('ada@example.com')).toBeUndefined();
  });

  it('uniqueness "server" is a 409 uniqueness naming the attribute, on create and on PATCH', async () => {
    const t = await declared();
    expect((await create(t, 'a@x', { [EXT]: { badgeNumber: 7 } })).status).toBe(201);
    const dup = await create(t, 'b@x', { [EXT]: { badgeNumber: 7 } });
    expect(dup.status).toBe(409);
    expect(dup.body).toEqual({
      schemas: [ERROR],
      status: '409',
      scimType: 'uniqueness',
      detail: `attribute "${EXT}:badgeNumber" must be unique, and another user already has this value`,
    });
    expect(t.repos.users.findByUserName('b@x')).toBeUndefined();
    const b = await create(t, 'b@x', { [EXT]: { badgeNumber: 8 } });
    const patch = await t.scim('PATCH', `/Users/${b.body?.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', path: `${EXT}:badgeNumber`, value: 7 }],
    });
    expect(patch.status).toBe(409);
    expect(patch.body?.scimType).toBe('uniqueness');
    expect(stored(t, String(b.body?.id))[EXT]).toEqual({ badgeNumber: 8 });
  });

  it.each([
    ['attributes', `attributes=${EXT}:costCenter`, { costCenter: '42' }],
    ['attributes (whole extension)', `attributes=${EXT}`, { costCenter: '42', contractor: true }],
    ['excludedAttributes', `excludedAttributes=${EXT}:costCenter`, { contractor: true }],
  ])('%s applies to extension attributes', async (_name, query, want) => {
    const t = await declared();
    const res = await create(t, 'ada@x', { [EXT]: { costCenter: '42', contractor: true } });
    const got = await t.scim('GET', `/Users/${res.body?.id}?${query}`);
    expect(got.status).toBe(200);
    expect(got.body?.[EXT]).toEqual(want);
  });

  it('excludedAttributes of the whole extension leaves it out', async () => {
    const t = await declared();
    const res = await create(t, 'ada@x', { [EXT]: { costCenter: '42' } });
    const got = await t.scim('GET', `/Users/${res.body?.id}?excludedAttributes=${EXT}`);
    expect(got.body?.[EXT]).toBeUndefined();
    expect(got.body?.userName).toBe('ada@x');
  });
});

describe('"returned" of declared attributes (RFC 7643 §2.2)', () => {
  it.each([
    ['POST response', '', { costCenter: '42' }],
    ['GET', 'GET', { costCenter: '42' }],
    ['GET ?attributes names the "request" one', `GET?attributes=${EXT}:badge`, { badge: 'B-1' }],
    ['GET ?attributes names the "never" one', `GET?attributes=${EXT}:pin,${EXT}:costCenter`, { costCenter: '42' }],
  ])('%s', async (_name, how, want) => {
    const t = await testNode();
    t.node.extensions.declare({
      id: EXT,
      attributes: [
        { name: 'costCenter', type: 'string' },
        { name: 'badge', type: 'string', returned: 'request' },
        { name: 'pin', type: 'string', returned: 'never', mutability: 'writeOnly' },
      ],
    });
    const res = await create(t, 'ada@x', { [EXT]: { costCenter: '42', badge: 'B-1', pin: '1234' } });
    expect(res.status).toBe(201);
    expect(stored(t, String(res.body?.id))[EXT]).toEqual({ costCenter: '42', badge: 'B-1', pin: '1234' });
    const body = how === '' ? res.body : (await t.scim('GET', `/Users/${res.body?.id}${how.slice(3)}`)).body;
    expect(body?.[EXT]).toEqual(want);
    expect(JSON.stringify(body)).not.toContain('1234');
  });

  it('a writeOnly or "never" attribute is redacted from the event log like password', async () => {
    const t = await testNode();
    t.node.extensions.declare({ id: EXT, attributes: [{ name: 'pin', type: 'string', returned: 'never', mutability: 'writeOnly' }] });
    const res = await create(t, 'ada@x', { [EXT]: { pin: '987654' } });
    expect(res.status).toBe(201);
    const patch = await t.scim('PATCH', `/Users/${res.body?.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', path: `${EXT}:pin`, value: '555111' }],
    });
    expect(patch.status).toBe(200);
    t.node.flushEvents();
    const items = t.node.events.list().items;
    expect(items).toHaveLength(2);
    for (const e of items) {
      const detail = t.node.events.get(e.id);
      const text = `${detail?.requestBody ?? ''}${detail?.responseBody ?? ''}`;
      expect(text).not.toMatch(/987654|555111/);
    }
    expect(t.node.events.get(items[1]?.id ?? 0)?.requestBody).toContain('[REDACTED');
  });
});

describe('filters on extension attributes', () => {
  it.each([
    [`${EXT}:costCenter eq "42"`, ['a@x']],
    [`${EXT}:costCenter eq "CC-9"`, ['b@x']],
    [`${EXT}:costCenter eq "cc-9"`, ['b@x']],
    [`${EXT}:badgeNumber gt 5`, ['b@x']],
    [`${EXT}:contractor eq true`, ['a@x']],
    [`${EXT}:skills eq "sql"`, ['b@x']],
    [`${EXT}:costCenter pr and not (${EXT}:contractor eq true)`, ['b@x']],
  ])('%s', async (filter, want) => {
    const t = await declared();
    await create(t, 'a@x', { [EXT]: { costCenter: '42', contractor: true, badgeNumber: 1 } });
    await create(t, 'b@x', { [EXT]: { costCenter: 'CC-9', badgeNumber: 9, skills: ['go', 'sql'] } });
    await create(t, 'c@x', {}, [USER]);
    const res = await t.scim('GET', `/Users?filter=${encodeURIComponent(filter)}`);
    expect(res.status).toBe(200);
    expect(resources<{ userName: string }>(res.body).map((u) => u.userName)).toEqual(want);
  });

  it('an indexed attribute is looked up through its expression index, and the index goes when the flag does', async () => {
    const t = await declared();
    // The very statement the users repository runs for a list: the compiled WHERE, its ORDER BY and paging.
    const plan = () => {
      const q = compileQuery({ filter: `${EXT}:costCenter eq "42"` }, t.node.extensions.registry().user, USER_TABLE, DEFAULT_PAGING);
      const sql = `EXPLAIN QUERY PLAN SELECT u.id FROM users u WHERE ${q.where?.sql} ORDER BY u.rowid LIMIT 100 OFFSET ?`;
      const rows = t.db.prepare(sql).all(...(q.where?.params ?? []), 0) as { detail: string }[];
      return rows.map((r) => r.detail).join('\n');
    };
    expect(plan()).toMatch(/USING INDEX ix_ext_[0-9a-f]{16}/);
    const r = t.node.extensions.declare({ ...DECLARATION, attributes: DECLARATION.attributes.map((a) => ({ ...a, indexed: false })) });
    expect(r.applied).toBe(true);
    expect(plan()).toMatch(/SCAN u/);
  });
});

describe('PATCH extension attributes', () => {
  it.each([
    ['add by URN path', [{ op: 'add', path: `${EXT}:costCenter`, value: '7' }], { costCenter: '7', contractor: true }],
    ['replace by URN path', [{ op: 'replace', path: `${EXT}:contractor`, value: false }], { costCenter: '42', contractor: false }],
    ['remove by URN path', [{ op: 'remove', path: `${EXT}:costCenter` }], { contractor: true }],
    [
      'add to a multi-valued one',
      [{ op: 'add', path: `${EXT}:skills`, value: ['go'] }],
      { costCenter: '42', contractor: true, skills: ['go'] },
    ],
    ['path-less URN key', [{ op: 'replace', value: { [`${EXT}:costCenter`]: '9' } }], { costCenter: '9', contractor: true }],
    ['path-less container', [{ op: 'add', value: { [EXT]: { badgeNumber: 3 } } }], { costCenter: '42', contractor: true, badgeNumber: 3 }],
  ])('%s', async (_name, ops, want) => {
    const t = await declared();
    const res = await create(t, 'ada@x', { [EXT]: { costCenter: '42', contractor: true } });
    const id = String(res.body?.id);
    const patch = await t.scim('PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: ops });
    expect(patch.status).toBe(200);
    expect(patch.body?.[EXT]).toEqual(want);
    expect(stored(t, id)[EXT]).toEqual(want);
  });

  it('removing the last value drops the extension from "schemas"', async () => {
    const t = await declared();
    const res = await create(t, 'ada@x', { [EXT]: { costCenter: '42' } });
    const patch = await t.scim('PATCH', `/Users/${res.body?.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'remove', path: `${EXT}:costCenter` }],
    });
    expect(patch.body?.schemas).toEqual([USER]);
    expect(stored(t, String(res.body?.id))[EXT]).toBeUndefined();
  });

  it('a wrong type by PATCH is 400 invalidValue and changes nothing', async () => {
    const t = await declared();
    const res = await create(t, 'ada@x', { [EXT]: { costCenter: '42' } });
    const patch = await t.scim('PATCH', `/Users/${res.body?.id}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'replace', path: `${EXT}:costCenter`, value: '9' },
        { op: 'add', path: `${EXT}:badgeNumber`, value: 'seven' },
      ],
    });
    expect(patch.status).toBe(400);
    expect(patch.body?.detail).toBe(`operation 2: attribute "${EXT}:badgeNumber" must be an integer`);
    expect(stored(t, String(res.body?.id))[EXT]).toEqual({ costCenter: '42' });
  });
});

describe('undeclared extension data', () => {
  it.each([
    ['a container listed in schemas', { [OTHER]: { badgeId: 'B-1', floor: 3 } }, [USER, OTHER]],
    ['a container not listed in schemas', { [OTHER]: { badgeId: 'B-1', floor: 3 } }, [USER]],
    ['URN-qualified keys', { [`${OTHER}:badgeId`]: 'B-1', [`${OTHER}:floor`]: 3 }, [USER]],
  ])('is kept and returned by default: %s', async (_name, body, schemas) => {
    const t = await testNode();
    const res = await create(t, 'ada@x', body, schemas);
    expect(res.status).toBe(201);
    expect(res.body?.[OTHER]).toEqual({ badgeId: 'B-1', floor: 3 });
    expect(res.body?.schemas).toEqual([USER, OTHER]);
    const got = await t.scim('GET', `/Users/${res.body?.id}`);
    expect(got.body?.[OTHER]).toEqual({ badgeId: 'B-1', floor: 3 });
    expect(t.node.extensions.undeclared().map(({ firstSeen: _f, lastSeen: _l, ...r }) => r)).toEqual([
      { urn: OTHER, attribute: 'badgeId', valueTypes: ['string'], count: 1 },
      { urn: OTHER, attribute: 'floor', valueTypes: ['integer'], count: 1 },
    ]);
  });

  it('an attribute a declaration does not list is undeclared data too', async () => {
    const t = await declared();
    const res = await create(t, 'ada@x', { [EXT]: { costCenter: '42', nickname2: 'x' } });
    expect(res.body?.[EXT]).toEqual({ costCenter: '42', nickname2: 'x' });
    expect(t.node.extensions.undeclared().map((r) => `${r.urn}:${r.attribute}`)).toEqual([`${EXT}:nickname2`]);
  });

  it('core and EnterpriseUser attributes the RFC does not define are still ignored (RFC 7644 §3.3)', async () => {
    const t = await testNode();
    const res = await create(t, 'ada@x', {
      [`${USER}:shoeSize`]: 42,
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { employeeNumber: '7', shoeSize: 42 },
    });
    expect(res.status).toBe(201);
    expect(stored(t, String(res.body?.id))).toEqual({
      userName: 'ada@x',
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { employeeNumber: '7' },
    });
    expect(t.node.extensions.undeclared()).toEqual([]);
  });

  it.each([
    ['POST container', (t: TestNode) => create(t, 'ada@x', { [OTHER]: { badgeId: 'B-1' } })],
    ['POST URN key', (t: TestNode) => create(t, 'ada@x', { [`${OTHER}:badgeId`]: 'B-1' })],
    [
      'PATCH path',
      async (t: TestNode) => {
        const u = await create(t, 'bob@x', {}, [USER]);
        return t.scim('PATCH', `/Users/${u.body?.id}`, {
          schemas: [PATCH_OP],
          Operations: [{ op: 'add', path: `${OTHER}:badgeId`, value: 'B-1' }],
        });
      },
    ],
  ])('with undeclaredExtensions "reject" is 400 invalidSyntax naming the URN: %s', async (_name, send) => {
    const t = await testNode();
    t.node.settings.set('undeclaredExtensions', 'reject');
    const res = await send(t);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      schemas: [ERROR],
      status: '400',
      scimType: 'invalidSyntax',
      detail: expect.stringContaining(`"${OTHER}:badgeId" is not declared on this node`),
    });
    expect(t.repos.users.findByUserName('ada@x')).toBeUndefined();
    const bob = t.repos.users.findByUserName('bob@x');
    if (bob) expect(bob.data[OTHER]).toBeUndefined();
    expect(t.node.extensions.undeclared()).toEqual([]);
  });

  it('PATCH sets, replaces and removes an undeclared attribute by URN path', async () => {
    const t = await testNode();
    const u = await create(t, 'ada@x', {}, [USER]);
    const id = String(u.body?.id);
    const step = async (op: Record<string, unknown>) =>
      (await t.scim('PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: [op] })).body?.[OTHER];
    expect(await step({ op: 'add', path: `${OTHER}:badgeId`, value: 'B-1' })).toEqual({ badgeId: 'B-1' });
    expect(await step({ op: 'replace', path: `${OTHER}:badgeId`, value: 'B-2' })).toEqual({ badgeId: 'B-2' });
    expect(await step({ op: 'remove', path: `${OTHER}:badgeId` })).toBeUndefined();
    expect(stored(t, id)[OTHER]).toBeUndefined();
    expect(t.node.extensions.undeclared()[0]?.count).toBe(2);
  });

  it('declaring what was seen makes it declared, with the values already stored', async () => {
    const t = await testNode();
    const res = await create(t, 'ada@x', { [OTHER]: { badgeId: 'B-1', floor: 3 } });
    const proposal = t.node.extensions.propose(OTHER);
    expect(proposal).toEqual({
      id: OTHER,
      name: 'Badges',
      description: '',
      attributes: [
        { name: 'badgeId', type: 'string', multiValued: false },
        { name: 'floor', type: 'integer', multiValued: false },
      ],
    });
    expect(t.node.extensions.declare(proposal).applied).toBe(true);
    expect(t.node.extensions.undeclared()).toEqual([]);
    const found = await t.scim('GET', `/Users?filter=${encodeURIComponent(`${OTHER}:floor eq 3`)}`);
    expect(resources<{ id: string }>(found.body).map((r) => r.id)).toEqual([res.body?.id]);
  });
});

describe('changing a declaration checks the stored data first', () => {
  it.each([
    [
      'uniqueness server over duplicates',
      { name: 'costCenter', type: 'string', uniqueness: 'server' },
      [
        { userName: 'a@x', problem: 'duplicate', value: '42' },
        { userName: 'b@x', problem: 'duplicate', value: '42' },
      ],
    ],
    ['required over a user without it', { name: 'costCenter', type: 'string', required: true }, [{ userName: 'c@x', problem: 'required' }]],
    [
      'a type the values do not have',
      { name: 'costCenter', type: 'integer' },
      [
        { userName: 'a@x', problem: 'type', value: '42' },
        { userName: 'b@x', problem: 'type', value: '42' },
      ],
    ],
  ])('%s: reports the violations and changes nothing', async (_name, attr, want) => {
    const t = await testNode();
    expect(t.node.extensions.declare({ id: EXT, attributes: [{ name: 'costCenter', type: 'string' }] }).applied).toBe(true);
    await create(t, 'a@x', { [EXT]: { costCenter: '42' } });
    await create(t, 'b@x', { [EXT]: { costCenter: '42' } });
    await create(t, 'c@x', {}, [USER]);
    const r = t.node.extensions.addAttribute(EXT, attr);
    expect(r.applied).toBe(false);
    expect(r.total).toBe(want.length);
    expect(
      r.violations.map((v) => ({ userName: v.userName, problem: v.problem, ...(v.value === undefined ? {} : { value: v.value }) })),
    ).toEqual(want);
    expect(t.node.extensions.get(EXT)?.attributes).toEqual([
      expect.objectContaining({ name: 'costCenter', type: 'string', required: false, uniqueness: 'none' }),
    ]);
    // Still the old declaration: a third "42" is accepted.
    expect((await create(t, 'd@x', { [EXT]: { costCenter: '42' } })).status).toBe(201);
  });
});

describe('discovery', () => {
  it('/Schemas and /ResourceTypes list the declared extension', async () => {
    const t = await declared();
    const rt = await t.scim('GET', '/ResourceTypes/User');
    expect(rt.body?.schemaExtensions).toEqual([
      { schema: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', required: false },
      { schema: EXT, required: false },
    ]);
    const s = await t.scim('GET', `/Schemas/${EXT}`);
    expect(s.status).toBe(200);
    expect(s.body?.name).toBe('CustomExt');
    expect(s.body?.attributes).toEqual([
      expect.objectContaining({ name: 'costCenter', type: 'string', multiValued: false, uniqueness: 'none' }),
      expect.objectContaining({ name: 'badgeNumber', type: 'integer', uniqueness: 'server' }),
      expect.objectContaining({ name: 'contractor', type: 'boolean' }),
      expect.objectContaining({ name: 'skills', type: 'string', multiValued: true }),
    ]);
    const all = await t.scim('GET', '/Schemas');
    expect(resources<{ id: string }>(all.body).map((x) => x.id)).toContain(EXT);
  });
});
