/**
 * Issue #8's benchmark: `npm run bench [-- --users N] [-- --quick]`.
 *
 * The node runs in a child process on a temporary data dir (file DB, WAL, event log on, as in
 * production); this process is the load generator. A second child, the floor, is a bare Express 5
 * app answering a fixed body of the size of a GET /Users/{id} response: every scenario's server CPU
 * per request is printed as a multiple of the floor's. CPU is the child's process.cpuUsage() delta
 * (user + system) around a scenario divided by its request count; small scenarios take the median
 * of a few repetitions because the machine is shared and noisy.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Child, Http, pool } from './client.js';
import { type ConsoleFigures, consoleData } from './console-data.js';
import { feedPage, receiverRate, webhookOverhead } from './downstream.js';
import {
  BASE,
  type Ctx,
  eqFilter,
  errors,
  floorTask,
  idOf,
  is,
  log,
  parseOptions,
  type Row,
  repeat,
  rows,
  run,
  summarize,
  tally,
  target,
  targets,
  unexpected,
  userBody,
  userName,
} from './harness.js';
import { hostileHealthz } from './hostile.js';
import { cursorWalk, eventLogOverhead, groups, listWalk, lookups, mix, provisionRow, updates } from './scenarios.js';
import { fmt, median, table } from './stats.js';

async function main(): Promise<number> {
  const opts = parseOptions(process.argv.slice(2), process.env);
  const script = fileURLToPath(new URL('./bench-server.js', import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'scimdesk-bench-'));
  const profDir = join(dir, 'profiles');
  const execArgv = opts.profile ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [];
  const n = opts.users;
  const reps = opts.quick ? 3 : 5;
  const k = opts.quick ? 300 : 1000;
  const started = performance.now();
  log(`users ${n}${opts.quick ? ' (quick)' : ''}, data under ${dir}`);

  const children: Child[] = [];
  // Bounded: whatever happens, the bench stops itself.
  const limitMs = Math.max(10 * 60_000, n * 12);
  const watchdog = setTimeout(() => {
    log(`the bench ran past ${Math.round(limitMs / 60_000)} minutes; stopping`);
    for (const ch of children) ch.kill();
    process.exit(3);
  }, limitMs);
  watchdog.unref();

  const node = await Child.start(script, { mode: 'node', dataDir: join(dir, 'node'), eventLog: true }, execArgv);
  children.push(node);
  const http = new Http(node.port, node.token);
  const ids: string[] = new Array<string>(n);

  // User 0 gives a representative GET /Users/{id} response, which fixes the floor's body size.
  const made = await http.send('POST', `${BASE}/Users`, userBody(0));
  if (made.status !== 201) throw new Error(`the first create failed: HTTP ${made.status} ${made.text}`);
  ids[0] = idOf(made);
  const sample = await http.send('GET', `${BASE}/Users/${ids[0]}`);
  const floor = await Child.start(script, { mode: 'floor', floorBody: sample.text });
  children.push(floor);
  const c: Ctx = { opts, node, http, floor, floorHttp: new Http(floor.port, ''), ids, reps, k };
  log(`floor body ${sample.text.length} bytes; warming both up`);
  // V8 needs some ten thousand requests to reach steady state; an unwarmed floor reads ~2× too high.
  const warm = opts.quick ? 6000 : 15_000;
  await pool(8, warm, async () => {
    await c.floorHttp.send('GET', `${BASE}/Users/floor`);
  });
  await pool(8, warm, async (i) => {
    const r = await (i % 3 === 0
      ? http.send('GET', BASE + eqFilter('userName', userName(0)))
      : http.send('GET', `${BASE}/Users/${ids[0]}`));
    if (r.status !== 200) unexpected('warm-up', r);
  });
  for (const conc of [1, 4, 16]) {
    const runs = await repeat(reps, () => run(floor, conc, k, floorTask(c), is(200), 'floor'));
    summarize(`floor: bare Express GET, c=${conc}`, runs, median(runs.map((r) => r.cpuUs)), 'reference');
  }

  // Provisioning: the first 1,000 one by one (an IdP's first sync), the rest with 16 in flight.
  const atOneK = Math.min(1000, n);
  log(`provisioning users 2..${atOneK} at concurrency 1`);
  const prov1 = await provisionRow(c, 'provision (lookup miss + POST), c=1', 1, atOneK, 1);
  // Between scenarios the node checkpoints what the last one wrote, outside any measurement: each
  // scenario pays for the checkpoints its own writes cause, not for the provisioning before it.
  await node.settle();
  const lookups1k = await lookups(c, atOneK, '1k', 1);
  log(`provisioning users ${atOneK + 1}..${n} at concurrency 16`);
  const prov16 = n > atOneK ? await provisionRow(c, 'provision (lookup miss + POST), c=16', atOneK, n, 16) : prov1;
  const provisionMs = prov1.run.wallMs + (n > atOneK ? prov16.run.wallMs : 0);
  await node.settle();
  const lookupsN = await lookups(c, n, String(n), 2);

  await node.settle();
  await listWalk(c, n);
  await node.settle();
  await cursorWalk(c, n);
  await node.settle();
  await updates(c, n);
  await node.settle();
  const grp = await groups(c, n);
  await node.settle();
  await mix(c, n, opts.quick ? 5 : 15, grp.smallId);
  await node.settle();
  log('hostile requests of issue #15 item 7 while polling /healthz every 10 ms');
  const hostile = await hostileHealthz(c);
  const peak = await node.usage();
  http.close();
  await node.stop();

  const evlog = await eventLogOverhead(c, script, dir, execArgv);
  log('webhook overhead: creates with one endpoint on versus none');
  const hook = await webhookOverhead(c, script, dir, execArgv);
  c.floorHttp.close();
  await floor.stop();

  const events = opts.quick ? 200_000 : 1_000_000;
  log(`console data: ${events} events, 100000 users`);
  const cons: ConsoleFigures = consoleData(dir, events, 100_000);
  log('webhook receiver rate and feed page');
  const rate = await receiverRate(dir, opts.quick ? 5000 : 20_000);
  const feed = await feedPage(dir, events);
  clearTimeout(watchdog);

  // ------------------------------------------------------------ targets
  const f = (x: number, d = 2) => fmt(x, d);
  const ratioOf = (a: Row | undefined, b: Row | undefined) => (a && b ? a.cpuUs / b.cpuUs : Number.NaN);
  // Flatness compares CPU per request at 1k and at N users; each is taken as a multiple of the floor
  // measured beside it, which cancels the drift of a shared machine between the two points.
  const flatness = (a: Row | undefined, b: Row | undefined) => (a && b ? a.xFloor / b.xFloor : Number.NaN);
  const getN = lookupsN['GET /Users/{id}'];
  const unN = lookupsN['userName eq'];
  const exN = lookupsN['externalId eq'];
  target('GET /Users/{id} CPU', `${f(getN?.xFloor ?? Number.NaN)}× floor`, '≤ 2×', (getN?.xFloor ?? Infinity) <= 2);
  target('userName eq CPU', `${f(unN?.xFloor ?? Number.NaN)}× floor`, '≤ 2.5×', (unN?.xFloor ?? Infinity) <= 2.5);
  target('externalId eq CPU', `${f(exN?.xFloor ?? Number.NaN)}× floor`, '≤ 2.5×', (exN?.xFloor ?? Infinity) <= 2.5);
  for (const name of ['userName eq', 'externalId eq', 'GET /Users/{id}']) {
    const flat = flatness(lookups1k[name], lookupsN[name]);
    target(`flatness ${name} (1k → ${n})`, f(flat), '≥ 0.8', flat >= 0.8);
  }
  target('create CPU, event log on', `${f(evlog.on.xFloor)}× floor`, '≤ 5×', evlog.on.xFloor <= 5);
  target('event log off speed-up (CPU)', `${f(evlog.ratio)}×`, '≤ 1.3×', evlog.ratio <= 1.3);
  target('create rps, 1 webhook on vs off', `${f(hook.rpsRatio)}× (${hook.delivered} delivered)`, '≥ 0.9×', hook.rpsRatio >= 0.9);
  target(
    `webhook receiver rate (${rate.events} events)`,
    `${f(rate.eventsPerSecond, 0)} events/s`,
    '≥ 1000/s',
    rate.eventsPerSecond >= 1000,
  );
  target(
    `feed page of 100 @ ${events} events over HTTP (p50; p99 ${f(feed.p99)} ms, in-process ${f(feed.serviceMs)} ms)`,
    `${f(feed.p50)} ms`,
    '≤ 5 ms',
    feed.p50 <= 5,
  );
  target(
    `worst /healthz latency under issue #15's hostile requests (${hostile.polls} polls; ${Object.entries(hostile.statuses)
      .map(([name, status]) => `${name}: ${status}`)
      .join('; ')})`,
    `${f(hostile.worstHealthzMs, 0)} ms`,
    '≤ 1000 ms',
    hostile.worstHealthzMs <= 1000,
  );
  const patchRatio = ratioOf(grp.big, grp.small);
  target(`1-member PATCH, ${n} vs 100 members`, `${f(patchRatio)}×`, '≤ 1.5×', patchRatio <= 1.5);
  const readRatio = ratioOf(grp.memberRead, grp.lonerRead);
  target('read user in groups vs in none', `${f(readRatio)}×`, '≤ 1.2×', readRatio <= 1.2);
  const provTotal = provisionMs + grp.fillTo10kMs;
  target(
    `provision ${n} users + 10k-member group`,
    `${f(provTotal / 1000, 1)} s`,
    '≤ 180 s at 100k',
    n >= 100_000 ? provTotal <= 180_000 : null,
  );
  const peakMb = peak.maxRssKb / 1024;
  target('peak RSS of the node', `${f(peakMb, 0)} MB`, '≤ 300 MB', peakMb <= 300);
  for (const [name, ms] of [
    [`events newest page @ ${events}`, cons.newestMs],
    ['events deep page (before=1000)', cons.deepMs],
    ['events filtered by userName', cons.userNameMs],
    ['users page startIndex=50000 @ 100k', cons.usersPageMs],
  ] as const) {
    target(`console: ${name}`, `${f(ms)} ms`, '≤ 50 ms', ms <= 50);
  }

  // ------------------------------------------------------------ report
  const header = ['scenario', 'requests', 'wall s', 'rps', 'p50 ms', 'p99 ms', 'CPU µs/req', '× floor', 'note'];
  const body = rows.map((r) => [
    r.name,
    fmt(r.requests),
    f(r.wallMs / 1000, 1),
    fmt(r.rps),
    f(r.p50),
    f(r.p99),
    fmt(r.cpuUs),
    f(r.xFloor),
    r.note ?? '',
  ]);
  const out: string[] = [];
  out.push('', `SCIM Desk bench: ${n} users${opts.quick ? ' (quick)' : ''}, ${fmt((performance.now() - started) / 1000, 0)} s`, '');
  out.push(table(header, body), '');
  out.push(
    `provisioning: ${n} users in ${f(provisionMs / 1000, 1)} s (c=1 ${atOneK - 1} users ${f(prov1.run.wallMs / 1000, 1)} s, ` +
      `c=16 ${n - atOneK} users ${f(n > atOneK ? prov16.run.wallMs / 1000 : 0, 1)} s); group fill to ${n} members ${f(grp.fillMs / 1000, 1)} s ` +
      `(to 10k ${f(grp.fillTo10kMs / 1000, 1)} s)`,
  );
  out.push(`event log: creates ${f(evlog.rpsRatio)}× the rate with it off (throughput), ${f(evlog.ratio)}× by CPU`);
  out.push(
    `console data (${fmt(cons.events)} events, ${fmt(cons.users)} users, filled in ${f(cons.fillMs / 1000, 1)} s): newest ${f(cons.newestMs)} ms, ` +
      `deep ${f(cons.deepMs)} ms, by userName ${f(cons.userNameMs)} ms (${cons.rows.userName} rows), users page @50000 ${f(cons.usersPageMs)} ms`,
  );
  out.push(`peak RSS of the node child: ${f(peakMb, 0)} MB; errors: ${tally.count}`, '');
  out.push(
    table(
      ['target', 'figure', 'limit', 'result'],
      targets.map((t) => [t.name, t.figure, t.limit, t.pass === null ? 'n/a' : t.pass ? 'PASS' : 'FAIL']),
    ),
  );
  if (errors.length) out.push('', 'errors:', ...errors.map((e) => `  ${e}`));
  if (opts.profile) out.push('', `CPU profiles: ${profDir}`);
  process.stdout.write(`${out.join('\n')}\n`);
  const json = {
    users: n,
    quick: opts.quick,
    errors: tally.count,
    provisionMs,
    groupFillMs: grp.fillMs,
    groupFillTo10kMs: grp.fillTo10kMs,
    peakRssMb: peakMb,
    eventLog: { cpuRatio: evlog.ratio, rpsRatio: evlog.rpsRatio },
    console: cons,
    hostile,
    scenarios: rows,
    targets,
  };
  process.stdout.write(`${JSON.stringify(json)}\n`);
  if (!opts.keep && !opts.profile) rmSync(dir, { recursive: true, force: true });
  return tally.count > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(2);
  },
);
