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
import { Child, Http, pool, type Reply } from './client.js';
import { type ConsoleFigures, consoleData } from './console-data.js';
import { fmt, median, percentile, rng, table } from './stats.js';

const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

// ---------------------------------------------------------------- options

interface Options {
  users: number;
  quick: boolean;
  profile: boolean;
  keep: boolean;
}

function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): Options {
  const flag = (name: string): boolean => argv.includes(`--${name}`) || ['true', '1', ''].includes(env[`npm_config_${name}`] ?? 'x');
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    if (i >= 0) return argv[i + 1];
    const eq = argv.find((a) => a.startsWith(`--${name}=`));
    if (eq) return eq.slice(name.length + 3);
    return env[`npm_config_${name}`];
  };
  const quick = flag('quick');
  const raw = value('users');
  const users = raw === undefined || raw === '' || raw === 'true' ? (quick ? 2000 : 10_000) : Number(raw);
  if (!Number.isInteger(users) || users < 200 || users > 1_000_000) {
    throw new Error(`--users must be an integer from 200 to 1000000, got "${raw}"`);
  }
  return { users, quick, profile: flag('profile'), keep: flag('keep') };
}

// ---------------------------------------------------------------- results

interface Row {
  name: string;
  requests: number;
  wallMs: number;
  rps: number;
  p50: number;
  p99: number;
  cpuUs: number;
  /** CPU per request as a multiple of the floor at the same concurrency. */
  xFloor: number;
  note?: string;
}

interface Target {
  name: string;
  figure: string;
  limit: string;
  pass: boolean | null;
}

const rows: Row[] = [];
const targets: Target[] = [];
const errors: string[] = [];
let errorCount = 0;

function unexpected(what: string, r: Reply): void {
  errorCount++;
  if (errors.length < 20) errors.push(`${what}: HTTP ${r.status} ${r.text.slice(0, 200)}`);
}

const log = (line: string): void => {
  process.stderr.write(`[bench] ${line}\n`);
};

// ---------------------------------------------------------------- measuring

interface Run {
  requests: number;
  wallMs: number;
  latencies: number[];
  cpuUs: number;
}

/**
 * Runs `total` requests at `concurrency` against `child`, each from `task`, checking each reply
 * with `ok`. CPU is the child's delta over the whole run.
 */
async function run(
  child: Child,
  concurrency: number,
  total: number,
  task: (i: number) => Promise<Reply>,
  ok: (r: Reply, i: number) => boolean,
  what: string,
  deadlineMs = Infinity,
): Promise<Run> {
  const latencies: number[] = [];
  const before = await child.usage();
  const t0 = performance.now();
  const done = await pool(
    concurrency,
    total,
    async (i) => {
      const r = await task(i);
      latencies.push(r.ms);
      if (!ok(r, i)) unexpected(what, r);
    },
    deadlineMs,
  );
  const wallMs = performance.now() - t0;
  const after = await child.usage();
  return { requests: done, wallMs, latencies, cpuUs: (after.cpuUs - before.cpuUs) / Math.max(1, done) };
}

function summarize(name: string, runs: Run[], floorUs: number, note?: string): Row {
  const all = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const requests = runs.reduce((s, r) => s + r.requests, 0);
  const wallMs = runs.reduce((s, r) => s + r.wallMs, 0);
  const cpuUs = median(runs.map((r) => r.cpuUs));
  const row: Row = {
    name,
    requests,
    wallMs,
    rps: median(runs.map((r) => (r.requests / r.wallMs) * 1000)),
    p50: percentile(all, 50),
    p99: percentile(all, 99),
    cpuUs,
    xFloor: floorUs > 0 ? cpuUs / floorUs : Number.NaN,
    ...(note ? { note } : {}),
  };
  rows.push(row);
  log(`${name}: ${fmt(row.rps)} rps, p50 ${fmt(row.p50, 2)} ms, ${fmt(cpuUs)} µs CPU/req (${fmt(row.xFloor, 2)}× floor)`);
  return row;
}

async function repeat(reps: number, once: (rep: number) => Promise<Run>): Promise<Run[]> {
  const out: Run[] = [];
  for (let rep = 0; rep < reps; rep++) out.push(await once(rep));
  return out;
}

const floorTask = (c: Ctx) => () => c.floorHttp.send('GET', `${BASE}/Users/floor`);

/**
 * Runs a scenario `c.reps` times, each repetition right after a floor run at the same concurrency,
 * so drift on a shared machine moves both alike; the multiple uses the median of each.
 */
