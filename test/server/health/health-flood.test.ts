import { describe, expect, it } from 'vitest';
import { MAX_IDPS } from '../../../server/health/health.js';
import { healthGauges } from '../../../server/health/metrics.js';
import type { NewEvent } from '../../../server/store/events-repo.js';
import { type TestNode, testNode } from '../../helpers/node.js';

/**
 * Issue #15: the User-Agent is caller-chosen text (no credential needed to send one), so the health
 * report groups IdPs by principal and agent family, the same classification the metrics use. A flood
 * of distinct agents cannot push a real IdP out of the report's MAX_IDPS.
 */
const OKTA = 'Okta SCIM Client 1.0.0';
const T0 = Date.parse('2026-11-29T10:00:00Z');
const randomAgent = () => `bot/${Math.random().toString(36).slice(2)} (${Math.random().toString(36).slice(2)})`;

/** Seeds one recorded exchange, as the recorder writes it (many sources, so no aggregation applies). */
function seed(t: TestNode, e: { status: number; tokenId: string | null; userAgent: string | null; method?: string }): void {
  const row: NewEvent = {
    time: new Date(T0).toISOString(),
    requestId: `r-${Math.random()}`,
    method: e.method ?? 'GET',
    path: '/scim/v2/Users',
    status: e.status,
    latencyMs: 1,
    tokenId: e.tokenId,
    sourceIp: '203.0.113.9',
    userAgent: e.userAgent,
    resourceType: null,
    resourceId: null,
    userName: null,
    notes: e.status === 401 ? ['authentication failed: unknown token'] : [],
    changes: [],
    requestHeaders: {},
    requestBody: null,
    responseBody: null,
  };
  t.repos.events.insert(row);
}

const setup = async () => {
  const t = await testNode({ now: () => new Date(T0) });
  const okta = t.node.tokens.create({ label: 'Okta prod' });
  for (let i = 0; i < 3; i++) seed(t, { status: 200, tokenId: okta.id, userAgent: OKTA });
  return { t, okta };
};

describe('health report under a User-Agent flood (issue #15)', () => {
  it('500 distinct random User-Agents of unauthenticated 401s do not push a real token’s Okta traffic out', async () => {
    const { t, okta } = await setup();
    for (let i = 0; i < 500; i++) seed(t, { status: 401, tokenId: null, userAgent: randomAgent() });
    // Even agents that claim to be an IdP land in that IdP's family bucket, not in new entries.
    for (let i = 0; i < 100; i++) seed(t, { status: 401, tokenId: null, userAgent: `Okta SCIM Client ${randomAgent()}` });
    const report = t.node.health.report();
    expect(report.idps.map((i) => [i.key, i.day.requests, i.day.errors, i.level])).toEqual([
      ['unidentified|other', 500, 500, 'critical'],
      ['unidentified|Okta', 100, 100, 'critical'],
      [`${okta.id}|Okta`, 3, 0, 'ok'],
    ]);
    expect(report.idps[2]).toMatchObject({
      principal: { kind: 'token', label: 'token "Okta prod"' },
      agent: { family: 'okta', name: 'Okta' },
    });
  });

  it('a token holder cycling User-Agents makes one entry, not one per agent', async () => {
    const { t, okta } = await setup();
    const noisy = t.node.tokens.create({ label: 'noisy' });
    // Failing writes, five per agent: on raw agents each would be its own critical IdP ranked first.
    for (let i = 0; i < MAX_IDPS + 10; i++) {
      const ua = randomAgent();
      for (let j = 0; j < 5; j++) seed(t, { status: 404, tokenId: noisy.id, userAgent: ua, method: 'PATCH' });
    }
    const report = t.node.health.report();
    expect(report.idps.map((i) => [i.key, i.agent, i.day.requests, i.level])).toEqual([
      [`${noisy.id}|other`, { family: 'other', name: 'other' }, (MAX_IDPS + 10) * 5, 'critical'],
      [`${okta.id}|Okta`, { family: 'okta', name: 'Okta' }, 3, 'ok'],
    ]);
    // The gauges label the same entries: one classification for the report and the metrics.
    const requests = healthGauges(report).find((g) => g.name === 'scimdesk_idp_requests');
    expect(requests?.samples.filter((s) => s.labels.window === '24h').map((s) => [s.labels.idp, s.labels.agent, s.value])).toEqual([
      [`${noisy.id}|other`, 'other', (MAX_IDPS + 10) * 5],
      [`${okta.id}|Okta`, 'Okta', 3],
    ]);
  });
});
