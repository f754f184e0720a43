/**
 * Issue #15's promise "no request blocks /healthz for more than 1 s", measured: the three hostile
 * requests of its item 7 (each once blocked the event loop, and /healthz with it, for 13–35 s) are
 * sent one after another while a second client polls /healthz every 10 ms. A request sent while the
 * loop is blocked is answered only when it is free again, so the worst /healthz latency is the longest
 * block. The hostile requests' statuses are reported too: they may be refused (400/413), never a 5xx.
 */
import { Http, type Reply } from './client.js';
import { BASE, type Ctx, idOf, log, PATCH_OP, USER_SCHEMA, unexpected } from './harness.js';

const SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';

export interface HostileFigures {
  /** The worst /healthz latency while the hostile requests ran, milliseconds. */
  worstHealthzMs: number;
  polls: number;
  /** Status of each hostile request, by name. */
  statuses: Record<string, number>;
  /** Size of the big PATCH body, bytes. */
  patchBytes: number;
}

/** A PATCH of 1,000 `add` operations of 40 emails each, about 985 kB, under the 1 MiB body limit (issue #15 item 7). */
export function bigPatch(): Record<string, unknown> {
  const Operations = Array.from({ length: 1000 }, (_, i) => ({
    op: 'add',
    path: 'emails',
    value: Array.from({ length: 40 }, (_, j) => ({ value: `${i}.${j}@x.io` })),
  }));
  return { schemas: [PATCH_OP], Operations };
}

/** 1,000 operations through a value filter with `co` on every element of the user's emails. */
export function displayPatch(): Record<string, unknown> {
  const Operations = Array.from({ length: 1000 }, (_, i) => ({ op: 'replace', path: 'emails[value co "e"].display', value: `d${i}` }));
  return { schemas: [PATCH_OP], Operations };
}

/** A `.search` whose filter ORs 450 `emails[value co "zz"]` terms (about 10 KB). */
export function wideSearch(): Record<string, unknown> {
  return { schemas: [SEARCH], filter: Array.from({ length: 450 }, () => 'emails[value co "zz"]').join(' or '), count: 10 };
}

export async function hostileHealthz(c: Pick<Ctx, 'node' | 'http'>, maxEmails = 100): Promise<HostileFigures> {
  // The victim holds as many emails as a user may (MAX_MULTI_VALUED_ELEMENTS), each matching `co "e"`.
  const emails = Array.from({ length: maxEmails }, (_, j) => ({ value: `victim.${j}@example.com`, type: 'work' }));
  const made = await c.http.send('POST', `${BASE}/Users`, { schemas: [USER_SCHEMA], userName: 'hostile.victim@example.com', emails });
  if (made.status !== 201) unexpected('hostile: create the victim', made);
  const id = made.status === 201 ? idOf(made) : 'missing';
  const patch = bigPatch();
  const patchBytes = Buffer.byteLength(JSON.stringify(patch));

  const probe = new Http(c.node.port, '', 1);
  let polling = true;
  let worst = 0;
  let polls = 0;
  const poller = (async () => {
    while (polling) {
      const r = await probe.send('GET', '/healthz');
      if (r.status !== 200) unexpected('hostile: /healthz', r);
      worst = Math.max(worst, r.ms);
      polls++;
      await new Promise((res) => setTimeout(res, 10));
    }
  })();

  const statuses: Record<string, number> = {};
  const hostile: [string, () => Promise<Reply>][] = [
    [`PATCH 1,000 ops × 40 emails (${Math.round(patchBytes / 1000)} kB)`, () => c.http.send('PATCH', `${BASE}/Users/${id}`, patch)],
    ['PATCH 1,000 × emails[value co "e"].display', () => c.http.send('PATCH', `${BASE}/Users/${id}`, displayPatch())],
    ['.search with 450 emails[value co "zz"]', () => c.http.send('POST', `${BASE}/Users/.search`, wideSearch())],
  ];
  try {
    // Let the poller take a few baseline samples first, then one hostile request at a time.
    await new Promise((res) => setTimeout(res, 100));
    for (const [name, send] of hostile) {
      const r = await send();
      statuses[name] = r.status;
      if (r.status >= 500 || r.status === 0) unexpected(`hostile: ${name}`, r);
      log(`hostile: ${name} → HTTP ${r.status} in ${Math.round(r.ms)} ms`);
    }
    await new Promise((res) => setTimeout(res, 100));
  } finally {
    polling = false;
    await poller;
    probe.close();
  }
  return { worstHealthzMs: worst, polls, statuses, patchBytes };
}