async function versusFloor(
  c: Ctx,
  name: string,
  concurrency: number,
  total: number,
  task: (i: number, rep: number) => Promise<Reply>,
  ok: (r: Reply, i: number) => boolean,
  note?: string,
): Promise<Row> {
  const runs: Run[] = [];
  const floors: number[] = [];
  for (let rep = 0; rep < c.reps; rep++) {
    floors.push((await run(c.floor, concurrency, Math.min(total, c.k), floorTask(c), is(200), 'floor')).cpuUs);
    runs.push(await run(c.node, concurrency, total, (i) => task(i, rep), ok, name));
  }
  return summarize(name, runs, median(floors), note);
}

/** The floor's CPU per request at `concurrency`, measured now (for long single-run scenarios). */
async function floorNow(c: Ctx, concurrency: number): Promise<number> {
  return (await run(c.floor, concurrency, c.k, floorTask(c), is(200), 'floor')).cpuUs;
}

function target(name: string, figure: string, limit: string, pass: boolean | null): void {
  targets.push({ name, figure, limit, pass });
}

// ---------------------------------------------------------------- SCIM payloads

const pad = (i: number): string => String(i).padStart(7, '0');
const userName = (i: number): string => `bench.user${pad(i)}@example.com`;
const externalId = (i: number): string => `00u${pad(i)}bench`;

/** What Okta sends on create (readOnly "groups": [] included; it is dropped on the way in). */
const userBody = (i: number, prefix = ''): Record<string, unknown> => ({
  schemas: [USER_SCHEMA],
  userName: `${prefix}${userName(i)}`,
  externalId: `${prefix}${externalId(i)}`,
  name: { givenName: 'Bench', familyName: `User ${pad(i)}` },
  displayName: `Bench User ${pad(i)}`,
  emails: [{ primary: true, value: `${prefix}${userName(i)}`, type: 'work' }],
  locale: 'en-US',
  active: true,
  groups: [],
});

const eqFilter = (attr: string, value: string): string => `/Users?filter=${encodeURIComponent(`${attr} eq "${value}"`)}`;
const idOf = (r: Reply): string => (JSON.parse(r.text) as { id: string }).id;
const is = (status: number) => (r: Reply) => r.status === status;
const BASE = '/api/scim/v2';

// ---------------------------------------------------------------- scenarios

interface Ctx {
  opts: Options;
  node: Child;
  http: Http;
  floor: Child;
  floorHttp: Http;
  ids: string[];
  reps: number;
  k: number;
}

async function provision(c: Ctx, from: number, to: number, concurrency: number): Promise<Run> {
  const latencies: number[] = [];
  const before = await c.node.usage();
  const t0 = performance.now();
  await pool(concurrency, to - from, async (j) => {
    const i = from + j;
    const t = performance.now();
    // Okta's create flow: look the userName up first (a miss), then POST.
    const miss = await c.http.send('GET', BASE + eqFilter('userName', userName(i)));
    if (miss.status !== 200 || !miss.text.includes('"totalResults":0')) unexpected('provision lookup', miss);
    const made = await c.http.send('POST', `${BASE}/Users`, userBody(i));
    if (made.status !== 201) unexpected('provision create', made);
    else c.ids[i] = idOf(made);
    latencies.push(performance.now() - t);
  });
  const wallMs = performance.now() - t0;
  const after = await c.node.usage();
  const n = to - from;
  return { requests: n * 2, wallMs, latencies, cpuUs: (after.cpuUs - before.cpuUs) / (n * 2) };
}

async function provisionRow(c: Ctx, name: string, from: number, to: number, concurrency: number): Promise<{ run: Run; row: Row }> {
  const floorBefore = await floorNow(c, concurrency);
  const r = await provision(c, from, to, concurrency);
  const floorAfter = await floorNow(c, concurrency);
  const note = `${to - from} users; per-user p50/p99 (2 requests)`;
  return { run: r, row: summarize(name, [r], (floorBefore + floorAfter) / 2, note) };
}

async function lookups(c: Ctx, population: number, label: string, seed: number): Promise<Record<string, Row>> {
  const pick = rng(seed);
  const any = () => Math.floor(pick() * population);
  const hit = (r: Reply) => r.status === 200 && r.text.includes('"totalResults":1');
  const kinds: [string, () => Promise<Reply>, (r: Reply) => boolean][] = [
    ['userName eq', () => c.http.send('GET', BASE + eqFilter('userName', userName(any()))), hit],
    ['externalId eq', () => c.http.send('GET', BASE + eqFilter('externalId', externalId(any()))), hit],
    ['GET /Users/{id}', () => c.http.send('GET', `${BASE}/Users/${c.ids[any()]}`), is(200)],
  ];
  const out: Record<string, Row> = {};
  for (const [name, task, ok] of kinds) out[name] = await versusFloor(c, `${name} @ ${label} users, c=4`, 4, c.k, task, ok);
  return out;
}

