import { describe, expect, it, vi } from 'vitest';
import { printHealth } from '../../../server/cli/health-command.js';
import { invokeConsole } from '../../../server/console/handlers.js';
import { agentOf } from '../../../server/health/idp.js';
import { healthGauges } from '../../../server/health/metrics.js';
import { consoleHandlers } from '../../helpers/console.js';
import { type TestNode, testNode, USER } from '../../helpers/node.js';
import { tokenRequest } from '../oauth/helpers.js';

const ENTRA = 'Microsoft Azure AD SCIM Client';
const OKTA = 'Okta SCIM Client 1.0.0';
const T0 = Date.parse('2026-11-29T10:00:00Z');

function clock(start = T0) {
  const c = { ms: start, now: () => new Date(c.ms), advance: (minutes: number) => (c.ms += minutes * 60_000) };
  return c;
}

const as = (ua: string) => ({ 'user-agent': ua });

async function times(n: number, fn: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < n; i++) await fn();
}

async function successes(t: TestNode, n: number, ua = ENTRA): Promise<void> {
  await times(n, () => t.scim('GET', '/Users?count=1', undefined, as(ua)));
}

async function conflicts(t: TestNode, n: number): Promise<void> {
  await times(n, async () => {
    const r = await t.scim('POST', '/Users', { schemas: [USER], userName: 'dup@example.com' }, as(ENTRA));
    expect(r.status).toBe(409);
  });
}

