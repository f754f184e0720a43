import { describe, expect, it } from 'vitest';
import { testNode, USER } from '../../helpers/node.js';

/**
 * `simulate` against the live node (the console's "Test sync" without a target): the run's traffic is
 * labelled simulated and kept out of alarms, health and hygiene, and what it created is removed.
 */
describe('simulate against a live node leaves no residue', () => {
  it('no alarm, conflict, token, hygiene or health change; its events stay, labelled', async () => {
    const t = await testNode();
    // A node in use: one real member provisioned by the IdP's own token.
    expect((await t.scim('POST', '/Users', { schemas: [USER], userName: 'real@example.com', externalId: 'r1' })).status).toBe(201);
    t.node.flushEvents();
    const snapshot = () => ({
      alerts: t.node.alerts.list(),
      conflicts: (['open', 'linked', 'dismissed'] as const).flatMap((s) => t.node.members.conflicts(s)),
      tokens: t.node.tokens.list(),
      hygiene: t.node.tokens.hygiene(),
      // Everything but the clock: seconds since the last success grow while the runs take.
      health: (({ generatedAt: _, ...r }) => ({ ...r, idps: r.idps.map((i) => ({ ...i, secondsSinceSuccess: null })) }))(
        t.node.health.report(),
      ),
      healthAlerts: t.node.health.check(),
      users: t.repos.users.count(null),
      groups: t.repos.groups.count(null),
    });
    const before = snapshot();
    const lastEvent = t.node.events.list({}, { limit: 1 }).items[0]?.id ?? 0;

    // Enough runs for the deprovision-burst rule (5 deletions, 100% of active users) to fire on real traffic.
    for (const idp of ['okta', 'entra', 'okta', 'entra'] as const) {
      const summary = await t.node.simulate.run(idp, null, t.base);
      expect(summary.failed).toBe(0);
    }
    t.node.flushEvents();

    expect(snapshot()).toEqual(before);
    expect(t.node.tokens.list().map((x) => x.label)).toEqual(['test']);
    const simulated = t.node.events.list({}, { limit: 1000 }).items.filter((e) => e.id > lastEvent);
    expect(simulated.length).toBeGreaterThan(20);
    expect(simulated.every((e) => e.simulated)).toBe(true);
    // Real traffic afterwards is still real.
    expect((await t.scim('GET', '/Users')).status).toBe(200);
    t.node.flushEvents();
    expect(t.node.events.list({}, { limit: 1 }).items[0]?.simulated).toBe(false);
  });
});
