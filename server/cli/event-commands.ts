import type { Command } from 'commander';
import type { EventFilter, StoredEvent } from '../events/events.js';
import { dataOption, out, printJson, withNode } from './shared.js';

interface FilterFlags {
  status?: string;
  method?: string;
  resourceType?: string;
  resourceId?: string;
  user?: string;
  token?: string;
  requestId?: string;
  text?: string;
  since?: string;
  until?: string;
}

function isoTime(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new Error(`${flag} must be a date/time such as 2026-11-29T12:00:00Z, got "${value}"`);
  return new Date(ms).toISOString();
}

export function toFilter(f: FilterFlags): EventFilter {
  let statusClass: EventFilter['statusClass'];
  if (f.status !== undefined) {
    const m = /^([2-5])(xx)?$/i.exec(f.status);
    if (!m?.[1]) throw new Error(`--status must be 2xx, 3xx, 4xx or 5xx, got "${f.status}"`);
    statusClass = Number(m[1]) as EventFilter['statusClass'];
  }
  return {
    statusClass,
    method: f.method,
    resourceType: f.resourceType,
    resourceId: f.resourceId,
    userName: f.user,
    tokenId: f.token,
    requestId: f.requestId,
    text: f.text,
    since: isoTime(f.since, '--since'),
    until: isoTime(f.until, '--until'),
  };
}

const withFilters = (c: Command): Command =>
  c
    .option('--status <class>', '2xx, 3xx, 4xx or 5xx')
    .option('--method <method>', 'HTTP method')
    .option('--resource-type <type>', 'User or Group')
    .option('--resource-id <id>', 'SCIM resource id')
    .option('--user <userName>', 'userName the request concerned')
    .option('--token <id>', 'token id')
    .option('--request-id <id>', 'the X-Request-Id of one request')
    .option('--text <text>', 'text searched in the stored request and response bodies')
    .option('--since <time>', 'only events at or after this time')
    .option('--until <time>', 'only events before this time')
    .option(...dataOption);

const listJson = (e: StoredEvent) => ({
  id: e.id,
  time: e.time,
  requestId: e.requestId,
  method: e.method,
  path: e.path,
  status: e.status,
  tokenId: e.tokenId,
  sourceIp: e.sourceIp,
  resourceType: e.resourceType,
  resourceId: e.resourceId,
  userName: e.userName,
});

export function registerEventCommands(program: Command): void {
  const events = program.command('events').description('the SCIM event log: every request, redacted');
  withFilters(
    events
      .command('list')
      .description('newest first')
      .option('--json', 'print a JSON array')
      .option('--limit <n>', 'how many (default 50, at most 1000)', '50')
      .option('--before <id>', 'cursor: only events older than this id'),
  ).action(async (flags: FilterFlags & { json?: boolean; limit: string; before?: string; data?: string }) => {
    const limit = Number(flags.limit);
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`--limit must be a positive integer, got "${flags.limit}"`);
    const before = flags.before === undefined ? undefined : Number(flags.before);
    const page = await withNode(flags.data, (node) => node.events.list(toFilter(flags), { limit, before }));
    if (flags.json) {
      printJson(page.items.map(listJson));
      return;
    }
    for (const e of page.items) {
      out(`${e.id}  ${e.time}  ${e.status}  ${e.method.padEnd(6)} ${e.path}${e.userName ? `  [${e.userName}]` : ''}`);
    }
    if (page.nextCursor !== null) out(`more: --before ${page.nextCursor}`);
  });
  events
    .command('show')
    .description('one event with its redacted request and response')
    .argument('<id>', 'event id')
    .option(...dataOption)
    .action(async (id: string, flags: { data?: string }) => {
      const e = await withNode(flags.data, (node) => node.events.get(Number(id)));
      if (!e) throw new Error(`no event with id ${id}`);
      printJson(e);
    });
  withFilters(
    events
      .command('export')
      .description('stream the filtered log to stdout; progress goes to stderr')
      .requiredOption('--format <format>', 'jsonl or csv'),
  ).action(async (flags: FilterFlags & { format: string; data?: string }) => {
    if (flags.format !== 'jsonl' && flags.format !== 'csv') throw new Error(`--format must be jsonl or csv, got "${flags.format}"`);
    const format = flags.format;
    const total = await withNode(flags.data, (node) =>
      node.events.export(
        toFilter(flags),
        format,
        (chunk) =>
          new Promise<void>((resolve) => {
            if (process.stdout.write(chunk)) resolve();
            else process.stdout.once('drain', resolve);
          }),
        (n) => {
          if (n > 0 && n % 5000 === 0) process.stderr.write(`exported ${n} events…\n`);
        },
      ),
    );
    process.stderr.write(`exported ${total} events\n`);
  });
}
