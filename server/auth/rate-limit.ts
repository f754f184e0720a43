import type { Settings } from '../settings/settings.js';

export interface LimitDecision {
  ok: boolean;
  /** Seconds to wait before retrying, for Retry-After. */
  retryAfterSec: number;
}

export interface TokenUsage {
  perSecond: number;
  burst: number;
  /** Requests the token made in the current second. */
  used: number;
}

interface Bucket {
  /** Requests the token may still make now; refilled continuously at `perSecond`. */
  tokens: number;
  refilledAt: number;
  /** The whole second `used` counts in, and the requests counted in it. */
  second: number;
  used: number;
}

/**
 * Per-token limits as a token bucket: a token may make `perSecond` requests a second sustained, plus
 * a burst of `burst` more when it has been quiet, the bucket holding `perSecond + burst` and refilling
 * at `perSecond`. The default (50/s, burst 100) always passes Entra's documented 25 requests/second
 * per tenant. Synchronous on purpose: this runs on every SCIM request, and a promise-based limiter
 * puts a microtask hop and its allocations on each one (see docs/performance.md).
 */
export class TokenRateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly settings: () => Settings,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  consume(tokenId: string): LimitDecision {
    const { perSecond, burst } = this.settings().rateLimit;
    const capacity = perSecond + burst;
    const now = this.clock();
    let b = this.buckets.get(tokenId);
    if (!b) {
      b = { tokens: capacity, refilledAt: now, second: 0, used: 0 };
      this.buckets.set(tokenId, b);
    }
    b.tokens = Math.min(capacity, b.tokens + ((now - b.refilledAt) / 1000) * perSecond);
    b.refilledAt = now;
    const second = Math.floor(now / 1000);
    if (second !== b.second) {
      b.second = second;
      b.used = 0;
    }
    if (b.tokens < 1) return { ok: false, retryAfterSec: Math.max(1, Math.ceil((1 - b.tokens) / perSecond)) };
    b.tokens -= 1;
    b.used += 1;
    return { ok: true, retryAfterSec: 0 };
  }

  usage(tokenId: string): TokenUsage {
    const { perSecond, burst } = this.settings().rateLimit;
    const b = this.buckets.get(tokenId);
    const current = b !== undefined && b.second === Math.floor(this.clock() / 1000);
    return { perSecond, burst, used: current ? b.used : 0 };
  }
}

export type FailureVerdict = { over: false } | { over: true; retryAfterSec: number };

interface FailureWindow {
  startedAt: number;
  count: number;
}

/**
 * Failed authentication per source address, in fixed windows: the first `budget` failures of a
 * window are answered as usual (an identical 401), every further one at once with 429 and the
 * seconds until the window ends. Answering at once matters: holding a guessing loop's connections
 * open costs the node a socket and memory per request and tells the client nothing. The verdict
 * depends only on the source, never on whether a presented prefix exists, so it leaks nothing.
 * Synchronous, like the token limiter, and bounded: stale windows are swept when the map grows.
 */
export class FailureThrottle {
  private readonly windows = new Map<string, FailureWindow>();

  constructor(
    private readonly budget = 10,
    private readonly windowSec = 60,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  /** Counts one failure from `source` and says whether the source is now over its budget. */
  fail(source: string): FailureVerdict {
    const now = this.clock();
    const windowMs = this.windowSec * 1000;
    let w = this.windows.get(source);
    if (!w || now - w.startedAt >= windowMs) {
      if (!w && this.windows.size >= 10_000) this.sweep(now, windowMs);
      w = { startedAt: now, count: 0 };
      this.windows.set(source, w);
    }
    w.count++;
    if (w.count <= this.budget) return { over: false };
    return { over: true, retryAfterSec: Math.max(1, Math.ceil((w.startedAt + windowMs - now) / 1000)) };
  }

  private sweep(now: number, windowMs: number): void {
    for (const [k, w] of this.windows) if (now - w.startedAt >= windowMs) this.windows.delete(k);
  }
}
