import { describe, expect, it } from 'vitest';
import { TokenRateLimiter } from '../../../server/auth/rate-limit.js';
import { DEFAULT_SETTINGS, type Settings } from '../../../server/settings/settings.js';

/** A limiter on a hand-driven clock (milliseconds), with the given per-token limits. */
function limiter(perSecond: number, burst: number) {
  let now = 10_000;
  const settings: Settings = { ...DEFAULT_SETTINGS, rateLimit: { perSecond, burst } };
  const l = new TokenRateLimiter(
    () => settings,
    () => now,
  );
  return { l, advance: (ms: number) => (now += ms), settings };
}

describe('per-token rate limit (token bucket)', () => {
  it('allows perSecond + burst at once, then refuses with the seconds until one request refills', () => {
    const { l } = limiter(2, 3);
    const decisions = Array.from({ length: 6 }, () => l.consume('t1'));
    expect(decisions.map((d) => d.ok)).toEqual([true, true, true, true, true, false]);
    expect(decisions[5]).toEqual({ ok: false, retryAfterSec: 1 });
  });

  it('refills at perSecond: after 500 ms at 2/s exactly one more request passes', () => {
    const { l, advance } = limiter(2, 0);
    expect([l.consume('t'), l.consume('t'), l.consume('t')].map((d) => d.ok)).toEqual([true, true, false]);
    advance(500);
    expect(l.consume('t').ok).toBe(true);
    expect(l.consume('t').ok).toBe(false);
  });

  it('never refills beyond the bucket, however long the token was quiet', () => {
    const { l, advance } = limiter(1, 1);
    advance(3_600_000);
    expect([l.consume('t'), l.consume('t'), l.consume('t')].map((d) => d.ok)).toEqual([true, true, false]);
  });

  it('keeps tokens apart and reports the requests of the current second as usage', () => {
    const { l, advance } = limiter(50, 100);
    for (let i = 0; i < 7; i++) l.consume('a');
    l.consume('b');
    expect(l.usage('a')).toEqual({ perSecond: 50, burst: 100, used: 7 });
    expect(l.usage('b')).toEqual({ perSecond: 50, burst: 100, used: 1 });
    expect(l.usage('never')).toEqual({ perSecond: 50, burst: 100, used: 0 });
    advance(1000);
    expect(l.usage('a').used).toBe(0);
  });

  it('follows a settings change on the next request', () => {
    const { l, settings } = limiter(1, 0);
    expect(l.consume('t').ok).toBe(true);
    expect(l.consume('t').ok).toBe(false);
    settings.rateLimit = { perSecond: 1, burst: 5 };
    // The bucket is not topped up by a change; it refills toward the new size at perSecond.
    expect(l.consume('t').ok).toBe(false);
    expect(l.usage('t')).toEqual({ perSecond: 1, burst: 5, used: 1 });
  });
});
