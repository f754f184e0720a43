import type { WebhookAttemptItem } from '../console/contract.js';
import type { StoredEndpoint, WebhooksRepo } from '../store/webhooks-repo.js';
import { retryDelayMs } from './backoff.js';
import { nodePost, type Post } from './http-post.js';
import type { ChangeEvent, ChangeFeed } from './outbox.js';
import { matches } from './patterns.js';
import { signatureHeader } from './sign.js';

/** Timers, injectable so tests drive delivery with a fake clock and no sleeping. */
export interface Scheduler {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realScheduler: Scheduler = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export interface DispatcherDeps {
  repo: WebhooksRepo;
  feed: ChangeFeed;
  now: () => Date;
  scheduler: Scheduler;
  /** How long an event is retried before it is dead-lettered (setting webhookRetryHours). */
  retryHours: () => number;
  raiseAlert: (kind: string, severity: 'warning' | 'critical', message: string, data: unknown) => void;
  log: (msg: string, err?: unknown) => void;
  /** The HTTP client (tests may pass their own); node:http(s) with keep-alive by default. */
  post?: Post;
  random?: () => number;
  /** How often idle endpoints look for events written by another process (the CLI). */
  pollMs?: number;
}

export interface PostResult {
  status: number | null;
  latencyMs: number;
  error: string | null;
  excerpt: string | null;
}

const TIMEOUT_MS = 10_000;
/** Successes written per transaction, at most, and at least this often. */
const BATCH = 100;
const BATCH_MS = 100;
const PAGE = 256;

/**
 * Webhook delivery (issue #14 §3). Each endpoint has its own queue: events in feed order, one
 * request at a time, a cursor that moves only on a 2xx (so delivery is at least once, without
 * gaps, across crashes), and backoff on failure. Endpoints run independently of each other and of
 * the SCIM API: a slow or dead receiver only ever holds its own queue.
 */
export class Dispatcher {
  private readonly inFlight = new Map<string, Promise<number>>();
  private readonly buffers = new Map<string, { from: number; events: ChangeEvent[] }>();
  private stopped = false;
  /** Successes not yet written: the cursor is written once per batch, not once per event (see flush). */
  private readonly unwritten = new Map<string, { records: Omit<WebhookAttemptItem, 'id'>[]; cursor: number; at: string; status: number }>();
  private timer: unknown = null;
  private timerAt = Number.POSITIVE_INFINITY;
  private running = false;
  private readonly send: Post;
  private readonly closeClient: () => void;
  private readonly random: () => number;

  constructor(private readonly d: DispatcherDeps) {
    const client = d.post ? { post: d.post, close: () => {} } : nodePost();
    this.send = client.post;
    this.closeClient = client.close;
    this.random = d.random ?? Math.random;
  }

  start(): void {
    this.running = true;
    this.schedule(0);
  }

  stop(): void {
    this.running = false;
    if (this.timer !== null) this.d.scheduler.clearTimeout(this.timer);
    this.timer = null;
    this.stopped = true;
    for (const id of [...this.unwritten.keys()]) this.flush(id);
    this.closeClient();
  }

  /** New events were appended: look now rather than at the next poll. */
  kick(): void {
    if (this.running) this.schedule(0);
  }

  private schedule(ms: number): void {
    if (!this.running) return;
    const at = this.d.now().getTime() + Math.max(0, ms);
    if (this.timer !== null && this.timerAt <= at) return;
    if (this.timer !== null) this.d.scheduler.clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = this.d.scheduler.setTimeout(
      () => {
        this.timer = null;
        this.timerAt = Number.POSITIVE_INFINITY;
        this.tick();
      },
      Math.max(0, ms),
    );
  }

  private tick(): void {
    this.startPumps();
    this.schedule(this.d.pollMs ?? 500);
  }

  private startPumps(): Promise<number>[] {
    const out: Promise<number>[] = [];
    for (const ep of this.d.repo.list()) {
      if (!ep.enabled) continue;
      let p = this.inFlight.get(ep.id);
      if (!p) {
        p = this.pump(ep.id)
          .catch((e: unknown) => {
            this.d.log(`webhook delivery to endpoint ${ep.id} stopped on an error; it resumes at the next poll`, e);
            return 0;
          })
          .finally(() => this.inFlight.delete(ep.id));
        this.inFlight.set(ep.id, p);
      }
      out.push(p);
    }
    return out;
  }

