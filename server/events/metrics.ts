import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { HealthReport } from '../console/contract.js';
import { agentOf } from '../health/idp.js';
import { type HealthGauge, healthGauges } from '../health/metrics.js';
import type { MetricCounts } from '../store/stats-repo.js';
import type { Bus } from './bus.js';

/** Which IdP sent a request: the health report's own agent family (three values, whatever is sent). */
const idpOf = (userAgent: string | null): 'okta' | 'entra' | 'other' => agentOf(userAgent).family;

const EMPTY_HEALTH: HealthReport = {
  generatedAt: '',
  cycleMinutes: 40,
  thresholds: { warnPercent: 0, criticalPercent: 0, minRequests: 0 },
  level: 'ok',
  idps: [],
};

/**
 * Prometheus metrics (prom-client), served on the loopback console listener only. Request counters
 * and the latency histogram follow the bus; directory sizes are read at scrape time with cheap counts.
 * `flushEvents` writes the event log's pending batch first, so a scrape counts every finished request.
 */
export function createMetrics(
  directory: { metricCounts(): MetricCounts },
  bus: Bus,
  now: () => Date,
  health?: () => HealthReport,
  flushEvents: () => void = () => {},
): Registry {
  const registry = new Registry();
  const requests = new Counter({
    name: 'scimdesk_scim_requests_total',
    help: 'SCIM requests by status class and IdP',
    labelNames: ['status_class', 'idp'] as const,
    registers: [registry],
    // The first metric collected: the flush feeds this counter and the histogram below through the bus.
    collect: flushEvents,
  });
  const latency = new Histogram({
    name: 'scimdesk_scim_request_duration_seconds',
    help: 'SCIM request latency',
    labelNames: ['idp'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const limited = new Counter({
    name: 'scimdesk_rate_limited_total',
    help: 'SCIM requests rejected by the per-token rate limit',
    registers: [registry],
  });
  bus.on('events.appended', (e) => {
    const idp = idpOf(e.userAgent);
    requests.inc({ status_class: `${Math.floor(e.status / 100)}xx`, idp });
    latency.observe({ idp }, e.latencyMs / 1000);
    if (e.status === 429) limited.inc();
  });
  const gauge = (name: string, help: string, pick: (c: MetricCounts) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(pick(directory.metricCounts()));
      },
    });
  gauge('scimdesk_users', 'Users in the directory', (c) => c.users);
  gauge('scimdesk_groups', 'Groups in the directory', (c) => c.groups);
  gauge('scimdesk_active_tokens', 'Provisioning tokens neither revoked nor expired', (c) => c.tokens);
  // max-min+1 is exact without pruning gaps and never scans: events are pruned oldest-first.
  gauge('scimdesk_event_log_rows', 'Approximate number of events in the event log', (c) => c.events);
  if (health) {
    // One health report per scrape, shared by all its gauges.
    let cached: { at: number; gauges: HealthGauge[] } | null = null;
    const current = (): HealthGauge[] => {
      const at = now().getTime();
      if (!cached || at - cached.at > 1000) cached = { at, gauges: healthGauges(health()) };
      return cached.gauges;
    };
    for (const g of healthGauges(EMPTY_HEALTH)) {
      new Gauge({
        name: g.name,
        help: g.help,
        labelNames: [...g.labelNames],
        registers: [registry],
        collect() {
          this.reset();
          for (const sample of current().find((x) => x.name === g.name)?.samples ?? []) this.set(sample.labels, sample.value);
        },
      });
    }
  }
  return registry;
}
