import type { Command } from 'commander';
import { parseDuration, type TokenSummary } from '../auth/tokens.js';
import { dataOption, out, printJson, withNode } from './shared.js';

const tokenJson = (t: TokenSummary) => ({
  id: t.id,
  label: t.label,
  prefix: t.prefix,
  createdAt: t.createdAt,
  expiresAt: t.expiresAt,
  lastUsedAt: t.lastUsedAt,
});

export function registerTokenCommands(program: Command): void {
  const token = program.command('token').description('manage provisioning tokens');
  token
    .command('create')
    .description('create a token; the secret is printed once, alone on the last line')
    .requiredOption('--label <name>', 'what the token is for, e.g. "Okta production"')
    .option('--expires-in <duration>', 'lifetime such as 90d, 12h, 2w or 1y (default: no expiry)')
    .option(...dataOption)
    .action(async (flags: { label: string; expiresIn?: string; data?: string }) => {
      const expiresInMs = flags.expiresIn ? parseDuration(flags.expiresIn) : null;
      const created = await withNode(flags.data, (node) => node.tokens.create({ label: flags.label, expiresInMs }));
      out(
        `Created token ${created.id} (${created.label}), prefix ${created.prefix}${created.expiresAt ? `, expires ${created.expiresAt}` : ''}.`,
      );
      out('Copy it now: it is shown only once and cannot be recovered.');
      out(created.token);
    });
  token
    .command('list')
    .description('list tokens (never their secrets)')
    .option('--json', 'print a JSON array')
    .option(...dataOption)
    .action(async (flags: { json?: boolean; data?: string }) => {
      const all = await withNode(flags.data, (node) => node.tokens.list().map((t) => ({ ...t, state: node.tokens.state(t) })));
      if (flags.json) {
        printJson(all.map(tokenJson));
        return;
      }
      if (all.length === 0) out('No tokens. Create one with `scimdesk token create --label NAME`.');
      for (const t of all) {
        const { state } = t;
        const used = t.lastUsedAt ? `last used ${t.lastUsedAt} from ${t.lastUsedIp ?? '?'}` : 'never used';
        out(`${t.id}  ${t.prefix}  ${state.padEnd(7)}  ${t.label}  ${used}  ${t.requestCount} requests  expires ${t.expiresAt ?? 'never'}`);
      }
    });
  token
    .command('rotate')
    .description('create a successor; the old token works until revoked, or until the new one is first used plus --grace')
    .argument('<id>', 'token id to rotate')
    .option('--grace <duration>', 'how long the old token keeps working after the new one is first used', '24h')
    .option(...dataOption)
    .action(async (id: string, flags: { grace: string; data?: string }) => {
      const graceMs = parseDuration(flags.grace);
      const created = await withNode(flags.data, (node) => node.tokens.rotate(id, graceMs));
      out(
        `Created successor ${created.id} for ${id}. The old token keeps working until revoked, or ${flags.grace} after the new one is first used.`,
      );
      out('Put the new token in the IdP, use Test Connection, then revoke the old one. Copy it now: it is shown only once.');
      out(created.token);
    });
  token
    .command('allow')
    .description('restrict a token to source addresses (IP or CIDR); --any lifts the restriction')
    .argument('<id>', 'token id')
    .option('--cidr <ranges...>', 'e.g. 203.0.113.0/24 2001:db8::/32')
    .option('--any', 'allow every source again')
    .option(...dataOption)
    .action(async (id: string, flags: { cidr?: string[]; any?: boolean; data?: string }) => {
      if (!flags.any && !flags.cidr?.length) throw new Error('give --cidr RANGE... or --any');
      const t = await withNode(flags.data, (node) => node.tokens.setAllowedCidrs(id, flags.any ? null : (flags.cidr ?? null)));
      out(
        t.allowedCidrs
          ? `Token ${id} now accepts requests only from ${t.allowedCidrs.join(', ')}.`
          : `Token ${id} accepts requests from any source.`,
      );
    });
  token
    .command('hygiene')
    .description('tokens older than 90 days, expired, unused, or used from a new address')
    .option('--json', 'print a JSON array')
    .option(...dataOption)
    .action(async (flags: { json?: boolean; data?: string }) => {
      const report = await withNode(flags.data, (node) => node.tokens.hygiene());
      if (flags.json) printJson(report);
      else if (report.length === 0) out('All tokens look healthy.');
      else for (const r of report) for (const i of r.issues) out(`${r.id}  ${r.label}  ${i.kind}: ${i.detail}`);
    });
  token
    .command('revoke')
    .description('revoke a token; it stops working on the next request')
    .argument('<id>', 'token id (from `token list`)')
    .option(...dataOption)
    .action(async (id: string, flags: { data?: string }) => {
      const ok = await withNode(flags.data, (node) => node.tokens.revoke(id));
      if (!ok) throw new Error(`no active token with id ${id}`);
      out(`Revoked token ${id}.`);
    });
}