async function listWalk(c: Ctx, n: number): Promise<Row> {
  const pages = Math.ceil(n / 100);
  const floorUs = await floorNow(c, 1);
  const deadline = performance.now() + (c.opts.quick ? 30_000 : 180_000);
  const r = await run(
    c.node,
    1,
    pages,
    (p) => c.http.send('GET', `${BASE}/Users?startIndex=${p * 100 + 1}&count=100`),
    (res) => res.status === 200,
    'list walk',
    deadline,
  );
  const first = r.latencies.slice(0, 5);
  const last = r.latencies.slice(-5);
  const note = `${r.requests}/${pages} pages; first ${fmt(median(first), 1)} ms, last ${fmt(median(last), 1)} ms`;
  return summarize(`list walk: every page, count=100 @ ${n}`, [r], floorUs, note);
}

async function updates(c: Ctx, n: number): Promise<{ patch: Row; put: Row }> {
  // Fresh users for every repetition, so each request really writes (a repeat would be a no-op).
  const order = Array.from({ length: n }, (_, i) => i);
  const pick = rng(7);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(pick() * (i + 1));
    [order[i], order[j]] = [order[j] ?? 0, order[i] ?? 0];
  }
  const k = Math.min(c.k, Math.floor(n / (2 * c.reps)));
  const patch = await versusFloor(
    c,
    'PATCH deactivate (path-less), c=4',
    4,
    k,
    (i, rep) =>
      c.http.send('PATCH', `${BASE}/Users/${c.ids[order[rep * k + i] ?? 0]}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'replace', value: { active: false } }],
      }),
    is(200),
  );
  const put = await versusFloor(
    c,
    'PUT user (full replace), c=4',
    4,
    k,
    (i, rep) => {
      const u = order[(c.reps + rep) * k + i] ?? 0;
      return c.http.send('PUT', `${BASE}/Users/${c.ids[u]}`, { ...userBody(u), displayName: `Renamed ${rep} ${u}` });
    },
    is(200),
  );
  return { patch, put };
}

interface GroupFigures {
  smallId: string;
  fillTo10kMs: number;
  fillMs: number;
  small: Row;
  big: Row;
  groupGet: Row;
  memberRead: Row;
  lonerRead: Row;
}

/** Runs two scenarios in alternation, each after a floor run, so the pair sees the same machine. */
async function paired(
  c: Ctx,
  concurrency: number,
  total: number,
  a: { name: string; task: (i: number) => Promise<Reply>; ok: (r: Reply) => boolean },
  b: { name: string; task: (i: number) => Promise<Reply>; ok: (r: Reply) => boolean },
): Promise<[Row, Row]> {
  const runsA: Run[] = [];
  const runsB: Run[] = [];
  const floors: number[] = [];
  for (let rep = 0; rep < c.reps; rep++) {
    floors.push((await run(c.floor, concurrency, Math.min(total, c.k), floorTask(c), is(200), 'floor')).cpuUs);
    runsA.push(await run(c.node, concurrency, total, a.task, a.ok, a.name));
    runsB.push(await run(c.node, concurrency, total, b.task, b.ok, b.name));
  }
  const floorUs = median(floors);
  return [summarize(a.name, runsA, floorUs), summarize(b.name, runsB, floorUs)];
}

async function groups(c: Ctx, n: number): Promise<GroupFigures> {
  const small = await c.http.send('POST', `${BASE}/Groups`, {
    schemas: [GROUP_SCHEMA],
    displayName: 'bench-small',
    members: c.ids.slice(0, 100).map((value) => ({ value })),
  });
  if (small.status !== 201) unexpected('create small group', small);
  const smallId = idOf(small);
  const big = await c.http.send('POST', `${BASE}/Groups`, { schemas: [GROUP_SCHEMA], displayName: 'bench-big' });
  if (big.status !== 201) unexpected('create big group', big);
  const bigId = idOf(big);

  // Fill the big group with every user, 100 per PATCH, as an IdP's group push does.
  log(`filling one group with ${n} members, 100 per PATCH`);
  const t0 = performance.now();
  let fillTo10kMs = Number.NaN;
  for (let from = 0; from < n; from += 100) {
    const r = await c.http.send('PATCH', `${BASE}/Groups/${bigId}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'add', path: 'members', value: c.ids.slice(from, from + 100).map((value) => ({ value })) }],
    });
    if (r.status !== 204 && r.status !== 200) unexpected('fill group', r);
    if (from + 100 >= 10_000 && Number.isNaN(fillTo10kMs)) fillTo10kMs = performance.now() - t0;
  }
  const fillMs = performance.now() - t0;
  if (Number.isNaN(fillTo10kMs)) fillTo10kMs = fillMs;

  // Users in no group at all: the add/remove probes and the "user in no group" baseline.
  const loners: string[] = [];
  for (let i = 0; i < 20; i++) {
    const r = await c.http.send('POST', `${BASE}/Users`, userBody(i, 'loner.'));
    if (r.status !== 201) unexpected('create loner', r);
    else loners.push(idOf(r));
  }
  const pairs = c.opts.quick ? 50 : 150;
  const addRemove = (groupId: string) => (i: number) => {
    const who = loners[Math.floor(i / 2) % loners.length] ?? '';
    return i % 2 === 0
      ? c.http.send('PATCH', `${BASE}/Groups/${groupId}`, {
          schemas: [PATCH_OP],
          Operations: [{ op: 'add', path: 'members', value: [{ value: who }] }],
        })
      : c.http.send('PATCH', `${BASE}/Groups/${groupId}`, {
          schemas: [PATCH_OP],
          Operations: [{ op: 'remove', path: `members[value eq "${who}"]` }],
        });
  };
  const ok204 = (r: Reply) => r.status === 204 || r.status === 200;
  const [smallRow, bigRow] = await paired(
    c,
    1,
    pairs * 2,
    { name: 'PATCH 1 member add/remove, 100-member group, c=1', task: addRemove(smallId), ok: ok204 },
    { name: `PATCH 1 member add/remove, ${n}-member group, c=1`, task: addRemove(bigId), ok: ok204 },
  );

  const groupGet = await versusFloor(
    c,
    `GET /Groups/{id}?excludedAttributes=members, ${n} members, c=4`,
    4,
    c.k,
    () => c.http.send('GET', `${BASE}/Groups/${bigId}?excludedAttributes=members`),
    is(200),
  );
  // ids[0] is in both groups; a loner is in none.
  const member = c.ids[0] ?? '';
  const loner = loners[loners.length - 1] ?? '';
  const [memberRead, lonerRead] = await paired(
    c,
    4,
    c.k,
    { name: 'GET /Users/{id}, member of big + small group, c=4', task: () => c.http.send('GET', `${BASE}/Users/${member}`), ok: is(200) },
    { name: 'GET /Users/{id}, user in no group, c=4', task: () => c.http.send('GET', `${BASE}/Users/${loner}`), ok: is(200) },
  );
  return { smallId, fillTo10kMs, fillMs, small: smallRow, big: bigRow, groupGet, memberRead, lonerRead };
}