  /** One pass over every endpoint: delivers what is due; resolves with the number of attempts made. */
  async runOnce(): Promise<number> {
    const counts = await Promise.all(this.startPumps());
    return counts.reduce((a, b) => a + b, 0);
  }

  /** Runs passes until nothing is due (tests; a fake clock decides what is due). */
  async drain(maxPasses = 1000): Promise<number> {
    let total = 0;
    for (let i = 0; i < maxPasses; i++) {
      const n = await this.runOnce();
      total += n;
      if (n === 0) break;
    }
    return total;
  }

  private async pump(id: string): Promise<number> {
    let attempts = 0;
    let ep = this.d.repo.get(id);
    let batchStarted = performance.now();
    // Requeued dead letters are looked for when the row was just read, not before every event.
    let fresh = true;
    try {
      for (;;) {
        if (this.stopped || !ep?.enabled) return attempts;
        if (ep.nextAttemptAt) {
          const wait = Date.parse(ep.nextAttemptAt) - this.d.now().getTime();
          if (wait > 0) {
            this.schedule(wait);
            return attempts;
          }
        }
        const head = this.head(ep, fresh);
        fresh = false;
        if (!head) return attempts;
        attempts++;
        const queued = await this.attempt(ep, head.event, head.fromDeadLetters);
        // The endpoint row is read again after each written batch, so a redeliver, disable or remove
        // from the CLI (another process) takes effect within one batch.
        if (!queued || (this.unwritten.get(id)?.records.length ?? 0) >= BATCH || performance.now() - batchStarted > BATCH_MS) {
          this.flush(id);
          ep = this.d.repo.get(id);
          batchStarted = performance.now();
          fresh = true;
        }
      }
    } finally {
      this.flush(id);
    }
  }

  /**
   * Writes an endpoint's unwritten successes: their attempt rows and the cursor, in one transaction.
   * A crash before it only means those events are sent again (delivery is at least once); the cursor
   * never moves past an event that was not answered with a 2xx.
   */
  private flush(id: string): void {
    const u = this.unwritten.get(id);
    if (!u) return;
    this.unwritten.delete(id);
    this.d.repo.deliveredBatch(id, u.records, u.cursor, u.at, u.status);
  }

  /** The next event this endpoint should get: a requeued dead letter first, then the queue. */
  private head(ep: StoredEndpoint, lookForDeadLetters: boolean): { event: ChangeEvent; fromDeadLetters: boolean } | undefined {
    for (;;) {
      if (!lookForDeadLetters) break;
      const dead = this.d.repo.nextRequeued(ep.id);
      if (!dead) break;
      const event = this.d.feed.get(dead.eventId);
      if (event) return { event, fromDeadLetters: true };
      this.d.repo.dropDeadLetter(ep.id, dead.eventId); // pruned meanwhile: nothing left to send
    }
    for (;;) {
      let buf = this.buffers.get(ep.id);
      let justRead = false;
      if (!buf || ep.cursor < buf.from) {
        buf = { from: ep.cursor, events: this.d.feed.page(ep.cursor, PAGE) };
        this.buffers.set(ep.id, buf);
        justRead = true;
      }
      // `from` follows what is dropped, so a rewind (redeliver --from) below it reads the feed again.
      while (buf.events.length && (buf.events[0] as ChangeEvent).id <= ep.cursor) buf.from = (buf.events.shift() as ChangeEvent).id;
      if (buf.events.length === 0) {
        this.buffers.delete(ep.id);
        if (justRead) return undefined; // caught up
        continue; // this page is done: read the next one
      }
      const next = buf.events.find((e) => matches(ep.events, e.type));
      if (next) return { event: next, fromDeadLetters: false };
      // Nothing this endpoint wants in the page: move past it and read on.
      const last = buf.events[buf.events.length - 1] as ChangeEvent;
      this.buffers.delete(ep.id);
      this.flush(ep.id);
      this.d.repo.skipTo(ep.id, last.id);
      ep.cursor = last.id;
    }
  }

