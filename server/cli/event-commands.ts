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

/**
 * `--status`: a class (`4xx`, or `4`), an exact code (`429`), or several of either, comma-separated
 * (`400,409`). At most one class: the log filter ORs one class with any number of codes.
 */
export function parseStatus(text: string): Pick<EventFilter, 'statusClass' | 'statuses'> {
  const bad = () => new Error(`--status must be a class (2xx…5xx), a status code (429) or a comma-separated list (400,409), got "${text}"`);
  let statusClass: EventFilter['statusClass'];
  const statuses: number[] = [];
  for (const part of text.split(',').map((s) => s.trim())) {
    const cls = /^([2-5])(xx)?$/i.exec(part);
    if (cls?.[1]) {
      if (statusClass !== undefined) throw new Error(`--status takes at most one class, got "${text}"`);
      statusClass = Number(cls[1]) as EventFilter['statusClass'];
    } else if (/^[1-5]\d\d$/.test(part)) statuses.push(Number(part));
    else throw bad();
  }
  return { statusClass, statuses: statuses.length ? statuses : undefined };
}

export function toFilter(f: FilterFlags): EventFilter {
  const status = f.status === undefined ? {} : parseStatus(f.status);
  return {
    ...status,
    method: f.method,
    resourceType: f.resourceType,
    resourceId: f.resourceId,
    userName: f.user,
    tokenRef: f.token,
    requestId: f.requestId,
    text: f.text,
    since: isoTime(f.since, '--since'),
    until: isoTime(f.until, '--until'),
  };
}

const withFilters = (c: Command): Command =>
  c
    .option('--status <status>', 'a class (4xx), a code (429) or several (400,409)')
    .option('--method <method>', 'HTTP method')
    .option('--resource-type <type>', 'User or Group')
    .option('--resource-id <id>', 'SCIM resource id')
    .option('--user <userName>', 'userName the request concerned')
    .option('--token <token>', 'the token’s label, prefix or id')
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
    .argument('<id>', 'event id, or the X-Request-Id the IdP got back')
    .option(...dataOption)
    .action(async (id: string, flags: { data?: string }) => {
      const e = await withNode(flags.data, (node) => {
        if (/^\d+$/.test(id)) return node.events.get(Number(id));
        // An X-Request-Id, as the IdP's own log shows it: the request's event.
        const [row] = node.events.list({ requestId: id.trim() }, { limit: 1 }).items;
        return row && node.events.get(row.id);
      });
      if (!e) throw new Error(/^\d+$/.test(id) ? `no event with id ${id}` : `no event with X-Request-Id ${id}`);
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
