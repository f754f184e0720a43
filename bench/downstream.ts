/**
 * Issue #14's figures: what one webhook endpoint costs SCIM create throughput, how many events a
 * second a local receiver gets, and how long a feed page takes at 1,000,000 events.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { startNodeWithStore } from '../server/node.js';
import { inTransaction } from '../server/store/db.js';
import { type Ctx, createsOnOff, log, pooledCpu, type Row, summarize } from './harness.js';
import { median, percentile } from './stats.js';

/** A receiver that answers 204 at once and counts what it got. */
async function receiver(): Promise<{ url: string; count: () => number; server: Server }> {
  let n = 0;
  const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    req.resume();
    req.on('end', () => {
      n++;
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, count: () => n, server };
}

const close = (s: Server) =>
  new Promise<void>((r) => {
    s.close(() => r());
    s.closeAllConnections();
  });

/** POST /Users throughput with one webhook endpoint on versus none, alternating, as the event-log pair does. */
export async function webhookOverhead(
  c: Ctx,
  script: string,
  dir: string,
  execArgv: string[],
): Promise<{ on: Row; off: Row; rpsRatio: number; delivered: number }> {
  const rx = await receiver();
  let measured: Awaited<ReturnType<typeof createsOnOff>>;
  try {
    measured = await createsOnOff(
      c,
      script,
      dir,
      execArgv,
      'webhook',
      (mode, dataDir) =>
        mode === 'on' ? { mode: 'node', dataDir, eventLog: true, webhookUrl: rx.url } : { mode: 'node', dataDir, eventLog: true },
      'webhook',
    );
  } finally {
    await close(rx.server);
  }
  const { runs, floors } = measured;
  const floorUs = pooledCpu(floors);
  const off = summarize('POST /Users, no webhook, c=16', runs.off, floorUs, undefined, pooledCpu(runs.off));
  const on = summarize('POST /Users, 1 webhook endpoint, c=16', runs.on, floorUs, `${rx.count()} deliveries`, pooledCpu(runs.on));
  return { on, off, rpsRatio: on.rps / off.rps, delivered: rx.count() };
}

/** Appends synthetic user.created events straight through the outbox repository, in big transactions. */
function fill(store: ReturnType<typeof startNodeWithStore>, events: number): void {
  const at = new Date().toISOString();
  for (let from = 0; from < events; from += 10_000) {
    inTransaction(store.db, () => {
      for (let i = from; i < Math.min(events, from + 10_000); i++) {
        const id = `00000000-0000-7000-8000-${String(i).padStart(12, '0')}`;
        store.repos.changeEvents.append({
          type: 'user.created',
          occurredAt: at,
          requestId: null,
          actorKind: 'scim',
          tokenId: null,
          data: {
            id,
            userName: `user${i}@example.com`,
            externalId: null,
            active: true,
            displayName: null,
            emails: [],
            role: null,
            roleSource: null,
            groups: [],
            updatedAt: at,
          },
          previous: null,
          cause: null,
        });
      }
    });
  }
}

/** Events a second a local receiver gets from one endpoint (sequential POSTs over keep-alive). */
export async function receiverRate(dir: string, events: number): Promise<{ eventsPerSecond: number; events: number }> {
  const store = startNodeWithStore({ dbFile: join(dir, 'deliveries.db'), log: () => {} });
  const rx = await receiver();
  try {
    store.node.webhooks.add({ url: rx.url, label: 'bench' });
    fill(store, events);
    const t0 = performance.now();
    store.node.deliveries.start();
    const deadline = t0 + 120_000;
    while (rx.count() < events && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const s = (performance.now() - t0) / 1000;
    return { eventsPerSecond: rx.count() / s, events: rx.count() };
  } finally {
    store.node.close();
    await close(rx.server);
  }
}

/** A feed page of 100 at random positions of a feed of `events`, over HTTP with an app token. */
export async function feedPage(dir: string, events: number): Promise<{ p50: number; p99: number; serviceMs: number; fillMs: number }> {
  // The per-token rate limit would answer 429 to a loop this fast: lift it, as the SCIM child does.
  const store = startNodeWithStore({
    dbFile: join(dir, 'feed.db'),
    log: () => {},
    settings: { rateLimit: { perSecond: 100_000, burst: 1_000_000 } },
  });
  const server = createServer({ keepAliveTimeout: 65_000 }, store.node.scim);
  try {
    const t0 = performance.now();
    fill(store, events);
    const fillMs = performance.now() - t0;
    log(`feed: ${events} events in ${Math.round(fillMs / 1000)} s`);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/directory/v1/events`;
    const headers = { authorization: `Bearer ${store.node.appTokens.create('bench').token}` };
    const times: number[] = [];
    for (let i = 0; i < 600; i++) {
      const after = Math.floor(Math.random() * (events - 100));
      const t = performance.now();
      const res = await fetch(`${url}?after=${after}&limit=100`, { headers });
      const page = (await res.json()) as { data?: unknown[] };
      if (i >= 100) times.push(performance.now() - t); // the first hundred warm the caches
      if (res.status !== 200 || page.data?.length !== 100)
        throw new Error(`feed page: HTTP ${res.status}, ${JSON.stringify(page).slice(0, 200)}`);
    }
    times.sort((a, b) => a - b);
    // The same page read in-process, without the HTTP client: what the node itself spends.
    const service: number[] = [];
    for (let i = 0; i < 500; i++) {
      const after = String(Math.floor(Math.random() * (events - 100)));
      const t = performance.now();
      JSON.stringify(store.node.downstream.events(after, '100'));
      service.push(performance.now() - t);
    }
    return { p50: median(times), p99: percentile(times, 99), serviceMs: median(service), fillMs };
  } finally {
    await close(server);
    store.node.close();
  }
}