  async post(url: string, body: string, headers: Record<string, string>): Promise<PostResult> {
    const started = performance.now();
    try {
      // A redirect is a failure, never followed: a receiver cannot bounce signed events elsewhere.
      const res = await this.send(url, body, headers, TIMEOUT_MS);
      return { status: res.status, latencyMs: Math.round(performance.now() - started), error: null, excerpt: res.excerpt };
    } catch (e) {
      return {
        status: null,
        latencyMs: Math.round(performance.now() - started),
        error: e instanceof Error ? e.message : String(e),
        excerpt: null,
      };
    }
  }

  /** Live secrets, read at most once a second per endpoint (a rotation shows within that second). */
  private readonly secrets = new Map<string, { at: number; list: string[] }>();
  private secretsOf(id: string, now: Date): string[] {
    const hit = this.secrets.get(id);
    if (hit && Math.abs(now.getTime() - hit.at) < 1000) return hit.list;
    const list = this.d.repo.liveSecrets(id, now.toISOString());
    this.secrets.set(id, { at: now.getTime(), list });
    return list;
  }

  /** The request of one delivery: the event JSON as the feed has it, signed with every live secret. */
  request(ep: { id: string }, event: { id: number | string; type: string }, body: string): Record<string, string> {
    const now = this.d.now();
    return {
      'content-type': 'application/json',
      'user-agent': 'SCIMDesk-Webhooks/1',
      'scimdesk-event-id': String(event.id),
      'scimdesk-event-type': event.type,
      'scimdesk-signature': signatureHeader(this.secretsOf(ep.id, now), body, Math.floor(now.getTime() / 1000)),
    };
  }

  /** Sends one event; true when it succeeded and waits in the unwritten batch. */
  private async attempt(ep: StoredEndpoint, event: ChangeEvent, fromDeadLetters: boolean): Promise<boolean> {
    const body = JSON.stringify(event);
    const r = await this.post(ep.url, body, this.request(ep, event, body));
    if (this.stopped) return false; // stopping: the attempt is retried after the restart
    const now = this.d.now();
    const at = now.toISOString();
    const record: Omit<WebhookAttemptItem, 'id'> = {
      endpointId: ep.id,
      eventId: event.id,
      eventType: event.type,
      time: at,
      status: r.status,
      latencyMs: r.latencyMs,
      error: r.error ?? (r.status !== null && (r.status < 200 || r.status > 299) ? `HTTP ${r.status}` : null),
      responseExcerpt: r.excerpt,
    };
    if (r.status !== null && r.status >= 200 && r.status <= 299) {
      if (fromDeadLetters) {
        this.flush(ep.id);
        this.d.repo.delivered(ep.id, event.id, true, at, r.status, record);
        return false;
      }
      const u = this.unwritten.get(ep.id) ?? { records: [], cursor: event.id, at, status: r.status };
      u.records.push(record);
      Object.assign(u, { cursor: event.id, at, status: r.status });
      this.unwritten.set(ep.id, u);
      Object.assign(ep, { cursor: event.id, attempts: 0, firstFailureAt: null, nextAttemptAt: null, failing: false });
      return true;
    }
    this.flush(ep.id);
    const firstFailure = ep.firstFailureAt ? Date.parse(ep.firstFailureAt) : now.getTime();
    // A failing endpoint (one that already gave up on an event and has not succeeded since) gets one
    // try per event, so a receiver that is gone does not hold each later event for days too.
    const windowMs = ep.failing ? 0 : this.d.retryHours() * 3_600_000;
    if (now.getTime() - firstFailure >= windowMs) {
      this.d.repo.deadLetter(ep.id, event, fromDeadLetters, ep.attempts + 1, at, r.status, record);
      if (!ep.failing) {
        this.d.raiseAlert(
          'webhook-failing',
          'critical',
          `webhook "${ep.label}" gave up on event ${event.id} (${event.type}) after ${ep.attempts + 1} attempts; the endpoint is failing and later events are dead-lettered until it answers again`,
          { endpointId: ep.id, eventId: event.id },
        );
      }
      return false;
    }
    const next = new Date(now.getTime() + retryDelayMs(ep.attempts + 1, this.random)).toISOString();
    this.d.repo.failed(ep.id, next, at, r.status, record);
    return false;
  }
}
