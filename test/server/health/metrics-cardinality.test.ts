import { describe, expect, it } from 'vitest';
import { healthGauges } from '../../../server/health/metrics.js';
import { testNode } from '../../helpers/node.js';

describe('metrics cardinality (issue #15.13)', () => {
  it('folds caller-chosen User-Agents into one series per principal and agent family', async () => {
    const t = await testNode();
    for (let i = 0; i < 40; i++) {
      const r = await t.scim('GET', '/Users?count=1', undefined, { 'user-agent': `curl/${i}.0 (probe ${Math.random()})` });
      expect(r.status).toBe(200);
    }
    for (let i = 0; i < 3; i++) await t.scim('GET', '/Users?count=1', undefined, { 'user-agent': 'Okta SCIM Client 1.0.0' });
    const gauges = healthGauges(t.node.health.report());
    const requests = gauges.find((g) => g.name === 'scimdesk_idp_requests');
    const labelSets = new Set(requests?.samples.map((s) => JSON.stringify({ ...s.labels, window: undefined })));
    expect(labelSets.size).toBe(2);
    const agents = new Set(requests?.samples.map((s) => s.labels.agent));
    expect([...agents].sort()).toEqual(['Okta', 'other']);
    const other = requests?.samples.filter((s) => s.labels.agent === 'other');
    expect(other?.map((s) => [s.labels.window, s.value]).sort()).toEqual([
      ['24h', 40],
      ['cycle', 40],
    ]);
    // Every gauge has unique label sets: prom-client would silently overwrite duplicates.
    for (const g of gauges) {
      const keys = g.samples.map((s) => JSON.stringify(s.labels));
      expect(new Set(keys).size).toBe(keys.length);
    }
  });
});