describe('provisioning health', () => {
  it('warns on a run of 409 conflicts with the right likely cause, then goes critical above 35%', async () => {
    const c = clock();
    const t = await testNode({ now: c.now });
    const tokenId = t.node.tokens.list()[0]?.id;
    expect((await t.scim('POST', '/Users', { schemas: [USER], userName: 'dup@example.com' }, as(ENTRA))).status).toBe(201);
    await successes(t, 9);
    await conflicts(t, 3);
    const report = t.node.health.report();
    expect(report).toMatchObject({
      level: 'warning',
      cycleMinutes: 40,
      thresholds: { warnPercent: 20, criticalPercent: 35, minRequests: 5 },
    });
    expect(report.idps).toHaveLength(1);
    const [idp] = report.idps;
    const last409 = t.node.events.list({ statusClass: 4 }).items[0]?.id;
    expect(idp).toMatchObject({
      key: `${tokenId}|Microsoft Entra`,
      principal: { kind: 'token', id: tokenId, label: 'token "test"' },
      agent: { family: 'entra', name: 'Microsoft Entra' },
      cycle: { requests: 13, errors: 3 },
      day: { requests: 13, errors: 3 },
      level: 'warning',
      topErrors: [{ kind: 'conflict', label: '409 uniqueness conflict', count: 3, cycleCount: 3, exampleEventId: last409 }],
      lastSuccessAt: expect.any(String),
      secondsSinceSuccess: 0,
    });
    expect(idp?.cycle.errorRate).toBeCloseTo(3 / 13);
    expect(idp?.likelyCause).toMatch(/^conflicts waiting: .*\(3 of 3 errors in the last cycle\)$/);

    const [warning, ...more] = t.node.health.check();
    expect(more).toEqual([]);
    expect(warning).toMatchObject({
      kind: 'provisioning-health',
      severity: 'warning',
      data: { idp: idp?.key, kind: 'conflict', exampleEventId: last409 },
    });
    expect(warning?.message).toBe(
      `Microsoft Entra via token "test": 23.1% of 13 requests failed in the last 40 minutes (warning at 20%). Likely cause: ${idp?.likelyCause}`,
    );
    expect(t.node.health.check()).toEqual([]); // once an hour per IdP and level

    await conflicts(t, 4); // 7 of 17 = 41%
    const [critical] = t.node.health.check();
    expect(critical).toMatchObject({ severity: 'critical', message: expect.stringContaining('41.2% of 17 requests failed') });
    expect(t.node.health.check()).toEqual([]);
    c.advance(61);
    await conflicts(t, 5); // still failing an hour later: raised again
    expect(t.node.health.check().map((a) => a.severity)).toEqual(['critical']);

    const handlers = consoleHandlers(t.node, { scimUrl: () => t.base });
    const viaConsole = await invokeConsole(handlers, 'health.get', {});
    expect(viaConsole).toMatchObject({ ok: true, value: { level: 'critical', idps: [{ key: idp?.key, level: 'critical' }] } });
  });

  it('goes critical on expired-token 401s and explains it, with the last success before the cycle', async () => {
    const c = clock();
    const t = await testNode({ now: c.now });
    const entra = t.node.tokens.create({ label: 'Entra prod', expiresInMs: 3_600_000 });
    const get = () => fetch(`${t.base}/Users`, { headers: { authorization: `Bearer ${entra.token}`, ...as(ENTRA) } });
    expect((await get()).status).toBe(200);
    c.advance(120);
    await times(6, async () => expect((await get()).status).toBe(401));
    const [idp] = t.node.health.report().idps;
    expect(idp).toMatchObject({
      principal: { kind: 'token', id: entra.id, label: 'token "Entra prod"' },
      cycle: { requests: 6, errors: 6, errorRate: 1 },
      day: { requests: 7, errors: 6 },
      level: 'critical',
      topErrors: [{ kind: 'token-expired', label: '401 expired token', count: 6 }],
      lastSuccessAt: new Date(T0).toISOString(),
      secondsSinceSuccess: 7200,
    });
    expect(idp?.likelyCause).toMatch(/^expired token: .*\(6 of 6 errors in the last cycle\)$/);
    expect(t.node.health.check()[0]?.message).toContain('Likely cause: expired token');
    // A day later the success is outside the 24 h window; it is still found, through the token's index.
    c.advance(24 * 60 + 1);
    await times(5, get);
    const later = t.node.health.report().idps[0];
    expect(later?.day).toMatchObject({ requests: 5, errors: 5 });
    expect(later?.lastSuccessAt).toBe(new Date(T0).toISOString());
  });

  it('tells error kinds and IdPs apart: invalid filters, rate limiting, revoked tokens, unknown credentials, OAuth', async () => {
    const c = clock();
    const t = await testNode({ now: c.now, settings: { rateLimit: { perSecond: 3, burst: 3 } } });
    // The bucket takes 3 a second plus a burst of 3: six invalid filters, then two 429s.
    await times(8, () => t.scim('GET', '/Users?filter=userName%20zz%20%22x%22', undefined, as(OKTA)));
    const okta = t.node.health.report().idps.find((i) => i.agent.family === 'okta');
    expect(okta?.topErrors.map((e) => [e.kind, e.count])).toEqual([
      ['invalid-filter', 6],
      ['rate-limited', 2],
    ]);
    expect(okta?.likelyCause).toMatch(/^invalid filters: /);
    const revoked = t.node.tokens.create({ label: 'old' });
    t.node.tokens.revoke(revoked.id);
    await fetch(`${t.base}/Users`, { headers: { authorization: `Bearer ${revoked.token}`, ...as(ENTRA) } });
    for (const ua of ['curl/8.1', 'evil/1', 'evil/2']) {
      await fetch(`${t.base}/Users`, { headers: { authorization: 'Bearer scimdesk_000000000000_nope', ...as(ua) } });
    }
    const { client } = t.node.oauth.create({ name: 'Entra OAuth' });
    await tokenRequest(t, { form: { grant_type: 'client_credentials' }, basic: [client.id, 'sdcs_wrong'], userAgent: ENTRA });
    const report = t.node.health.report();
    const byKey = Object.fromEntries(report.idps.map((i) => [i.key, i]));
    expect(byKey[`${revoked.id}|Microsoft Entra`]?.topErrors[0]?.kind).toBe('token-revoked');
    // Without a credential, arbitrary agents share one bucket: the list and the metrics stay bounded.
    // Repeats from one source are one row until their window closes (issue #15.4), so one is counted.
    expect(byKey['unidentified|other']).toMatchObject({ principal: { kind: 'unidentified' }, day: { requests: 1, errors: 1 } });
    expect(byKey['unidentified|other']?.topErrors[0]?.kind).toBe('unauthorized');
    expect(byKey[`oauth:${client.id}|Microsoft Entra`]).toMatchObject({
      principal: { kind: 'oauth', label: 'OAuth client "Entra OAuth"' },
      topErrors: [{ kind: 'token-request-failed' }],
    });
  });

  it('judges the last cycle only, needs a minimum of requests, and follows the configured thresholds', async () => {
    const c = clock();
    const t = await testNode({ now: c.now });
    await t.scim('POST', '/Users', { schemas: [USER], userName: 'dup@example.com' }, as(ENTRA));
    await conflicts(t, 9);
    expect(t.node.health.report().level).toBe('critical');
    c.advance(41);
    await successes(t, 10);
    const [idp] = t.node.health.report().idps;
    expect(idp).toMatchObject({ level: 'ok', cycle: { requests: 10, errors: 0 }, day: { requests: 20, errors: 9 } });
    expect(idp?.likelyCause).toMatch(/\(9 of 9 errors in the last 24 h\)$/);
    c.advance(41);
    await conflicts(t, 4);
    expect(t.node.health.report().idps[0]).toMatchObject({ level: 'ok', cycle: { requests: 4, errors: 4 } }); // below 5 requests
    await successes(t, 6); // 4 of 10 = 40%
    expect(t.node.health.report().level).toBe('critical');
    t.node.settings.set('healthCriticalPercent', 50);
    expect(t.node.health.report().level).toBe('warning');
    t.node.settings.set('healthWarnPercent', 45);
    expect(t.node.health.report().level).toBe('ok');
    expect(() => t.node.settings.set('healthWarnPercent', 0)).toThrow('must be a number from 1 to 100');
  });

  it('re-checks on failures in the background and raises the alert without anyone asking', async () => {
    const t = await testNode();
    const stop = t.node.health.watch(t.node.bus, 10);
    try {
      await t.scim('POST', '/Users', { schemas: [USER], userName: 'dup@example.com' }, as(ENTRA));
      await conflicts(t, 5);
      await vi.waitFor(() => expect(t.node.alerts.list().filter((a) => a.kind === 'provisioning-health').length).toBeGreaterThan(0));
      expect(t.node.alerts.list()[0]?.message).toContain('Likely cause: conflicts waiting');
    } finally {
      stop();
    }
  });

  it('prints a readable report for `scimdesk health`', async () => {
    const t = await testNode({ now: clock().now });
    await t.scim('POST', '/Users', { schemas: [USER], userName: 'dup@example.com' }, as(ENTRA));
    await conflicts(t, 4);
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => lines.push(String(chunk)) > 0);
    try {
      printHealth(t.node.health.report());
    } finally {
      vi.restoreAllMocks();
    }
    const example = t.node.events.list().items[0]?.id;
    expect(lines.join('').trimEnd().split('\n')).toEqual([
      'Provisioning health: CRITICAL (warning at 20%, critical at 35% failed over the last 40 minutes)',
      'CRITICAL  Microsoft Entra via token "test"',
      '  last cycle: 80% of 5 requests failed; last 24 h: 80% of 5',
      '  last success: 2026-11-29T10:00:00.000Z (0 s ago)',
      `  top errors: 409 uniqueness conflict ×4 (event ${example})`,
      expect.stringMatching(/^ {2}likely cause: conflicts waiting: .*\(4 of 4 errors in the last cycle\)$/),
    ]);
  });

  it('reports no IdPs on a quiet node', async () => {
    const t = await testNode();
    expect(t.node.health.report()).toMatchObject({ level: 'ok', idps: [] });
    expect(t.node.health.check()).toEqual([]);
  });
});

