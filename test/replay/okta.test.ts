import { describe, expect, it } from 'vitest';
import { newContext } from '../../server/events/request-context.js';
import { OKTA_FLOW } from '../../server/simulate/flows/okta.js';
import { GROUP, testNode, USER } from '../helpers/node.js';
import { replayFlow } from './replay-harness.js';

// The documented sequence, one test per request (server/simulate/flows/okta.ts).
replayFlow(OKTA_FLOW);

describe('Okta beyond the sequence', () => {
  it('imports in pages of count=100 with integer paging fields ("SCIM 2.0 Protocol Reference", Retrieve Users)', async () => {
    const t = await testNode();
    // Seeded through the service: 150 POSTs in a row would only test the per-token rate limit.
    for (let i = 0; i < 150; i++) {
      await t.node.users.create(
        { schemas: [USER], userName: `u${String(i).padStart(3, '0')}@okta.local` },
        t.base,
        newContext(`seed-${i}`),
      );
    }
    const seen = new Set<string>();
    for (const [startIndex, items] of [
      [1, 100],
      [101, 50],
    ] as const) {
      const page = await t.scim('GET', `/Users?startIndex=${startIndex}&count=100`);
      expect(page.status).toBe(200);
      expect(page.body).toMatchObject({ totalResults: 150, startIndex, itemsPerPage: items });
      for (const u of (page.body?.Resources ?? []) as { id: string }[]) seen.add(u.id);
    }
    // Okta needs the same order whatever count and startIndex are: no user twice, none missed.
    expect(seen.size).toBe(150);
  });

  it('AIW apps deactivate by PUT with active false, and memberships stay', async () => {
    const t = await testNode();
    const u = await t.scim('POST', '/Users', { schemas: [USER], userName: 'aiw@okta.local', active: true });
    const id = String(u.body?.id);
    const g = await t.scim('POST', '/Groups', { schemas: [GROUP], displayName: 'AIW', members: [{ value: id }] });
    const put = await t.scim('PUT', `/Users/${id}`, {
      schemas: [USER],
      id,
      userName: 'aiw@okta.local',
      active: false,
      groups: [],
      meta: { resourceType: 'User' },
    });
    expect(put.status).toBe(200);
    expect(put.body?.active).toBe(false);
    const group = await t.scim('GET', `/Groups/${String(g.body?.id)}`);
    expect(((group.body?.members ?? []) as { value: string }[]).map((m) => m.value)).toEqual([id]);
  });

  it("a duplicate create is 409; after an admin links the conflict, Okta's userName lookup finds the member and its PUT updates it", async () => {
    const t = await testNode();
    const existing = t.node.members.add({ email: 'isabella@example.com', displayName: 'Isa' }, newContext('seed', 'cli'));
    const body = {
      schemas: [USER],
      userName: 'isabella@example.com',
      externalId: '00u1dhhb1fkIGP7RL1d8',
      name: { givenName: 'Isabella', familyName: 'Hall' },
      emails: [{ primary: true, value: 'isabella@example.com', type: 'work' }],
      active: true,
    };
    const created = await t.scim('POST', '/Users', body);
    expect([created.status, created.body?.scimType]).toEqual([409, 'uniqueness']);
    const [conflict] = t.node.members.conflicts();
    await t.node.members.link({ conflictId: conflict?.id ?? 0 }, t.base, newContext('link', 'console'));
    // Okta retries the create: still a duplicate (RFC 7644 §3.3).
    expect((await t.scim('POST', '/Users', body)).status).toBe(409);
    // Okta's import/match: "Retrieve Users" by userName, then a PUT of the whole user.
    const found = await t.scim('GET', '/Users?filter=userName%20eq%20%22isabella%40example.com%22&startIndex=1&count=100');
    expect(found.body).toMatchObject({ totalResults: 1, Resources: [{ id: existing.id, externalId: '00u1dhhb1fkIGP7RL1d8' }] });
    const put = await t.scim('PUT', `/Users/${existing.id}`, { ...body, id: existing.id });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      id: existing.id,
      externalId: '00u1dhhb1fkIGP7RL1d8',
      name: { givenName: 'Isabella', familyName: 'Hall' },
    });
    expect(t.db.prepare('SELECT count(*) AS n FROM users').get()).toEqual({ n: 1 });
  });
});
