import type { Command } from 'commander';
import { parseDuration } from '../auth/tokens.js';
import type { EndpointSummary } from '../delivery/webhooks.js';
import { InputError } from '../input-error.js';
import { dataOption, out, printJson, withNode } from './shared.js';

const listJson = (e: EndpointSummary) => ({
  id: e.id,
  label: e.label,
  url: e.url,
  events: e.events,
  status: e.status,
  lastDeliveryAt: e.lastDeliveryAt,
  lastStatus: e.lastStatus,
  pendingEvents: e.pendingEvents,
  deadLettered: e.deadLettered,
});

/**
 * `scimdesk webhook …` (issue #14 §3). Commands write the shared database; a running `serve`
 * picks changes up within its poll interval (half a second), so no restart is needed.
 */
export function registerWebhookCommands(program: Command): void {
  const cmd = program.command('webhook').description('manage webhook endpoints that receive the change feed');
  cmd
    .command('add')
    .description('add an endpoint; prints its id, then the signing secret alone on the last line')
    .requiredOption('--url <url>', 'http or https URL that receives one POST per event')
    .option('--events <patterns>', 'comma-separated types or patterns, e.g. user.*,group.member_added (default: all)')
    .option('--label <label>', 'a name for the endpoint (default: its host)')
    .option(...dataOption)
    .action(async (flags: { url: string; events?: string; label?: string; data?: string }) => {
      const r = await withNode(flags.data, (node) => node.webhooks.add({ url: flags.url, events: flags.events, label: flags.label }));
      out(r.endpoint.id);
      out(`Endpoint "${r.endpoint.label}" receives ${r.endpoint.events.join(',')} from now on. Signing secret (shown once):`);
      out(r.secret);
    });
  cmd
    .command('list')
    .description('list endpoints with their delivery state')
    .option('--json', 'print a JSON array')
    .option(...dataOption)
    .action(async (flags: { json?: boolean; data?: string }) => {
      const all = await withNode(flags.data, (node) => node.webhooks.list());
      if (flags.json) {
        printJson(all.map(listJson));
        return;
      }
      if (all.length === 0) out('No webhook endpoints. Add one with `scimdesk webhook add --url URL`.');
      for (const e of all) {
        out(
          `${e.id}  ${e.status.padEnd(8)}  ${e.label}  ${e.url}  ${e.pendingEvents} pending (${e.lagSeconds} s behind)  ${e.deadLettered} dead-lettered  last ${e.lastStatus ?? '-'} at ${e.lastDeliveryAt ?? 'never'}`,
        );
      }
    });
  cmd
    .command('test')
    .description('send a signed "ping" event and show the answer')
    .argument('<id>', 'endpoint id')
    .option(...dataOption)
    .action(async (id: string, flags: { data?: string }) => {
      const r = await withNode(flags.data, (node) => node.webhooks.test(id));
      const ok = r.status !== null && r.status >= 200 && r.status < 300;
      out(`${ok ? 'OK' : 'FAILED'}: ${r.status === null ? (r.error ?? 'no answer') : `HTTP ${r.status}`} in ${r.latencyMs} ms`);
      if (!ok) process.exitCode = 1;
    });
  cmd
    .command('redeliver')
    .description('deliver again: every event from --from on, or the dead letters (once each)')
    .argument('<id>', 'endpoint id')
    .option('--from <eventId>', 'first event id to send again')
    .option('--dead-letters', 'send the dead-lettered events again')
    .option(...dataOption)
    .action(async (id: string, flags: { from?: string; deadLetters?: boolean; data?: string }) => {
      const from = flags.from === undefined ? undefined : Number(flags.from);
      if (from !== undefined && !Number.isSafeInteger(from)) throw new InputError(`--from must be an event id, not "${flags.from}"`);
      if (from !== undefined && flags.deadLetters) throw new InputError('use either --from or --dead-letters');
      const r = await withNode(flags.data, (node) => node.webhooks.redeliver(id, { from, deadLetters: flags.deadLetters }));
      out(`Queued ${r.requeued} event${r.requeued === 1 ? '' : 's'} for ${id}.`);
    });
  for (const [name, enabled] of [
    ['disable', false],
    ['enable', true],
  ] as const) {
    cmd
      .command(name)
      .description(enabled ? 'resume deliveries where they stopped' : 'pause deliveries; events wait (retention keeps them)')
      .argument('<id>', 'endpoint id')
      .option(...dataOption)
      .action(async (id: string, flags: { data?: string }) => {
        const e = await withNode(flags.data, (node) => node.webhooks.setEnabled(id, enabled));
        out(`Endpoint ${e.id} is ${e.status}.`);
      });
  }
  cmd
    .command('remove')
    .description('remove an endpoint, its secrets, attempts and dead letters')
    .argument('<id>', 'endpoint id')
    .option(...dataOption)
    .action(async (id: string, flags: { data?: string }) => {
      await withNode(flags.data, (node) => node.webhooks.remove(id));
      out(`Removed endpoint ${id}.`);
    });
  cmd
    .command('rotate-secret')
    .description('issue a new signing secret; the old one keeps signing too for --grace; the new secret is on the last line')
    .argument('<id>', 'endpoint id')
    .option('--grace <duration>', 'how long the old secret keeps signing', '24h')
    .option(...dataOption)
    .action(async (id: string, flags: { grace: string; data?: string }) => {
      const graceMs = parseDuration(flags.grace);
      const r = await withNode(flags.data, (node) => node.webhooks.rotateSecret(id, graceMs));
      out(`New secret for ${id}. Deliveries carry both signatures until ${r.oldSecretsExpireAt}.`);
      out(r.secret);
    });
}
