import { describe, expect, it } from 'vitest';
import type { ChangeEvent } from '../../../server/delivery/outbox.js';
import { type Idp, runSimulation } from '../../../server/simulate/engine.js';
import { testNode } from '../../helpers/node.js';
import { receiver, verify } from './receiver.js';

const WRITE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

describe('a healthy run: a full IdP simulation reaches the webhook receiver', () => {
  it.each<Idp>(['okta', 'entra'])('%s: every event, in feed order, no duplicates, every signature valid', async (idp) => {
    const t = await testNode({ webhooks: { pollMs: 50 } });
    const rx = await receiver();
    const { secret } = t.node.webhooks.add({ url: rx.url, label: 'app' });
    t.node.deliveries.start();
    const summary = await runSimulation({ idp, target: { url: t.base, token: t.token } });
    expect(summary.failed).toBe(0);
    const feed = t.node.feed.page(0, 10_000);
    expect(feed.length).toBeGreaterThan(10);
    // Bounded wait for the background dispatcher (real timers, loopback only).
    for (let i = 0; i < 200 && rx.got.length < feed.length; i++) await new Promise((r) => setTimeout(r, 25));
    const got = rx.got.map((g) => JSON.parse(g.body) as ChangeEvent);
    expect(got.map((e) => e.id)).toEqual(feed.map((e) => e.id));
    expect(got).toEqual(feed);
    for (const g of rx.got) {
      const ts = Number(/t=(\d+)/.exec(String(g.headers['scimdesk-signature']))?.[1]);
      expect(verify(secret, String(g.headers['scimdesk-signature']), g.body, ts)).toBe(true);
    }
    // Every acknowledged write that changed something an application sees (anything but a password)
    // produced at least one event with its request id.
    t.node.flushEvents();
    const requests = t.node.events.list({ statusClass: 2 }, { limit: 1000 }).items.filter((e) => WRITE.has(e.method));
    const visible = (c: unknown) => (c as { attribute?: string }).attribute !== 'password';
    const withChanges = requests.filter((r) => (t.node.events.get(r.id)?.changes.filter(visible).length ?? 0) > 0);
    expect(withChanges.length).toBeGreaterThan(5);
    for (const r of withChanges) expect(t.node.feed.byRequest(r.requestId).length, `${r.method} ${r.path}`).toBeGreaterThan(0);
    const types = new Set(feed.map((e) => e.type));
    for (const type of [
      'user.created',
      'user.updated',
      'user.deactivated',
      'group.created',
      'group.member_added',
      'group.member_removed',
      'group.deleted',
    ])
      expect(types.has(type), type).toBe(true);
  });
});
