import type { StoredEndpoint, WebhookAttempt, WebhooksRepo } from '../store/webhooks-repo.js';
import { retryDelayMs } from './backoff.js';
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
  fetch?: typeof fetch;
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
const EXCERPT_BYTES = 512;
const PAGE = 256;

/** Reads at most the first bytes of a response for the attempt record, then lets the rest go. */
async function excerptOf(res: Response): Promise<string | null> {
  if (!res.body) return null;
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < EXCERPT_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  const text = Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8');
  return text === '' ? null : text;
}

/**
 * Webhook delivery (issue #14 §3). Each endpoint has its own queue: events in feed order, one
 * request at a time, a cursor that moves only on a 2xx (so delivery is at least once, without
 * gaps, across crashes), and backoff on failure. Endpoints run independently of each other and of
 * the SCIM API: a slow or dead receiver only ever holds its own queue.
 */
export class Dispatcher {
  private readonly inFlight = new Map<string, Promise<number>>();
  private readonly buffers = new Map<string, { from: number; events: ChangeEvent[] }>();
  private readonly abort = new AbortController();
  private timer: unknown = null;
  private timerAt = Number.POSITIVE_INFINITY;
  private running = false;
  private readonly fetch: typeof fetch;
  private readonly random: () => number;

  constructor(private readonly d: DispatcherDeps) {
    this.fetch = d.fetch ?? globalThis.fetch;
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
    this.abort.abort();
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
    for (;;) {
      if (this.abort.signal.aborted) return attempts;
      const ep = this.d.repo.get(id);
      if (!ep?.enabled) return attempts;
      if (ep.nextAttemptAt) {
        const wait = Date.parse(ep.nextAttemptAt) - this.d.now().getTime();
        if (wait > 0) {
          this.schedule(wait);
          return attempts;
        }
      }
      const head = this.head(ep);
      if (!head) return attempts;
      attempts++;
      await this.attempt(ep, head.event, head.fromDeadLetters);
    }
  }

  /** The next event this endpoint should get: a requeued dead letter first, then the queue. */
  private head(ep: StoredEndpoint): { event: ChangeEvent; fromDeadLetters: boolean } | undefined {
    for (;;) {
      const dead = this.d.repo.nextRequeued(ep.id);
      if (!dead) break;
      const event = this.d.feed.get(dead.eventId);
      if (event) return { event, fromDeadLetters: true };
      this.d.repo.dropDeadLetter(ep.id, dead.eventId); // pruned meanwhile: nothing left to send
    }
    for (;;) {
      let buf = this.buffers.get(ep.id);
      if (!buf || ep.cursor < buf.from) {
        buf = { from: ep.cursor, events: this.d.feed.page(ep.cursor, PAGE) };
        this.buffers.set(ep.id, buf);
      }
      // `from` follows what is dropped, so a rewind (redeliver --from) below it reads the feed again.
      while (buf.events.length && (buf.events[0] as ChangeEvent).id <= ep.cursor) buf.from = (buf.events.shift() as ChangeEvent).id;
      const next = buf.events.find((e) => matches(ep.events, e.type));
      if (next) return { event: next, fromDeadLetters: false };
      const last = buf.events[buf.events.length - 1];
      this.buffers.delete(ep.id);
      if (!last) return undefined;
      // Nothing this endpoint wants in the page: move past it and read on.
      this.d.repo.skipTo(ep.id, last.id);
      ep.cursor = last.id;
    }
  }

  async post(url: string, body: string, headers: Record<string, string>): Promise<PostResult> {
    const started = performance.now();
    try {
      const res = await this.fetch(url, {
        method: 'POST',
        body,
        headers,
        // A redirect is a failure, never followed: a receiver cannot bounce signed events elsewhere.
        redirect: 'manual',
        signal: AbortSignal.any([AbortSignal.timeout(TIMEOUT_MS), this.abort.signal]),
      });
      const excerpt = await excerptOf(res);
      return { status: res.status, latencyMs: Math.round(performance.now() - started), error: null, excerpt };
    } catch (e) {
      const cause = e instanceof Error && e.cause instanceof Error ? `: ${e.cause.message}` : '';
      const error =
        e instanceof Error && e.name === 'TimeoutError'
          ? `no answer within ${TIMEOUT_MS / 1000} s`
          : `${e instanceof Error ? e.message : String(e)}${cause}`;
      return { status: null, latencyMs: Math.round(performance.now() - started), error, excerpt: null };
    }
  }

  /** The request of one delivery: the event JSON as the feed has it, signed with every live secret. */
  request(ep: { id: string }, event: { id: number | string; type: string }, body: string): Record<string, string> {
    const now = this.d.now();
    return {
      'content-type': 'application/json',
      'user-agent': 'SCIMDesk-Webhooks/1',
      'scimdesk-event-id': String(event.id),
      'scimdesk-event-type': event.type,
      'scimdesk-signature': signatureHeader(this.d.repo.liveSecrets(ep.id, now.toISOString()), body, Math.floor(now.getTime() / 1000)),
    };
  }

  private async attempt(ep: StoredEndpoint, event: ChangeEvent, fromDeadLetters: boolean): Promise<void> {
    const body = JSON.stringify(event);
    const r = await this.post(ep.url, body, this.request(ep, event, body));
    if (this.abort.signal.aborted) return; // stopping: the attempt is retried after the restart
    const now = this.d.now();
    const at = now.toISOString();
    const record: Omit<WebhookAttempt, 'id'> = {
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
      this.d.repo.delivered(ep.id, event.id, fromDeadLetters, at, r.status, record);
      return;
    }
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
      return;
    }
    const next = new Date(now.getTime() + retryDelayMs(ep.attempts + 1, this.random)).toISOString();
    this.d.repo.failed(ep.id, next, at, r.status, record);
  }
}
