import { describe, expect, it } from 'vitest';
import { ERROR, PATCH_OP, testNode, USER } from '../../helpers/node.js';

const get = (base: string, token: string, headers: Record<string, string> = {}) =>
  fetch(`${base}/Users?count=1`, { headers: { authorization: `Bearer ${token}`, ...headers } });

describe('token lifecycle', () => {
  it('rotates with overlap: both work until the successor is first used plus the grace, and no request fails', async () => {
    let now = Date.parse('2026-11-29T10:00:00Z');
    const t = await testNode({ now: () => new Date(now) });
    const old = t.node.tokens.list()[0];
    expect((await get(t.base, t.token)).status).toBe(200);
    const next = t.node.tokens.rotate(old?.id ?? '', 60 * 60_000);
    expect(next.rotatesId).toBe(old?.id);
    expect(next.token).not.toBe(t.token);
    expect((await get(t.base, t.token)).status).toBe(200); // the IdP still has the old one
    expect((await get(t.base, next.token)).status).toBe(200); // admin pastes the new one
    expect(t.node.tokens.get(old?.id ?? '')?.expiresAt).toBe('2026-11-29T11:00:00.000Z');
    now += 59 * 60_000;
    expect((await get(t.base, t.token)).status).toBe(200); // within the grace
    now += 2 * 60_000;
    const late = await get(t.base, t.token);
    expect(late.status).toBe(401);
    expect((await get(t.base, next.token)).status).toBe(200);
  });

  it('revokes effective on the next request', async () => {
    const t = await testNode();
    expect((await get(t.base, t.token)).status).toBe(200);
    expect(t.node.tokens.revoke(t.node.tokens.list()[0]?.id ?? '')).toBe(true);
    const r = await get(t.base, t.token);
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toBe('Bearer realm="SCIM Desk"');
    const [event] = t.node.events.list().items;
    expect(event).toMatchObject({ status: 401, tokenId: t.node.tokens.list()[0]?.id, notes: ['authentication failed: revoked'] });
  });

  it('lists last use, source and request count', async () => {
    const t = await testNode();
    await get(t.base, t.token);
    await get(t.base, t.token);
    const [tok] = t.node.tokens.list();
    expect(tok).toMatchObject({ requestCount: 2, lastUsedIp: expect.stringContaining('127.0.0.1'), rateLimitedCount: 0 });
    expect(tok?.lastUsedAt).not.toBeNull();
  });
});

describe('rate limits', () => {
  it('answers 429 with Retry-After and a SCIM error beyond the bucket, records it, and shows usage', async () => {
    // A still clock: the bucket neither refills nor starts a new second between the requests.
    const still = new Date('2026-03-01T10:00:00.250Z');
    const t = await testNode({ settings: { rateLimit: { perSecond: 2, burst: 2 } }, now: () => still });
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i < 6; i++) {
      const r = await get(t.base, t.token);
      statuses.push(r.status);
      if (r.status === 429) limited = r;
    }
    expect(statuses.slice(0, 4)).toEqual([200, 200, 200, 200]);
    expect(statuses.slice(4)).toEqual([429, 429]);
    expect(limited?.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    expect(await limited?.json()).toEqual({
      schemas: [ERROR],
      status: '429',
      detail: expect.stringMatching(/^rate limit exceeded for this token; retry after \d+ s$/),
    });
    const id = t.node.tokens.list()[0]?.id ?? '';
    expect(t.node.tokens.get(id)?.rateLimitedCount).toBe(2);
    expect(t.node.events.list({ statusClass: 4 }).items.map((e) => e.status)).toEqual([429, 429]);
    expect(t.node.limiter.usage(id)).toEqual({ perSecond: 2, burst: 2, used: 4 });
  });

  it('lets Entra’s documented 25 requests/second through with the defaults', async () => {
    const t = await testNode();
    const results = await Promise.all(Array.from({ length: 25 }, () => get(t.base, t.token)));
    expect(results.map((r) => r.status)).toEqual(Array(25).fill(200));
  });
});

