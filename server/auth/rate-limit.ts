import { RateLimiterMemory } from 'rate-limiter-flexible';
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

/**
 * Failed authentication from one source: after `free` failures a minute, each further failure is
 * answered more slowly (up to 5 s). The delay depends only on the source, never on whether the
 * presented prefix exists, so it leaks nothing.
 */
export class FailureThrottle {
  private readonly failures = new RateLimiterMemory({ keyPrefix: 'authfail', points: 1_000_000, duration: 60 });

  constructor(private readonly free = 10) {}

  async delayFor(source: string): Promise<number> {
    const res = await this.failures.consume(source);
    const excess = res.consumedPoints - this.free;
    return excess <= 0 ? 0 : Math.min(5000, 100 * 2 ** Math.min(excess, 6));
  }
}
