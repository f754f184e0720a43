import type { HealthLevel, HealthReport } from '../console/contract.js';

/**
 * Provisioning health as plain gauge data, independent of any metrics library. With prom-client:
 *
 *   for (const g of healthGauges(emptyReport)) new Gauge({ name: g.name, help: g.help, labelNames: g.labelNames,
 *     collect() { const cur = healthGauges(node.health.report()).find((x) => x.name === g.name);
 *       this.reset(); for (const s of cur?.samples ?? []) this.set(s.labels, s.value); } });
 *
 * Label values are bounded: at most MAX_IDPS IdPs, each a credential and one of three agent families.
 */
export interface HealthGauge {
  name: string;
  help: string;
  labelNames: readonly string[];
  samples: { labels: Record<string, string>; value: number }[];
}

export const HEALTH_LEVEL_VALUE: Record<HealthLevel, number> = { ok: 0, warning: 1, critical: 2 };

const IDP_LABELS = ['idp', 'principal', 'agent'] as const;

type Idp = HealthReport['idps'][number];

/**
 * The report's entries are already principal × agent family (agentOf in idp.ts, the classification
 * the request counters use too), so each entry is one label set and caller-chosen User-Agents open
 * no new series.
 */
export function healthGauges(report: HealthReport): HealthGauge[] {
  const base = (i: Idp) => ({ idp: i.key, principal: i.principal.label, agent: i.agent.name });
  const perWindow = (pick: (w: HealthReport['idps'][number]['cycle']) => number) =>
    report.idps.flatMap((i) => [
      { labels: { ...base(i), window: 'cycle' }, value: pick(i.cycle) },
      { labels: { ...base(i), window: '24h' }, value: pick(i.day) },
    ]);
  return [
    {
      name: 'scimdesk_health_level',
      help: 'Worst provisioning health of any IdP: 0 ok, 1 warning, 2 critical',
      labelNames: [],
      samples: [{ labels: {}, value: HEALTH_LEVEL_VALUE[report.level] }],
    },
    {
      name: 'scimdesk_idp_health_level',
      help: 'Provisioning health of one IdP over the last cycle: 0 ok, 1 warning, 2 critical',
      labelNames: IDP_LABELS,
      samples: report.idps.map((i) => ({ labels: base(i), value: HEALTH_LEVEL_VALUE[i.level] })),
    },
    {
      name: 'scimdesk_idp_requests',
      help: `SCIM requests of one IdP in the window (cycle = last ${report.cycleMinutes} minutes, or 24h)`,
      labelNames: [...IDP_LABELS, 'window'],
      samples: perWindow((w) => w.requests),
    },
    {
      name: 'scimdesk_idp_errors',
      help: 'Failed SCIM requests of one IdP in the window',
      labelNames: [...IDP_LABELS, 'window'],
      samples: perWindow((w) => w.errors),
    },
    {
      name: 'scimdesk_idp_error_ratio',
      help: 'Share of failed SCIM requests of one IdP in the window, 0 to 1',
      labelNames: [...IDP_LABELS, 'window'],
      samples: perWindow((w) => w.errorRate),
    },
    {
      name: 'scimdesk_idp_errors_by_kind',
      help: 'Failed SCIM requests of one IdP in the last 24h by error kind (top kinds only)',
      labelNames: [...IDP_LABELS, 'kind'],
      samples: report.idps.flatMap((i) => i.topErrors.map((e) => ({ labels: { ...base(i), kind: e.kind }, value: e.count }))),
    },
    {
      name: 'scimdesk_idp_seconds_since_success',
      help: 'Seconds since the last successful SCIM request of one IdP (absent when none is recorded)',
      labelNames: IDP_LABELS,
      samples: report.idps.flatMap((i) => (i.secondsSinceSuccess === null ? [] : [{ labels: base(i), value: i.secondsSinceSuccess }])),
    },
  ];
}
