import { describe, expect, it } from 'vitest';
import { MAX_TRACKED_SOURCES, type Suppressed, UnauthorizedAggregator } from '../../../server/events/unauthorized.js';
import { testNode } from '../../helpers/node.js';

describe('unauthenticated 401s are bounded and aggregated (issue #15.4)', () => {
  it('stores the first 401 of a source with a few headers, counts the repeats, and answers them all alike', async () => {
    let offset = 0;
    const t = await testNode({ now: () => new Date(Date.now() + offset) });
    const bodies: string[] = [];
    for (let i = 0; i < 10; i++) {
      const r = await fetch(`${t.base}/Users`, { headers: { 'x-junk': 'j'.repeat(10_000), cookie: 'sid=abc', 'user-agent': 'probe' } });
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate')).toBe('Bearer realm="SCIM Desk"');
      bodies.push(await r.text());
    }
    expect(new Set(bodies).size).toBe(1);
    const [first, ...rest] = t.node.events.list().items;
    expect(rest).toEqual([]);
    const detail = t.node.events.get(first?.id ?? 0);
    expect(detail?.requestHeaders).toEqual({ 'user-agent': 'probe' });
    expect(detail?.requestBody).toBeNull();
    offset = 61_000;
    const [summary] = t.node.events.list().items;
    expect(summary).toMatchObject({ status: 401, method: 'GET', path: '/api/scim/v2/Users', tokenId: null, userAgent: 'probe' });
    expect(summary?.notes[0]).toMatch(/^9 more request\(s\) from \S+ were answered 401 between \S+ and \S+; they are counted/);
    expect(t.node.events.get(summary?.id ?? 0)?.requestHeaders).toEqual({});
  });

  it('keeps memory bounded: sources beyond the limit share one bucket', () => {
    const emitted: Suppressed[] = [];
    const agg = new UnauthorizedAggregator((s) => emitted.push(s), 60_000);
    const r = (ip: string) => ({ sourceIp: ip, tokenId: null, method: 'GET', path: '/x', userAgent: null, notes: [] });
    let recorded = 0;
    for (let i = 0; i < MAX_TRACKED_SOURCES + 100; i++) if (agg.admit(r(`10.0.${i >> 8}.${i & 255}`), 0)) recorded++;
    expect(recorded).toBe(MAX_TRACKED_SOURCES);
    agg.sweep(60_000);
    expect(emitted.map((s) => [s.source, s.count])).toEqual([['other sources', 100]]);
  });
});
