import { describe, expect, it } from 'vitest';
import { UNDECLARED_BOUNDS } from '../../../server/store/extensions-repo.js';
import { type TestNode, testNode, USER } from '../../helpers/node.js';

/**
 * Issue #15 ("nothing lost, nothing leaked"): the "undeclared attributes seen" table is written from
 * what any token holder sends, so a client looping random attribute names must not grow it forever.
 */
const EXT = 'urn:ietf:params:scim:schemas:extension:Junk:2.0:User';
const urnN = (i: number) => `urn:ietf:params:scim:schemas:extension:Junk${i}:2.0:User`;

const names = (prefix: string, n: number): Record<string, string> =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, 'x']));

const create = (t: TestNode, userName: string, extra: Record<string, unknown>) =>
  t.scim('POST', '/Users', { schemas: [USER], userName, ...extra });

const rows = (t: TestNode) => t.node.extensions.undeclared().map((r) => ({ urn: r.urn, attribute: r.attribute, count: r.count }));

describe('undeclared attributes seen are bounded (issue #15)', () => {
  it('the bounds are the documented ones', () => {
    // Per URN, as many names as one declaration may list (RFC 7643 §7 schema), so a proposal fits.
    expect(UNDECLARED_BOUNDS).toEqual({ namesPerUrn: 100, urns: 50 });
  });

  it('keeps at most 100 names per URN; further names count into the URN\'s "*" row', async () => {
    const t = await testNode();
    expect((await create(t, 'a@x', { [EXT]: names('a', 60) })).status).toBe(201);
    expect((await create(t, 'b@x', { [EXT]: names('b', 60) })).status).toBe(201);
    // A name already recorded keeps counting on its own row after the bound is reached.
    expect((await create(t, 'c@x', { [EXT]: { a0: 'y', zNew: 'y' } })).status).toBe(201);
    const seen = rows(t);
    expect(seen.filter((r) => r.attribute !== '*')).toHaveLength(100);
    expect(seen.find((r) => r.attribute === 'a0')).toEqual({ urn: EXT, attribute: 'a0', count: 2 });
    expect(seen.find((r) => r.attribute === 'b39')).toEqual({ urn: EXT, attribute: 'b39', count: 1 });
    expect(seen.find((r) => r.attribute === 'b40')).toBeUndefined();
    expect(seen.find((r) => r.attribute === '*')).toEqual({ urn: EXT, attribute: '*', count: 21 });
    expect(t.db.prepare('SELECT count(*) AS n FROM undeclared_attributes').get()).toEqual({ n: 101 });
    // The values themselves are still kept on the user (the bound is on the report, not the data).
    const c = t.repos.users.findByUserName('c@x');
    expect(c?.data[EXT]).toEqual({ a0: 'y', zNew: 'y' });
  });

  it('keeps at most 50 URNs; further URNs count into one "*" row', async () => {
    const t = await testNode();
    const body = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [urnN(i), { badge: 'x' }]));
    expect((await create(t, 'a@x', body)).status).toBe(201);
    expect((await create(t, 'b@x', { [urnN(55)]: { badge: 'x' }, [urnN(3)]: { other: 'x' } })).status).toBe(201);
    const seen = rows(t);
    expect(new Set(seen.filter((r) => r.urn !== '*').map((r) => r.urn)).size).toBe(50);
    expect(seen.find((r) => r.urn === '*')).toEqual({ urn: '*', attribute: '*', count: 11 });
    expect(seen.find((r) => r.urn === urnN(3) && r.attribute === 'other')).toEqual({ urn: urnN(3), attribute: 'other', count: 1 });
    expect(t.db.prepare('SELECT count(*) AS n FROM undeclared_attributes').get()).toEqual({ n: 52 });
  });

  it('a client looping random names cannot grow the table past the bound', async () => {
    const t = await testNode();
    for (let i = 0; i < 12; i++) {
      const body = Object.fromEntries(
        Array.from({ length: 8 }, (_, j) => [urnN(i * 8 + j), names(`r${Math.random().toString(36).slice(2, 8)}`, 10)]),
      );
      expect((await create(t, `u${i}@x`, body)).status).toBe(201);
    }
    const { n } = t.db.prepare('SELECT count(*) AS n FROM undeclared_attributes').get() as { n: number };
    expect(n).toBeLessThanOrEqual(UNDECLARED_BOUNDS.urns * (UNDECLARED_BOUNDS.namesPerUrn + 1) + 1);
    expect(new Set(rows(t).map((r) => r.urn)).size).toBe(51);
    expect(rows(t).find((r) => r.urn === '*')?.count).toBe((96 - 50) * 10);
  });

  it('the "Declare" proposal leaves the overflow row out, and declaring frees room for new names', async () => {
    const t = await testNode();
    await create(t, 'a@x', { [EXT]: names('a', 101) });
    const proposal = t.node.extensions.propose(EXT);
    expect(proposal.attributes).toHaveLength(100);
    expect(proposal.attributes.map((a) => a.name)).not.toContain('*');
    expect(t.node.extensions.declare(proposal).applied).toBe(true);
    expect(rows(t)).toEqual([{ urn: EXT, attribute: '*', count: 1 }]);
    await create(t, 'b@x', { [EXT]: { fresh: 'x' } });
    expect(rows(t)).toEqual([
      { urn: EXT, attribute: '*', count: 1 },
      { urn: EXT, attribute: 'fresh', count: 1 },
    ]);
    expect(() => t.node.extensions.propose('*')).toThrow(/no undeclared attributes have been seen under "\*"/);
  });
});
