import type { Command } from 'commander';
import { parseDuration } from '../auth/tokens.js';
import type { OAuthClientSummary } from '../console/contract.js';
import { OAUTH_TOKEN_PATH } from '../http/oauth-router.js';
import { dataOption, out, printJson, withNode } from './shared.js';

const describe = (c: OAuthClientSummary): string => {
  const active = c.secrets.filter((s) => s.state === 'active');
  const used = c.lastUsedAt ? `last token ${c.lastUsedAt}` : 'never used';
  const hints = active.map((s) => s.hint).join(', ') || 'none';
  return `${c.id}  ${c.state.padEnd(7)}  ${c.name}  ${used}  active secrets: ${hints}`;
};

/** `scimdesk oauth client …`: OAuth 2.0 clients for the client credentials grant (RFC 6749 §4.4). */
export function registerOAuthCommands(program: Command): void {
  const oauth = program.command('oauth').description('OAuth 2.0 client credentials for IdPs');
  const client = oauth.command('client').description('manage OAuth clients (client id + secret)');
  client
    .command('create')
    .description('create a client; the secret is printed once, alone on the last line')
    .requiredOption('--name <name>', 'what the client is for, e.g. "Entra production"')
    .option(...dataOption)
    .action(async (flags: { name: string; data?: string }) => {
      const created = await withNode(flags.data, (node) => node.oauth.create({ name: flags.name }));
      out(`Created OAuth client ${created.client.id} (${created.client.name}).`);
      out(`Client ID: ${created.client.id}`);
      out(`Token endpoint: POST https://<this node>${OAUTH_TOKEN_PATH} (grant_type=client_credentials)`);
      out('Copy the client secret now: it is shown only once and cannot be recovered.');
      out(created.clientSecret);
    });
  client
    .command('list')
    .description('list clients and their secrets’ hints (never the secrets)')
    .option('--json', 'print a JSON array')
    .option(...dataOption)
    .action(async (flags: { json?: boolean; data?: string }) => {
      const all = await withNode(flags.data, (node) => node.oauth.list());
      if (flags.json) {
        printJson(all);
        return;
      }
      if (all.length === 0) out('No OAuth clients. Create one with `scimdesk oauth client create --name NAME`.');
      for (const c of all) out(describe(c));
    });
  client
    .command('rotate')
    .description('add a secret; old secrets keep working until revoked, or for --grace')
    .argument('<id>', 'client id')
    .option('--grace <duration>', 'old secrets stop this long from now (e.g. 24h); default: until revoked')
    .option(...dataOption)
    .action(async (id: string, flags: { grace?: string; data?: string }) => {
      const graceMs = flags.grace ? parseDuration(flags.grace) : null;
      const created = await withNode(flags.data, (node) => node.oauth.rotate(id, graceMs));
      out(
        `Added secret ${created.secretId} to ${id}. ${flags.grace ? `Older secrets stop working in ${flags.grace}.` : 'Older secrets keep working until revoked.'}`,
      );
      out(
        'Put the new secret in the IdP, test the connection, then `scimdesk oauth client revoke ID --secret OLD_SECRET_ID`. Copy it now: it is shown only once.',
      );
      out(created.clientSecret);
    });
  client
    .command('revoke')
    .description('revoke a client (or one secret); its access tokens stop on the next request')
    .argument('<id>', 'client id (from `oauth client list`)')
    .option('--secret <secretId>', 'revoke only this secret (ids in `oauth client list --json`)')
    .option(...dataOption)
    .action(async (id: string, flags: { secret?: string; data?: string }) => {
      const ok = await withNode(flags.data, (node) => node.oauth.revoke(id, flags.secret));
      if (!ok) throw new Error(flags.secret ? `no active secret ${flags.secret} on client ${id}` : `no active OAuth client with id ${id}`);
      out(flags.secret ? `Revoked secret ${flags.secret} of client ${id}.` : `Revoked OAuth client ${id}.`);
    });
}
