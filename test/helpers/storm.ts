/**
 * A bounded storm of requests with bad bearer tokens from one source, for the failure-budget tests
 * of the SCIM API and the directory read API: `count` GETs, `inFlight` at once, loopback only, each
 * given 5 s to be answered (a request that is not counts as hung, never as a pass).
 */
export interface StormResult {
  /** Per request, in send order. */
  statuses: number[];
  bodies: unknown[];
  retryAfter: (string | null)[];
  /** Requests that got no answer within 5 s (or whose body did not parse). */
  hung: number;
}

export async function badTokenStorm(url: string, badToken: (i: number) => string, count = 1000, inFlight = 25): Promise<StormResult> {
  const out: StormResult = { statuses: [], bodies: [], retryAfter: [], hung: 0 };
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      try {
        const r = await fetch(url, {
          headers: { authorization: `Bearer ${badToken(i)}` },
          signal: AbortSignal.timeout(5000),
        });
        out.statuses[i] = r.status;
        out.retryAfter[i] = r.headers.get('retry-after');
        out.bodies[i] = await r.json();
      } catch {
        out.hung++;
      }
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return out;
}
