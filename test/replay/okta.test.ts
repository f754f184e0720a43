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
});
