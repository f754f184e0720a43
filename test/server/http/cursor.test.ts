/**
 * RFC 9865 cursor pagination, beside index paging: the RFC's request shapes (`?cursor&count=N`,
 * then `cursor=<nextCursor>`), its errors, and keyset walks that see every row exactly once.
 */
import { describe, expect, it } from 'vitest';
import { GROUP, type TestNode, testNode } from '../../helpers/node.js';
import { createUser, expectError, LIST, list, SEARCH } from './http-helpers.js';

interface CursorPage {
  schemas: string[];
  totalResults: number;
  itemsPerPage: number;
  nextCursor?: string;
  startIndex?: number;
  Resources: { id: string; userName?: string; title?: string; displayName?: string }[];
}

async function walk(t: TestNode, first: string): Promise<{ pages: CursorPage[]; names: string[] }> {
  const pages: CursorPage[] = [];
  let url: string | undefined = first;
  while (url !== undefined && pages.length < 50) {
    const r = await t.scim('GET', url);
    expect(r.status, r.text).toBe(200);
    const page = r.body as unknown as CursorPage;
    pages.push(page);
    const next = page.nextCursor;
    url = next === undefined ? undefined : `${first.replace(/([?&])cursor(=[^&]*)?/, `$1cursor=${encodeURIComponent(next)}`)}`;
  }
  return { pages, names: pages.flatMap((p) => p.Resources.map((x) => x.userName ?? x.displayName ?? '')) };
}

const seed = async (t: TestNode, names: string[], extra: (n: string, i: number) => Record<string, unknown> = () => ({})) => {
  for (const [i, n] of names.entries()) await createUser(t, n, extra(n, i));
};

describe('cursor pagination (RFC 9865)', () => {
  it('GET /Users?cursor&count=3 walks every user once, nextCursor absent on the last page, no startIndex', async () => {
    const t = await testNode();
    const names = ['u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7'].map((n) => `${n}@example.com`);
    await seed(t, names);
    const { pages, names: seen } = await walk(t, '/Users?cursor&count=3');
    expect(seen).toEqual(names);
    expect(pages.map((p) => [p.itemsPerPage, p.totalResults, p.nextCursor !== undefined, 'startIndex' in p])).toEqual([
      [3, 7, true, false],
      [3, 7, true, false],
      [1, 7, false, false],
    ]);
    expect(pages[0]?.schemas).toEqual([LIST]);
    // `cursor=` (empty value) is the same first request.
    const same = await t.scim('GET', '/Users?cursor=&count=3');
    expect(list(same).Resources.map((x) => x.userName)).toEqual(names.slice(0, 3));
  });

  it.each([
    { sort: 'sortBy=userName&sortOrder=ascending', expected: ['jane', 'jim', 'joe', 'john', 'judy'] },
    { sort: 'sortBy=userName&sortOrder=descending', expected: ['judy', 'john', 'joe', 'jim', 'jane'] },
  ])('the RFC example filter=userName sw "J" with $sort keeps the order across pages', async ({ sort, expected }) => {
    const t = await testNode();
    await seed(t, ['john', 'bob', 'jim', 'judy', 'alice', 'jane', 'joe']);
    const { names, pages } = await walk(t, `/Users?filter=${encodeURIComponent('userName sw "J"')}&${sort}&cursor&count=2`);
    expect(names).toEqual(expected);
    expect(pages.map((p) => p.totalResults)).toEqual([5, 5, 5]);
  });

  it('sorts by an attribute some users lack (NULL keys) and still sees each user once, both directions', async () => {
    const t = await testNode();
    const names = ['a', 'b', 'c', 'd', 'e', 'f'];
    await seed(t, names, (_n, i) => (i % 2 === 0 ? {} : { title: `t${i % 3}` }));
    for (const order of ['ascending', 'descending']) {
      const { names: seen } = await walk(t, `/Users?sortBy=title&sortOrder=${order}&cursor&count=2`);
      expect([...seen].sort()).toEqual(names);
      const index = list(await t.scim('GET', `/Users?sortBy=title&sortOrder=${order}&count=10`)).Resources.map((x) => x.userName);
      expect(seen).toEqual(index);
    }
  });

  it('pages groups, and POST /Users/.search takes "cursor" in the body', async () => {
    const t = await testNode();
    for (const g of ['G1', 'G2', 'G3']) expect((await t.scim('POST', '/Groups', { schemas: [GROUP], displayName: g })).status).toBe(201);
    const { names } = await walk(t, '/Groups?cursor&count=2');
    expect(names).toEqual(['G1', 'G2', 'G3']);
    await seed(t, ['s1', 's2', 's3']);
    const first = await t.scim('POST', '/Users/.search', { schemas: [SEARCH], cursor: '', count: 2 });
    const next = String(first.body?.nextCursor);
    const second = await t.scim('POST', '/Users/.search', { schemas: [SEARCH], cursor: next, count: 2 });
    expect([...list(first).Resources, ...list(second).Resources].map((x) => x.userName)).toEqual(['s1', 's2', 's3']);
    expect(second.body?.nextCursor).toBeUndefined();
  });

  it('index paging stays the default: no cursor asked, no nextCursor given', async () => {
    const t = await testNode();
    await seed(t, ['i1', 'i2', 'i3']);
    const r = await t.scim('GET', '/Users?startIndex=1&count=2');
    expect(r.body).toMatchObject({ totalResults: 3, startIndex: 1, itemsPerPage: 2 });
    expect(r.body).not.toHaveProperty('nextCursor');
  });
});

