import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type TestNode, testNode } from '../../helpers/node.js';
import { badTokenStorm } from '../../helpers/storm.js';

const directoryRoot = (t: TestNode) => t.base.replace('/api/scim/v2', '/api/directory/v1');

/** Random, malformed and near-miss app tokens, as a guessing loop would send them. */
function badAppToken(i: number, real: string): string {
  switch (i % 4) {
    case 0:
      return randomBytes(24).toString('base64url');
    case 1:
      return `scimdesk_app_${randomBytes(6).toString('hex')}_${randomBytes(32).toString('base64url')}`;
    case 2:
      return `${real.slice(0, -1)}${real.endsWith('A') ? 'B' : 'A'}`; // near miss: last character wrong
    default:
      return `${real}x`;
  }
}

describe('the app-token guard of /api/directory/v1', () => {
  it('answers 1,000 bad app tokens from one source at once: 401 within the budget, then 429 with Retry-After', async () => {
    const t = await testNode();
    const app = t.node.appTokens.create('Billing');
    const root = directoryRoot(t);
    // Bounded: 1,000 requests, 25 in flight, loopback only, each given 5 s to be answered.
    const { statuses, bodies, retryAfter, hung } = await badTokenStorm(`${root}/events`, (i) => badAppToken(i, app.token));
    expect(hung).toBe(0);
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(990);
    const the401s = bodies.filter((_b, i) => statuses[i] === 401);
    expect(new Set(the401s.map((b) => JSON.stringify(b)))).toEqual(
      new Set([JSON.stringify({ error: { code: 'unauthorized', message: 'the bearer token is not a valid app token' } })]),
    );
    const first429 = statuses.indexOf(429);
    expect(bodies[first429]).toEqual({
      error: {
        code: 'too_many_requests',
        message: expect.stringMatching(/^too many failed authentication attempts from this source; retry after \d+ s$/),
      },
    });
    const wait = Number(retryAfter[first429]);
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(60);
    // The budget counts failures only: the real app token from the same source still reads.
    const ok = await fetch(`${root}/events`, { headers: { authorization: `Bearer ${app.token}` } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ data: [], nextCursor: '0', hasMore: false });
  }, 30_000);

  it('shares one failure budget per source with the SCIM API', async () => {
    const t = await testNode();
    for (let i = 0; i < 10; i++) {
      const r = await fetch(`${t.base}/Users`, { headers: { authorization: 'Bearer guess' } });
      expect(r.status).toBe(401);
    }
    const r = await fetch(`${directoryRoot(t)}/users`, { headers: { authorization: 'Bearer scimdesk_app_guess' } });
    expect(r.status).toBe(429);
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await r.json()) as { error: { code: string } }).error.code).toBe('too_many_requests');
  });

  it('rate-limits each app token: a valid token over its rate gets 429 with Retry-After, another token does not', async () => {
    const t = await testNode({ settings: { rateLimit: { perSecond: 2, burst: 2 } } });
    const a = t.node.appTokens.create('A');
    const b = t.node.appTokens.create('B');
    const get = (token: string) => fetch(`${directoryRoot(t)}/events/cursor`, { headers: { authorization: `Bearer ${token}` } });
    const statuses: number[] = [];
    let limited: Response | null = null;
    for (let i = 0; i < 6; i++) {
      const r = await get(a.token);
      statuses.push(r.status);
      if (r.status === 429 && !limited) limited = r;
      else await r.body?.cancel();
    }
    // Capacity is perSecond + burst = 4; the refill in a few milliseconds is well below one request.
    expect(statuses.slice(0, 4)).toEqual([200, 200, 200, 200]);
    expect(statuses.slice(4)).toEqual([429, 429]);
    expect(limited).not.toBeNull();
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await limited?.json()).toEqual({
      error: { code: 'rate_limited', message: expect.stringMatching(/^rate limit exceeded for this app token; retry after \d+ s$/) },
    });
    expect((await get(b.token)).status).toBe(200);
  });
});
