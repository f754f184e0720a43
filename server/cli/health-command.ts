import type { Command } from 'commander';
import type { HealthReport, IdpHealth } from '../console/contract.js';
import { dataOption, out, printJson, withNode } from './shared.js';

const pct = (rate: number): string => `${Math.round(rate * 1000) / 10}%`;

function ago(seconds: number | null): string {
  if (seconds === null) return 'none recorded';
  if (seconds < 90) return `${seconds} s ago`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86_400)} days ago`;
}

function describe(i: IdpHealth): string[] {
  const lines = [
    `${i.level.toUpperCase().padEnd(8)}  ${i.agent.name} via ${i.principal.label}`,
    `  last cycle: ${pct(i.cycle.errorRate)} of ${i.cycle.requests} requests failed; last 24 h: ${pct(i.day.errorRate)} of ${i.day.requests}`,
    `  last success: ${i.lastSuccessAt ? `${i.lastSuccessAt} (${ago(i.secondsSinceSuccess)})` : 'none recorded'}`,
  ];
  if (i.topErrors.length) {
    lines.push(`  top errors: ${i.topErrors.map((e) => `${e.label} ×${e.count} (event ${e.exampleEventId})`).join('; ')}`);
  }
  if (i.likelyCause) lines.push(`  likely cause: ${i.likelyCause}`);
  return lines;
}

export function printHealth(report: HealthReport): void {
  const t = report.thresholds;
  out(
    `Provisioning health: ${report.level.toUpperCase()} (warning at ${t.warnPercent}%, critical at ${t.criticalPercent}% failed over the last ${report.cycleMinutes} minutes)`,
  );
  if (report.idps.length === 0) out('No SCIM traffic in the last 24 h.');
  for (const i of report.idps) for (const line of describe(i)) out(line);
}

/** `scimdesk health`: per-IdP error rates, top errors and likely causes, from the event log. */
export function registerHealthCommand(program: Command): void {
  program
    .command('health')
    .description('per-IdP provisioning health: error rates, top errors, likely cause')
    .option('--json', 'print the report as JSON')
    .option(...dataOption)
    .action(async (flags: { json?: boolean; data?: string }) => {
      const report = await withNode(flags.data, (node) => node.health.report());
      if (flags.json) printJson(report);
      else printHealth(report);
    });
}
