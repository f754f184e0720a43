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
      const all = await withNode(flags.data, (node) => node.tokens.list());
      if (flags.json) {
        printJson(all.map(tokenJson));
        return;
      }
      if (all.length === 0) out('No tokens. Create one with `scimdesk token create --label NAME`.');
      for (const t of all) {
        const state = t.revokedAt ? 'revoked' : t.expiresAt && Date.parse(t.expiresAt) < Date.now() ? 'expired' : 'active';
        out(`${t.id}  ${t.prefix}  ${state.padEnd(7)}  ${t.label}  last used ${t.lastUsedAt ?? 'never'}`);
      }
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
