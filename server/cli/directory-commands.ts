import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { ExternalIdReplaceRefused } from '../directory/members.js';
import { newContext } from '../events/request-context.js';
import { isRole } from '../mappings/roles.js';
import { CLI_BASE, dataOption, out, printJson, withNode } from './shared.js';

const cliContext = () => newContext(randomUUID(), 'cli');

export function registerDirectoryCommands(program: Command): void {
  const mapping = program.command('mapping').description('map IdP groups (exact, case-sensitive displayName) to roles');
  mapping
    .command('set')
    .requiredOption('--group <name>', 'group displayName, exactly as the IdP sends it')
    .requiredOption('--role <role>', 'admin, publisher or member')
    .option(...dataOption)
    .action(async (flags: { group: string; role: string; data?: string }) => {
      if (!isRole(flags.role)) throw new Error(`--role must be admin, publisher or member, got "${flags.role}"`);
      const role = flags.role;
      const deltas = await withNode(flags.data, (node) =>
        node.roles.setMapping(flags.group, role, { kind: 'cli', requestId: null, tokenId: null }),
      );
      out(`Mapped "${flags.group}" → ${role}; ${deltas.length} member(s) changed role.`);
      for (const d of deltas) out(`  ${d.userName}: ${d.from ?? 'none'} → ${d.to ?? 'none'}`);
    });
  mapping
    .command('list')
    .option('--json', 'print a JSON array')
    .option(...dataOption)
    .action(async (flags: { json?: boolean; data?: string }) => {
      const rows = await withNode(flags.data, (node) => node.roles.mappings());
      if (flags.json) printJson(rows.map((m) => ({ group: m.groupName, role: m.role, updatedAt: m.updatedAt })));
      else if (rows.length === 0) out('No mappings. Add one with `scimdesk mapping set --group NAME --role admin|publisher|member`.');
      else for (const m of rows) out(`${m.role.padEnd(9)}  ${m.groupName}`);
    });
  mapping
    .command('remove')
    .requiredOption('--group <name>', 'group displayName of the mapping')
    .option(...dataOption)
    .action(async (flags: { group: string; data?: string }) => {
      const deltas = await withNode(flags.data, (node) =>
        node.roles.setMapping(flags.group, null, { kind: 'cli', requestId: null, tokenId: null }),
      );
      out(`Removed the mapping for "${flags.group}"; ${deltas.length} member(s) changed role.`);
    });

  const member = program.command('member').description('members created outside SCIM, and conflict links');
  member
    .command('add')
    .description('create a member before SCIM does (no externalId yet)')
    .requiredOption('--email <email>', 'the member’s email, used as userName')
    .option('--name <displayName>', 'display name')
    .option(...dataOption)
    .action(async (flags: { email: string; name?: string; data?: string }) => {
      const m = await withNode(flags.data, (node) => node.members.add({ email: flags.email, displayName: flags.name }, cliContext()));
      out(`Added member ${m.id} (${m.userName}).`);
    });
  member
    .command('link')
    .description('resolve a 409 conflict: the existing member takes the IdP’s externalId')
    .option('--conflict <id>', 'conflict id (from `members conflicts`)')
    .option('--user <id>', 'member id, with --external-id')
    .option('--external-id <id>', 'the externalId to link')
    .option('--replace', 'confirm replacing an externalId the member already has')
    .option(...dataOption)
    .action(async (flags: { conflict?: string; user?: string; externalId?: string; replace?: boolean; data?: string }) => {
      const target =
        flags.conflict !== undefined
          ? { conflictId: Number(flags.conflict) }
          : flags.user && flags.externalId
            ? { userId: flags.user, externalId: flags.externalId }
            : null;
      if (!target) throw new Error('give --conflict ID, or --user ID with --external-id VALUE');
      const m = await withNode(flags.data, async (node) => {
        try {
          return await node.members.link(target, CLI_BASE, cliContext(), { replace: flags.replace === true });
        } catch (e) {
          if (e instanceof ExternalIdReplaceRefused) throw new Error(`${e.change}. Nothing changed; run again with --replace to confirm.`);
          throw e;
        }
      });
      out(`Linked ${m.userName} to externalId ${m.externalId}.`);
    });
  member
    .command('dismiss')
    .description('close a conflict without linking, with the reason kept in the queue')
    .requiredOption('--conflict <id>', 'conflict id (from `members conflicts`)')
    .requiredOption('--reason <text>', 'why (kept with the conflict)')
    .option(...dataOption)
    .action(async (flags: { conflict: string; reason: string; data?: string }) => {
      const id = Number(flags.conflict);
      if (!Number.isSafeInteger(id) || id < 1) throw new Error(`--conflict must be a conflict id, got "${flags.conflict}"`);
      const c = await withNode(flags.data, (node) => node.members.dismiss(id, flags.reason));
      out(`Dismissed conflict ${c.id} (${c.userName}): ${c.dismissReason}`);
    });

  const members = program.command('members').description('list members with their roles');
  members
    .command('list')
    .option('--json', 'print a JSON array')
    .option('--search <text>', 'userName prefix or displayName substring')
    .option(...dataOption)
    .action(async (flags: { json?: boolean; search?: string; data?: string }) => {
      const page = await withNode(flags.data, (node) => node.members.list({ search: flags.search, limit: 1000 }));
      if (flags.json) {
        printJson(
          page.items.map((m) => ({
            id: m.id,
            userName: m.userName,
            externalId: m.externalId,
            active: m.active,
            role: m.role,
            groups: m.groups,
            roleSource: m.roleSource,
          })),
        );
        return;
      }
      out(`${page.total} member(s)`);
      for (const m of page.items) {
        out(
          `${m.userName}  ${m.active ? 'active' : 'suspended'}  role=${m.role ?? 'none'}${m.roleSource ? ` (via ${m.roleSource})` : ''}  externalId=${m.externalId ?? '-'}  groups=${m.groups.join(', ') || '-'}`,
        );
      }
    });
  members
    .command('conflicts')
    .description('the conflict queue: IdP creates that met an existing member')
    .option('--json', 'print a JSON array')
    .option(...dataOption)
    .action(async (flags: { json?: boolean; data?: string }) => {
      const list = await withNode(flags.data, (node) => node.members.conflicts());
      if (flags.json) printJson(list);
      else if (list.length === 0) out('No open conflicts.');
      else
        for (const c of list) {
          const was = c.existing
            ? `existing externalId=${c.existing.externalId ?? '-'} role=${c.existing.role ?? 'none'}`
            : 'member deleted';
          out(`${c.id}  ${c.time}  ${c.userName}  incoming externalId=${c.externalId ?? '-'}  ${was}  existing=${c.existingUserId}`);
        }
    });
}