async function mix(c: Ctx, population: number, seconds: number, groupId: string): Promise<Row> {
  const pick = rng(99);
  const any = () => Math.floor(pick() * population);
  let created = 0;
  const member = () => ({ value: c.ids[100 + (any() % 50)] ?? '' });
  const ops: [number, () => Promise<Reply>][] = [
    [35, () => c.http.send('GET', `${BASE}/Users/${c.ids[any()]}`)],
    [15, () => c.http.send('GET', BASE + eqFilter('userName', userName(any())))],
    [10, () => c.http.send('GET', BASE + eqFilter('userName', `nobody.${any()}@example.com`))],
    [5, () => c.http.send('GET', BASE + eqFilter('externalId', externalId(any())))],
    [10, () => c.http.send('POST', `${BASE}/Users`, userBody(created++, 'mix.'))],
    // A duplicate userName: 409 is the expected answer.
    [3, () => c.http.send('POST', `${BASE}/Users`, userBody(any()))],
    [
      10,
      () =>
        c.http.send('PATCH', `${BASE}/Users/${c.ids[any()]}`, {
          schemas: [PATCH_OP],
          Operations: [{ op: 'replace', value: { active: pick() < 0.5 } }],
        }),
    ],
    // An unknown id: 404 is the expected answer.
    [4, () => c.http.send('GET', `${BASE}/Users/00000000-0000-4000-8000-${String(any()).padStart(12, '0')}`)],
    [4, () => c.http.send('GET', `${BASE}/Groups/${groupId}?excludedAttributes=members`)],
    [
      4,
      () =>
        c.http.send('PATCH', `${BASE}/Groups/${groupId}`, {
          schemas: [PATCH_OP],
          Operations: [{ op: pick() < 0.5 ? 'add' : 'remove', path: 'members', value: [member()] }],
        }),
    ],
  ];
  const weight = ops.reduce((s, [w]) => s + w, 0);
  const choose = (): (() => Promise<Reply>) => {
    let x = pick() * weight;
    for (const [w, op] of ops) {
      x -= w;
      if (x < 0) return op;
    }
    return ops[0]?.[1] ?? (() => Promise.reject(new Error('no operations')));
  };
  const floorUs = await floorNow(c, 16);
  const before = errorCount;
  const r = await run(
    c.node,
    16,
    Number.MAX_SAFE_INTEGER,
    () => choose()(),
    (res) => (res.status >= 200 && res.status < 300) || res.status === 404 || res.status === 409,
    'mix',
    performance.now() + seconds * 1000,
  );
  return summarize(`mix: 16 clients for ${seconds} s`, [r], floorUs, `errors ${errorCount - before}`);
}