describe('user agent families', () => {
  it.each([
    ['Okta SCIM Client 1.0.0', 'okta', 'Okta'],
    ['Azure AD SCIM', 'entra', 'Microsoft Entra'],
    ['Microsoft Azure AD SCIM Client', 'entra', 'Microsoft Entra'],
    ['Microsoft Entra provisioning', 'entra', 'Microsoft Entra'],
    ['curl/8.1', 'other', 'other'],
    [null, 'other', 'other'],
    ['', 'other', 'other'],
  ])('%s → %s', (ua, family, name) => {
    expect(agentOf(ua)).toEqual({ family, name });
  });
});

describe('metrics', () => {
  it('exports clean gauge data for prom-client', async () => {
    const t = await testNode();
    await t.scim('POST', '/Users', { schemas: [USER], userName: 'dup@example.com' }, as(ENTRA));
    await conflicts(t, 4);
    const gauges = healthGauges(t.node.health.report());
    const byName = Object.fromEntries(gauges.map((g) => [g.name, g]));
    expect(Object.keys(byName)).toEqual([
      'scimdesk_health_level',
      'scimdesk_idp_health_level',
      'scimdesk_idp_requests',
      'scimdesk_idp_errors',
      'scimdesk_idp_error_ratio',
      'scimdesk_idp_errors_by_kind',
      'scimdesk_idp_seconds_since_success',
    ]);
    expect(byName.scimdesk_health_level?.samples).toEqual([{ labels: {}, value: 2 }]);
    const labels = { idp: expect.stringMatching(/\|Microsoft Entra$/), principal: 'token "test"', agent: 'Microsoft Entra' };
    expect(byName.scimdesk_idp_error_ratio?.samples).toEqual([
      { labels: { ...labels, window: 'cycle' }, value: 0.8 },
      { labels: { ...labels, window: '24h' }, value: 0.8 },
    ]);
    expect(byName.scimdesk_idp_errors_by_kind?.samples).toEqual([{ labels: { ...labels, kind: 'conflict' }, value: 4 }]);
    for (const g of gauges) for (const s of g.samples) expect(Object.keys(s.labels).sort()).toEqual([...g.labelNames].sort());
  });
});
