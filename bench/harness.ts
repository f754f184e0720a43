/**
 * The bench's measuring harness: options, result rows and targets, the load runner with the
 * child's CPU delta, floor pairing, and the request builders every scenario shares.
 */
import { join } from 'node:path';
import { Child, Http, pool, type Reply } from './client.js';
import type { ChildConfig } from './protocol.js';
import { fmt, median, percentile } from './stats.js';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

// ---------------------------------------------------------------- options

export interface Options {
  users: number;
  quick: boolean;
  profile: boolean;
  keep: boolean;
}

export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): Options {
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

export interface Row {
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

export interface Target {
  name: string;
  figure: string;
  limit: string;
  pass: boolean | null;
}

export const rows: Row[] = [];
export const targets: Target[] = [];
export const errors: string[] = [];
/** Unexpected replies, counted across all scenarios. */
export const tally = { count: 0 };

export function unexpected(what: string, r: Reply): void {
  tally.count++;
  if (errors.length < 20) errors.push(`${what}: HTTP ${r.status} ${r.text.slice(0, 200)}`);
}

export const log = (line: string): void => {
  process.stderr.write(`[bench] ${line}\n`);
};

// ---------------------------------------------------------------- measuring

export interface Run {
  requests: number;
  wallMs: number;
  latencies: number[];
  cpuUs: number;
}

/**
 * Runs `total` requests at `concurrency` against `child`, each from `task`, checking each reply
 * with `ok`. CPU is the child's delta over the whole run.
 */
export async function run(
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

/** CPU per request over all of `runs` together: each run weighs by its number of requests. */
export function pooledCpu(runs: Run[]): number {
  const requests = runs.reduce((s, r) => s + r.requests, 0);
  return runs.reduce((s, r) => s + r.cpuUs * r.requests, 0) / Math.max(1, requests);
}

export function summarize(name: string, runs: Run[], floorUs: number, note?: string, cpuUs = median(runs.map((r) => r.cpuUs))): Row {
  const all = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const requests = runs.reduce((s, r) => s + r.requests, 0);
  const wallMs = runs.reduce((s, r) => s + r.wallMs, 0);
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

export async function repeat(reps: number, once: (rep: number) => Promise<Run>): Promise<Run[]> {
  const out: Run[] = [];
  for (let rep = 0; rep < reps; rep++) out.push(await once(rep));
  return out;
}

export const floorTask = (c: Ctx) => () => c.floorHttp.send('GET', `${BASE}/Users/floor`);

/** How many slices each repetition of a floor-relative scenario is cut into. */
export const SLICES = 4;

/**
 * Runs a scenario `c.reps` times, each repetition cut into slices that alternate with floor runs
 * of the same size and concurrency, a second or so apart: drift on a shared machine (the floor
 * alone moves by a third between minutes) then moves both alike. The multiple compares the pooled
 * CPU of all node slices with the pooled CPU of all floor slices. `task` sees (i, rep) with i in
 * [0, total) for each rep, as if the repetition had run in one piece.
 */
export async function versusFloor(
  c: Ctx,
  name: string,
  concurrency: number,
  total: number,
  task: (i: number, rep: number) => Promise<Reply>,
  ok: (r: Reply, i: number) => boolean,
  note?: string,
): Promise<Row> {
  const runs: Run[] = [];
  const floors: Run[] = [];
  const slice = Math.ceil(total / SLICES);
  for (let rep = 0; rep < c.reps; rep++) {
    for (let from = 0; from < total; from += slice) {
      const size = Math.min(slice, total - from);
      floors.push(await run(c.floor, concurrency, size, floorTask(c), is(200), 'floor'));
      runs.push(await run(c.node, concurrency, size, (i) => task(from + i, rep), ok, name));
    }
  }
  return summarize(name, runs, pooledCpu(floors), note, pooledCpu(runs));
}

/**
 * POST /Users at c=16 on a node in two configurations, 'off' and 'on' (event log, a webhook …):
 * two repetitions in alternating order, each a fresh child in `dir/<name>-<mode>-<rep>` started with
 * `config(mode, dataDir)`, warmed up first, then measured in slices after floor slices of the same
 * size, as versusFloor does. Returns the node runs per mode and all floor runs.
 */
export async function createsOnOff(
  c: Ctx,
  script: string,
  dir: string,
  execArgv: string[],
  name: string,
  config: (mode: 'on' | 'off', dataDir: string) => ChildConfig,
  what: string,
): Promise<{ runs: Record<'on' | 'off', Run[]>; floors: Run[] }> {
  const creates = c.opts.quick ? 800 : 3000;
  const runs: Record<'on' | 'off', Run[]> = { on: [], off: [] };
  const floors: Run[] = [];
  const slice = Math.ceil(creates / SLICES);
  for (let rep = 0; rep < 2; rep++) {
    for (const mode of rep % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const)) {
      const child = await Child.start(script, config(mode, join(dir, `${name}-${mode}-${rep}`)), execArgv);
      const http = new Http(child.port, child.token);
      try {
        // Warm up: JIT, statement caches, the first B-tree pages. A fresh process reads some 50%
        // dearer for its first thousand creates, which is V8 still compiling, not what is measured.
        await pool(16, 3000, async (i) => {
          const r = await http.send('POST', `${BASE}/Users`, userBody(i, 'warm.'));
          if (r.status !== 201) unexpected('warm-up create', r);
        });
        for (let from = 0; from < creates; from += slice) {
          const size = Math.min(slice, creates - from);
          floors.push(await run(c.floor, 16, size, floorTask(c), is(200), 'floor'));
          const create = (i: number) => http.send('POST', `${BASE}/Users`, userBody(from + i));
          runs[mode].push(await run(child, 16, size, create, is(201), `create (${what} ${mode})`));
        }
      } finally {
        http.close();
        await child.stop();
      }
    }
  }
  return { runs, floors };
}

/** The floor's CPU per request at `concurrency`, measured now (for long single-run scenarios). */
export async function floorNow(c: Ctx, concurrency: number): Promise<number> {
  return (await run(c.floor, concurrency, c.k, floorTask(c), is(200), 'floor')).cpuUs;
}

export function target(name: string, figure: string, limit: string, pass: boolean | null): void {
  targets.push({ name, figure, limit, pass });
}

// ---------------------------------------------------------------- SCIM payloads

export const pad = (i: number): string => String(i).padStart(7, '0');
export const userName = (i: number): string => `bench.user${pad(i)}@example.com`;
export const externalId = (i: number): string => `00u${pad(i)}bench`;

/** What Okta sends on create (readOnly "groups": [] included; it is dropped on the way in). */
export const userBody = (i: number, prefix = ''): Record<string, unknown> => ({
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

export const eqFilter = (attr: string, value: string): string => `/Users?filter=${encodeURIComponent(`${attr} eq "${value}"`)}`;
export const idOf = (r: Reply): string => (JSON.parse(r.text) as { id: string }).id;
export const is = (status: number) => (r: Reply) => r.status === status;
export const BASE = '/api/scim/v2';

// ---------------------------------------------------------------- scenarios

export interface Ctx {
  opts: Options;
  node: Child;
  http: Http;
  floor: Child;
  floorHttp: Http;
  ids: string[];
  reps: number;
  k: number;
}
