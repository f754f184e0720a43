import { describe, expect, it } from 'vitest';
import { invokeConsole } from '../../../server/console/handlers.js';
import { consoleHandlers } from '../../helpers/console.js';
import { type TestNode, testNode } from '../../helpers/node.js';

const T0 = Date.UTC(2026, 10, 1, 9, 0, 0);
const HOUR = 3_600_000;

const handlersOf = (t: TestNode) => consoleHandlers(t.node, { startedAt: new Date(T0).toISOString(), scimUrl: () => t.base });

const bearer = (t: TestNode, token: string) => fetch(`${t.base}/Users?count=1`, { headers: { authorization: `Bearer ${token}` } });

describe('guided rotation: the node’s own test request', () => {
  it('does not start the old token’s grace period; the IdP’s first use does', async () => {
    const c = { ms: T0 };
    const t = await testNode({ now: () => new Date(c.ms) });
    const old = t.node.tokens.list()[0];
    const h = handlersOf(t);
    const rotated = await invokeConsole(h, 'tokens.rotate', { id: old?.id, graceHours: 24 });
    if (!rotated.ok) throw new Error(rotated.error.message);
    const successor = rotated.value;

    c.ms += HOUR; // the admin tests the new token an hour later…
    expect(await invokeConsole(h, 'tokens.test', { token: successor.token })).toEqual({
      ok: true,
      value: { ok: true, status: 200, detail: 'the token works against this node' },
    });
    t.node.flushEvents();
    expect(t.node.tokens.get(old?.id ?? '')?.expiresAt).toBeNull();
    expect(t.node.tokens.get(successor.id)?.lastUsedAt).toBeNull();
    const [probe] = t.node.events.list({ tokenId: successor.id }, { limit: 1 }).items;
    expect(probe).toMatchObject({ status: 200, simulated: true });

    c.ms += 2 * HOUR; // …and the IdP switches over two hours after that: grace runs from here.
    expect((await bearer(t, successor.token)).status).toBe(200);
    t.node.flushEvents();
    expect(t.node.tokens.get(old?.id ?? '')?.expiresAt).toBe(new Date(T0 + 3 * HOUR + 24 * HOUR).toISOString());
    expect(t.node.tokens.get(successor.id)?.lastUsedAt).toBe(new Date(T0 + 3 * HOUR).toISOString());
    expect(t.node.events.list({ tokenId: successor.id }, { limit: 1 }).items[0]?.simulated).toBe(false);
  });
});

describe('token hygiene', () => {
  it('gives a new token a day before calling it unused', async () => {
    const c = { ms: T0 };
    const t = await testNode({ now: () => new Date(c.ms) });
    const fresh = t.node.tokens.create({ label: 'Entra prod' });
    expect(t.node.tokens.hygiene().map((r) => r.label)).not.toContain('Entra prod');
    c.ms += 23 * HOUR;
    expect(t.node.tokens.hygiene().find((r) => r.id === fresh.id)).toBeUndefined();
    c.ms += 2 * HOUR;
    expect(t.node.tokens.hygiene().find((r) => r.id === fresh.id)).toEqual({
      id: fresh.id,
      label: 'Entra prod',
      issues: [{ kind: 'unused', detail: 'never used since it was created 1 day ago' }],
    });
  });
});