describe('cursor errors (RFC 9865 §2.3)', () => {
  const clock = (start: number) => {
    let now = start;
    return {
      now: () => new Date(now),
      advance: (s: number) => {
        now += s * 1000;
      },
    };
  };

  it('an expired cursor is 400 expiredCursor; one within cursorTimeout still works', async () => {
    const c = clock(Date.UTC(2025, 9, 1));
    const t = await testNode({ now: c.now, paging: { cursorTimeoutSeconds: 600 } });
    await seed(t, ['e1', 'e2', 'e3']);
    const next = String((await t.scim('GET', '/Users?cursor&count=1')).body?.nextCursor);
    c.advance(600);
    expect((await t.scim('GET', `/Users?cursor=${encodeURIComponent(next)}&count=1`)).status).toBe(200);
    c.advance(1);
    expectError(await t.scim('GET', `/Users?cursor=${encodeURIComponent(next)}&count=1`), 400, 'expiredCursor');
  });

  it.each([
    { name: 'garbage', cursor: () => 'not-a-cursor' },
    {
      name: 'a forged position',
      cursor: (c: string) => `${Buffer.from('{"q":"x","t":0,"k":null,"r":1}').toString('base64url')}.${c.split('.')[1]}`,
    },
    { name: 'a flipped signature', cursor: (c: string) => `${c.split('.')[0]}.${'A'.repeat(22)}` },
  ])('$name is 400 invalidCursor', async ({ cursor }) => {
    const t = await testNode();
    await seed(t, ['x1', 'x2']);
    const next = String((await t.scim('GET', '/Users?cursor&count=1')).body?.nextCursor);
    expectError(await t.scim('GET', `/Users?cursor=${encodeURIComponent(cursor(next))}&count=1`), 400, 'invalidCursor');
  });

  it.each([
    { name: 'another filter', query: `filter=${encodeURIComponent('userName sw "x"')}` },
    { name: 'another sortBy', query: 'sortBy=title' },
  ])('a cursor replayed with $name is 400 invalidCursor (bound to its query)', async ({ query }) => {
    const t = await testNode();
    await seed(t, ['x1', 'x2']);
    const next = String((await t.scim('GET', '/Users?cursor&count=1')).body?.nextCursor);
    expectError(await t.scim('GET', `/Users?${query}&cursor=${encodeURIComponent(next)}&count=1`), 400, 'invalidCursor');
    // A users cursor does not page groups either.
    expectError(await t.scim('GET', `/Groups?cursor=${encodeURIComponent(next)}&count=1`), 400, 'invalidCursor');
  });

  it.each([
    { query: 'cursor&startIndex=1', status: 400, scimType: 'invalidValue' },
    { query: 'cursor&count=1001', status: 400, scimType: 'invalidCount' },
    { query: 'cursor&count=-1', status: 400, scimType: 'invalidCount' },
  ])('GET /Users?$query is $status $scimType', async ({ query, status, scimType }) => {
    const t = await testNode();
    expectError(await t.scim('GET', `/Users?${query}`), status, scimType);
  });
});