async function eventLogOverhead(
  c: Ctx,
  script: string,
  dir: string,
  execArgv: string[],
): Promise<{ on: Row; off: Row; ratio: number; rpsRatio: number }> {
  const creates = c.opts.quick ? 800 : 3000;
  const reps = c.opts.quick ? 1 : 2;
  const runs: Record<'on' | 'off', Run[]> = { on: [], off: [] };
  const floors: number[] = [];
  for (let rep = 0; rep < reps; rep++) {
    for (const mode of rep % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const)) {
      const child = await Child.start(
        script,
        { mode: 'node', dataDir: join(dir, `evlog-${mode}-${rep}`), eventLog: mode === 'on' },
        execArgv,
      );
      const http = new Http(child.port, child.token);
      try {
        // Warm up: JIT, statement caches, the first B-tree pages.
        await pool(16, 300, async (i) => {
          const r = await http.send('POST', `${BASE}/Users`, userBody(i, 'warm.'));
          if (r.status !== 201) unexpected('warm-up create', r);
        });
        floors.push(await floorNow(c, 16));
        runs[mode].push(
          await run(child, 16, creates, (i) => http.send('POST', `${BASE}/Users`, userBody(i)), is(201), `create (event log ${mode})`),
        );
      } finally {
        http.close();
        await child.stop();
      }
    }
  }
  const floorUs = median(floors);
  const off = summarize('POST /Users, event log OFF, c=16', runs.off, floorUs);
  const on = summarize('POST /Users, event log ON, c=16', runs.on, floorUs);
  return { on, off, ratio: on.cpuUs / off.cpuUs, rpsRatio: off.rps / on.rps };
}

// ---------------------------------------------------------------- main

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
  const lookups1k = await lookups(c, atOneK, '1k', 1);
  log(`provisioning users ${atOneK + 1}..${n} at concurrency 16`);
  const prov16 = n > atOneK ? await provisionRow(c, 'provision (lookup miss + POST), c=16', atOneK, n, 16) : prov1;
  const provisionMs = prov1.run.wallMs + (n > atOneK ? prov16.run.wallMs : 0);
  const lookupsN = await lookups(c, n, String(n), 2);

  await listWalk(c, n);
  await updates(c, n);
  const grp = await groups(c, n);
  await mix(c, n, opts.quick ? 5 : 15, grp.smallId);
  const peak = await node.usage();
  http.close();
  await node.stop();

  const evlog = await eventLogOverhead(c, script, dir, execArgv);
  c.floorHttp.close();
  await floor.stop();

  const events = opts.quick ? 200_000 : 1_000_000;
  log(`console data: ${events} events, 100000 users`);
  const cons: ConsoleFigures = consoleData(dir, events, 100_000);
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
  out.push(`peak RSS of the node child: ${f(peakMb, 0)} MB; errors: ${errorCount}`, '');
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
    errors: errorCount,
    provisionMs,
    groupFillMs: grp.fillMs,
    groupFillTo10kMs: grp.fillTo10kMs,
    peakRssMb: peakMb,
    eventLog: { cpuRatio: evlog.ratio, rpsRatio: evlog.rpsRatio },
    console: cons,
    scenarios: rows,
    targets,
  };
  process.stdout.write(`${JSON.stringify(json)}\n`);
  if (!opts.keep && !opts.profile) rmSync(dir, { recursive: true, force: true });
  return errorCount > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(2);
  },
);