describe('source restrictions', () => {
  it('enforces a per-token CIDR allowlist', async () => {
    const t = await testNode();
    const id = t.node.tokens.list()[0]?.id ?? '';
    t.node.tokens.setAllowedCidrs(id, ['10.0.0.0/8']);
    expect((await get(t.base, t.token)).status).toBe(401);
    expect(t.node.events.list().items[0]?.notes).toEqual(['authentication failed: source-not-allowed']);
    t.node.tokens.setAllowedCidrs(id, ['127.0.0.0/8', '::1']);
    expect((await get(t.base, t.token)).status).toBe(200);
    expect(() => t.node.tokens.setAllowedCidrs(id, ['not-an-ip'])).toThrow('"not-an-ip" is not an IP address or CIDR range');
  });

  it('ignores X-Forwarded-For unless the trusted-proxy setting is on', async () => {
    const t = await testNode();
    await get(t.base, t.token, { 'x-forwarded-for': '203.0.113.9' });
    expect(t.node.events.list().items[0]?.sourceIp).toMatch(/127\.0\.0\.1$/);
    t.node.settings.set('trustProxy', true);
    await get(t.base, t.token, { 'x-forwarded-for': '198.51.100.1, 203.0.113.9' });
    expect(t.node.events.list().items[0]?.sourceIp).toBe('203.0.113.9');
  });
});

describe('failed authentication', () => {
  it('answers unknown prefixes and wrong secrets identically, then 429 at once when the source is over its budget', async () => {
    let offset = 0;
    const t = await testNode({ now: () => new Date(Date.now() + offset) });
    const known = t.token.split('_')[1];
    const wrongSecret = `scimdesk_${known}_${'A'.repeat(43)}`;
    const unknownPrefix = `scimdesk_000000000000_${'A'.repeat(43)}`;
    const a = await get(t.base, wrongSecret);
    const b = await get(t.base, unknownPrefix);
    expect([a.status, b.status]).toEqual([401, 401]);
    expect(await a.json()).toEqual(await b.json());
    for (let i = 0; i < 8; i++) expect((await get(t.base, unknownPrefix)).status).toBe(401);
    const over = await get(t.base, wrongSecret);
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    // Repeats from one source, the throttle's 429s included, are stored as one summary row once the
    // window is over (issue #15.4): a storm cannot write a row per request.
    expect(t.node.events.list().items.map((e) => e.status)).toEqual([401]);
    offset = 61_000;
    const [summary] = t.node.events.list().items;
    expect(summary?.notes[0]).toMatch(/^10 more request\(s\) from \S+ were answered 401 between /);
    expect(summary?.notes).toContain('authentication failure budget of this source exceeded: answered 429');
  });
});

describe('alarms', () => {
  it('raises one alert for a deprovisioning burst and pushes it on the bus', async () => {
    const t = await testNode({ settings: { deprovisionAlarm: { percent: 100, count: 3, windowMinutes: 10 } } });
    const pushed: string[] = [];
    t.node.bus.on('alerts.raised', (a) => pushed.push(a.kind));
    const ids: string[] = [];
    for (let i = 0; i < 6; i++)
      ids.push(String((await t.scim('POST', '/Users', { schemas: [USER], userName: `b${i}@example.com` })).body?.id));
    for (const id of ids.slice(0, 3))
      await t.scim('PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] });
    expect(t.node.alerts.list()).toEqual([]);
    await t.scim('DELETE', `/Users/${ids[3]}`);
    await t.scim('DELETE', `/Users/${ids[4]}`);
    const alerts = t.node.alerts.list();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ kind: 'deprovision-burst', severity: 'critical', data: { count: 4, windowMinutes: 10 } });
    expect(pushed).toEqual(['deprovision-burst']);
  });

  it('alerts on a token’s first use from a new address, but not on its very first use', async () => {
    const t = await testNode({ settings: { trustProxy: ['127.0.0.1', '::1'] } });
    await get(t.base, t.token, { 'x-forwarded-for': '198.51.100.7' });
    await get(t.base, t.token, { 'x-forwarded-for': '198.51.100.7' });
    expect(t.node.alerts.list()).toEqual([]);
    await get(t.base, t.token, { 'x-forwarded-for': '203.0.113.50' });
    expect(t.node.alerts.list().map((a) => [a.kind, a.message])).toEqual([
      ['token-new-ip', 'token "test" was used from a new address 203.0.113.50'],
    ]);
    expect(t.node.tokens.hygiene()[0]?.issues).toContainEqual({
      kind: 'new-ip',
      detail: expect.stringContaining('first used from 203.0.113.50'),
    });
  });

  it('reports old, expired and unused tokens in the hygiene report', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const t = await testNode({ now: () => new Date(now) });
    t.node.tokens.create({ label: 'short', expiresInMs: 86_400_000 });
    await get(t.base, t.token);
    now += 100 * 86_400_000;
    const report = t.node.tokens.hygiene();
    expect(report.map((r) => [r.label, r.issues.map((i) => i.kind)])).toEqual([
      ['test', ['older-than-90-days', 'unused']],
      ['short', ['older-than-90-days', 'expired', 'unused']],
    ]);
  });
});
