import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FailureThrottle } from '../../../server/auth/rate-limit.js';
import { ERROR, testNode } from '../../helpers/node.js';
import { badTokenStorm } from '../../helpers/storm.js';

const SCIM_ERROR = ERROR;

/** Random, malformed and near-miss bearer tokens, as a guessing loop or a broken IdP would send. */
function badToken(i: number, real: string): string {
  switch (i % 5) {
    case 0:
      return randomBytes(24).toString('base64url');
    case 1:
      return `scimdesk_${randomBytes(6).toString('hex')}_${randomBytes(32).toString('base64url')}`;
    case 2:
      return `${real.slice(0, -1)}${real.endsWith('A') ? 'B' : 'A'}`; // near miss: last character wrong
    case 3:
      return 'scimdesk_zz_not-a-token';
    default:
      return `${real}x`;
  }
}

describe('a storm of bad tokens from one source', () => {
  it('answers every one of 1,000 requests at once: 401 within the budget, then 429 with Retry-After', async () => {
    const t = await testNode();
    // Bounded: 1,000 requests, 25 in flight, loopback only, each given 5 s to be answered.
    const { statuses, bodies, retryAfter, hung } = await badTokenStorm(`${t.base}/Users`, (i) => badToken(i, t.token));
    expect(hung).toBe(0);
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(990);
    const first429 = statuses.indexOf(429);
    expect(bodies[first429]).toEqual({
      schemas: [SCIM_ERROR],
      status: '429',
      detail: expect.stringMatching(/^too many failed authentication attempts from this source; retry after \d+ s$/),
    });
    const wait = Number(retryAfter[first429]);
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(60);
    // Below the budget every failure reads the same, whatever was wrong with the token.
    const the401s = bodies.filter((_b, i) => statuses[i] === 401);
    expect(new Set(the401s.map((b) => JSON.stringify(b)))).toEqual(
      new Set([JSON.stringify({ schemas: [SCIM_ERROR], status: '401', detail: 'the bearer token is not valid' })]),
    );
    // Stored aggregated per source and reason, the 429s too: the storm did not write a row per request.
    t.node.flushEvents();
    expect(t.node.events.list().items.length).toBeLessThanOrEqual(5);
    // The real token from the same source still works: the budget counts failures only.
    expect((await fetch(`${t.base}/Users`, { headers: { authorization: `Bearer ${t.token}` } })).status).toBe(200);
  }, 30_000);

  it('answers the OAuth token endpoint the same way: 401 invalid_client within the budget, then 429 at once', async () => {
    const t = await testNode();
    const url = t.base.replace(/\/v2$/, '/oauth/token');
    const attempt = () =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials&client_id=nobody&client_secret=guess',
        signal: AbortSignal.timeout(5000),
      });
    for (let i = 0; i < 10; i++) expect((await attempt()).status).toBe(401);
    const over = await attempt();
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await over.json()).toEqual({
      error: 'temporarily_unavailable',
      error_description: expect.stringMatching(/^too many failed client authentications; retry after \d+ s$/),
    });
  });

  it('opens a new budget after the window, and keeps sources apart', async () => {
    let now = 1_000_000;
    const f = new FailureThrottle(3, 60, () => now);
    const seen = [1, 2, 3, 4].map(() => f.fail('a'));
    expect(seen).toEqual([{ over: false }, { over: false }, { over: false }, { over: true, retryAfterSec: 60 }]);
    expect(f.fail('b')).toEqual({ over: false });
    now += 30_500;
    expect(f.fail('a')).toEqual({ over: true, retryAfterSec: 30 });
    now += 30_000;
    expect(f.fail('a')).toEqual({ over: false });
  });
});
