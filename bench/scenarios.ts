import { pool, type Reply } from './client.js';
import {
  BASE,
  type Ctx,
  createsOnOff,
  eqFilter,
  externalId,
  floorNow,
  floorTask,
  GROUP_SCHEMA,
  idOf,
  is,
  log,
  PATCH_OP,
  pooledCpu,
  type Row,
  type Run,
  run,
  SLICES,
  summarize,
  tally,
  unexpected,
  userBody,
  userName,
  versusFloor,
} from './harness.js';
import { fmt, median, rng } from './stats.js';

export async function provision(c: Ctx, from: number, to: number, concurrency: number): Promise<Run> {
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

export async function provisionRow(c: Ctx, name: string, from: number, to: number, concurrency: number): Promise<{ run: Run; row: Row }> {
  const floorBefore = await floorNow(c, concurrency);
  const r = await provision(c, from, to, concurrency);
  const floorAfter = await floorNow(c, concurrency);
  const note = `${to - from} users; per-user p50/p99 (2 requests)`;
  return { run: r, row: summarize(name, [r], (floorBefore + floorAfter) / 2, note) };
}

export async function lookups(c: Ctx, population: number, label: string, seed: number): Promise<Record<string, Row>> {
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

export async function listWalk(c: Ctx, n: number): Promise<Row> {
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

/**
 * The same walk with RFC 9865 cursors: each page resumes after the last one's keyset position, so
 * the last page should cost what the first does (issue #16 target: last / first ≤ 1.2×).
 */
export async function cursorWalk(c: Ctx, n: number): Promise<Row> {
  const pages = Math.ceil(n / 100);
  const floorUs = await floorNow(c, 1);
  const deadline = performance.now() + (c.opts.quick ? 30_000 : 180_000);
  let next = '';
  const r = await run(
    c.node,
    1,
    pages,
    async () => {
      const res = await c.http.send('GET', `${BASE}/Users?cursor=${encodeURIComponent(next)}&count=100`);
      if (res.status === 200) next = String((JSON.parse(res.text) as { nextCursor?: string }).nextCursor ?? '');
      return res;
    },
    (res) => res.status === 200,
    'cursor walk',
    deadline,
  );
  const first = median(r.latencies.slice(0, 5));
  const last = median(r.latencies.slice(-5));
  const note = `${r.requests}/${pages} pages; first ${fmt(first, 1)} ms, last ${fmt(last, 1)} ms; last cursor page / first cursor page ${fmt(last / first, 2)}×`;
  return summarize(`cursor walk: every page, count=100 @ ${n}`, [r], floorUs, note);
}

export async function updates(c: Ctx, n: number): Promise<{ patch: Row; put: Row }> {
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

export interface GroupFigures {
  smallId: string;
  fillTo10kMs: number;
  fillMs: number;
  small: Row;
  big: Row;
  groupGet: Row;
  memberRead: Row;
  lonerRead: Row;
}

/**
 * Runs two scenarios in alternation, in slices (as versusFloor does), each pair of slices after a
 * floor slice, and the pair's order flipped every slice: the two see the same machine, and neither
 * always runs on the caches the other warmed. CPU is pooled over all slices of each.
 */
export async function paired(
  c: Ctx,
  concurrency: number,
  total: number,
  a: { name: string; task: (i: number) => Promise<Reply>; ok: (r: Reply) => boolean },
  b: { name: string; task: (i: number) => Promise<Reply>; ok: (r: Reply) => boolean },
): Promise<[Row, Row]> {
  const runsA: Run[] = [];
  const runsB: Run[] = [];
  const floors: Run[] = [];
  const slice = Math.ceil(total / SLICES);
  let flip = false;
  for (let rep = 0; rep < c.reps; rep++) {
    for (let from = 0; from < total; from += slice) {
      const size = Math.min(slice, total - from);
      floors.push(await run(c.floor, concurrency, size, floorTask(c), is(200), 'floor'));
      const runA = () => run(c.node, concurrency, size, (i) => a.task(from + i), a.ok, a.name);
      const runB = () => run(c.node, concurrency, size, (i) => b.task(from + i), b.ok, b.name);
      if (flip) {
        runsB.push(await runB());
        runsA.push(await runA());
      } else {
        runsA.push(await runA());
        runsB.push(await runB());
      }
      flip = !flip;
    }
  }
  const floorUs = pooledCpu(floors);
  return [summarize(a.name, runsA, floorUs, undefined, pooledCpu(runsA)), summarize(b.name, runsB, floorUs, undefined, pooledCpu(runsB))];
}

export async function groups(c: Ctx, n: number): Promise<GroupFigures> {
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
  // The fill's writes are checkpointed before the measured PATCHes, as between scenarios.
  await c.node.settle();
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

export async function mix(c: Ctx, population: number, seconds: number, groupId: string): Promise<Row> {
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
  const before = tally.count;
  const r = await run(
    c.node,
    16,
    Number.MAX_SAFE_INTEGER,
    () => choose()(),
    (res) => (res.status >= 200 && res.status < 300) || res.status === 404 || res.status === 409,
    'mix',
    performance.now() + seconds * 1000,
  );
  return summarize(`mix: 16 clients for ${seconds} s`, [r], floorUs, `errors ${tally.count - before}`);
}

export async function eventLogOverhead(
  c: Ctx,
  script: string,
  dir: string,
  execArgv: string[],
): Promise<{ on: Row; off: Row; ratio: number; rpsRatio: number }> {
  const { runs, floors } = await createsOnOff(
    c,
    script,
    dir,
    execArgv,
    'evlog',
    (mode, dataDir) => ({ mode: 'node', dataDir, eventLog: mode === 'on' }),
    'event log',
  );
  const floorUs = pooledCpu(floors);
  const off = summarize('POST /Users, event log OFF, c=16', runs.off, floorUs, undefined, pooledCpu(runs.off));
  const on = summarize('POST /Users, event log ON, c=16', runs.on, floorUs, undefined, pooledCpu(runs.on));
  return { on, off, ratio: on.cpuUs / off.cpuUs, rpsRatio: off.rps / on.rps };
}

// ---------------------------------------------------------------- main
