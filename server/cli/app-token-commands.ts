import type { Command } from 'commander';
import { InputError } from '../input-error.js';
import { dataOption, out, printJson, withNode } from './shared.js';

/** `scimdesk app-token …`: read-only credentials for downstream applications (issue #14 §2). */
export function registerAppTokenCommands(program: Command): void {
  const cmd = program.command('app-token').description('manage read-only app tokens for /api/directory/v1');
  cmd
    .command('create')
    .description('create an app token; the secret is printed once, alone on the last line')
    .requiredOption('--label <name>', 'which application uses it, e.g. "Billing"')
    .option(...dataOption)
    .action(async (flags: { label: string; data?: string }) => {
      const t = await withNode(flags.data, (node) => node.appTokens.create(flags.label));
      out(`Created app token ${t.id} (${t.label}), prefix ${t.prefix}. It reads /api/directory/v1 only.`);
      out('Copy it now: it is shown only once and cannot be recovered.');
      out(t.token);
    });
  cmd
    .command('list')
    .description('list app tokens (never their secrets)')
    .option('--json', 'print a JSON array')
    .option(...dataOption)
    .action(async (flags: { json?: boolean; data?: string }) => {
      const all = await withNode(flags.data, (node) => node.appTokens.list());
      if (flags.json) {
        printJson(all);
        return;
      }
      if (all.length === 0) out('No app tokens. Create one with `scimdesk app-token create --label NAME`.');
      for (const t of all)
        out(`${t.id}  ${t.prefix}  ${t.revokedAt ? 'revoked' : 'active '}  ${t.label}  last used ${t.lastUsedAt ?? 'never'}`);
    });
  cmd
    .command('revoke')
    .description('revoke an app token; it stops working on the next request')
    .argument('<id>', 'app token id')
    .option(...dataOption)
    .action(async (id: string, flags: { data?: string }) => {
      const ok = await withNode(flags.data, (node) => node.appTokens.revoke(id));
      if (!ok) throw new InputError(`no active app token with id ${id}`);
      out(`Revoked app token ${id}.`);
    });
}
