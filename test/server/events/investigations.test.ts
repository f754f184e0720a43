import { describe, expect, it } from 'vitest';
import { invokeConsole } from '../../../server/console/handlers.js';
import { consoleHandlers } from '../../helpers/console.js';
import { insertEvent } from '../../helpers/events.js';
import { GROUP, PATCH_OP, testNode, USER } from '../../helpers/node.js';

const at = (minute: number) => new Date(Date.parse('2026-01-01T00:00:00Z') + minute * 60_000).toISOString();

describe('exact status filters', () => {
  it('finds one code or several, newest first, within a time range, and pages across codes', async () => {
    const t = await testNode();
    const codes = [200, 409, 400, 409, 201, 409, 400, 500, 409, 200];
    for (const [i, status] of codes.entries()) insertEvent(t.repos.events, { time: at(i), status, path: `/p${i}` });
    const paths = (items: { path: string }[]) => items.map((e) => e.path);

    expect(paths(t.node.events.list({ statuses: [409] }).items)).toEqual(['/p8', '/p5', '/p3', '/p1']);
    expect(paths(t.node.events.list({ statuses: [400, 409] }).items)).toEqual(['/p8', '/p6', '/p5', '/p3', '/p2', '/p1']);
    // 409s from minute 2 up to (not including) minute 8.
    expect(paths(t.node.events.list({ statuses: [409], since: at(2), until: at(8) }).items)).toEqual(['/p5', '/p3']);
    // With a class, either matches: every 4xx, plus the 500 (409 is inside the class already).
    expect(paths(t.node.events.list({ statuses: [409, 500], statusClass: 4 }).items)).toEqual([
      '/p8',
      '/p7',
      '/p6',
      '/p5',
      '/p3',
      '/p2',
      '/p1',
    ]);
    expect(paths(t.node.events.list({ statusClass: 4 }).items)).toEqual(['/p8', '/p6', '/p5', '/p3', '/p2', '/p1']);
    expect(t.node.events.list({ statuses: [418] }).items).toEqual([]);

    const first = t.node.events.list({ statuses: [400, 409] }, { limit: 4 });
    expect(paths(first.items)).toEqual(['/p8', '/p6', '/p5', '/p3']);
    const second = t.node.events.list({ statuses: [400, 409] }, { limit: 4, before: first.nextCursor ?? 0 });
    expect(paths(second.items)).toEqual(['/p2', '/p1']);
    expect(second.nextCursor).toBeNull();
  });

  it('takes the codes through the console as a list, and rejects anything else', async () => {
    const t = await testNode();
    const handlers = consoleHandlers(t.node, { startedAt: at(0), scimUrl: () => t.base });
    await t.scim('POST', '/Users', { schemas: [USER], userName: 'a@example.com' });
    await t.scim('POST', '/Users', { schemas: [USER], userName: 'a@example.com' });
    await t.scim('GET', '/Users?filter=userName%20eq');
    const statuses = async (codes: unknown) => {
      const r = await invokeConsole(handlers, 'events.list', { filter: { statuses: codes } as never });
      return r.ok ? r.value.items.map((e) => e.status) : r.error;
    };
    expect(await statuses([409])).toEqual([409]);
    expect(await statuses([400, 409])).toEqual([400, 409]);
    expect(await statuses([201, 201])).toEqual([201]);
    const message = 'filter.statuses must be a list of HTTP status codes (100 to 599)';
    for (const bad of ['409', [99], [600], [409.5]]) {
      const r = await statuses(bad);
      expect(r).toMatchObject({ code: 'invalid', message });
    }
  });
});

describe('the wire view', () => {
  it('stores the exact bytes sent when nothing was corrected or masked, and no second copy', async () => {
    const t = await testNode();
    const pretty = `{\n  "schemas": ["${USER}"],\n  "userName": "wire@example.com"\n}`;
    const made = await t.scim('POST', '/Users', pretty);
    expect(made.status).toBe(201);
    const compact = await t.scim('POST', '/Users', { schemas: [USER], userName: 'compact@example.com' });
    const detail = (r: { headers: Headers }) => {
      const [e] = t.node.events.list({ requestId: r.headers.get('x-request-id') ?? '' }).items;
      const d = t.node.events.get(e?.id ?? 0);
      if (!d) throw new Error('event not recorded');
      return d;
    };
    expect(detail(made).requestBody).toBe(pretty);
    expect(detail(made).requestBodyReceived).toBeNull();
    expect(detail(compact).requestBody).toBe(JSON.stringify({ schemas: [USER], userName: 'compact@example.com' }));
    expect(detail(compact).requestBodyReceived).toBeNull();
  });

  it('shows what the dialect layer corrected: the received body keeps the quirk, the stored one is fixed', async () => {
    const t = await testNode();
    const u = await t.scim('POST', '/Users', { schemas: [USER], userName: 'entra@example.com' });
    const sent = JSON.stringify({ schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] });
    const p = await t.scim('PATCH', `/Users/${u.body?.id}`, sent);
    expect(p.status).toBe(200);
    const [e] = t.node.events.list({ requestId: p.headers.get('x-request-id') ?? '' }).items;
    const d = t.node.events.get(e?.id ?? 0);
    expect(d?.requestBodyReceived).toBe(sent);
    expect(JSON.parse(d?.requestBody ?? '{}')).toEqual({
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', path: 'active', value: false }],
    });
    expect(d?.notes.length).toBeGreaterThan(0);
  });

  it('masks a password in the received body too: never the secret, even at the cost of exact bytes', async () => {
    const t = await testNode();
    const u = await t.scim('POST', '/Users', { schemas: [USER], userName: 'pw@example.com' });
    const sent = `{"schemas":["${PATCH_OP}"],"Operations":[{"op":"Replace","path":"password","value":"Hunter2-secret"}]}`;
    const p = await t.scim('PATCH', `/Users/${u.body?.id}`, sent);
    expect(p.status).toBe(200);
    const [e] = t.node.events.list({ requestId: p.headers.get('x-request-id') ?? '' }).items;
    const d = t.node.events.get(e?.id ?? 0);
    expect(d?.requestBodyReceived).toBe(
      JSON.stringify({ schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'password', value: '[REDACTED] password' }] }),
    );
    expect(JSON.stringify(d)).not.toContain('Hunter2');
  });

  it('stores the response headers the IdP received, credentials masked', async () => {
    const t = await testNode();
    const made = await t.scim('POST', '/Users', { schemas: [USER], userName: 'h@example.com' });
    await fetch(`${t.base}/Users`, { headers: { authorization: 'Bearer scimdesk_000000000000_nope' } });
    const [unauth, created] = t.node.events.list().items;
    const c = t.node.events.get(created?.id ?? 0);
    expect(c?.responseHeaders).toMatchObject({
      etag: made.headers.get('etag'),
      location: made.headers.get('location'),
      'content-type': 'application/scim+json; charset=utf-8',
      'x-request-id': made.headers.get('x-request-id'),
    });
    expect(t.node.events.get(unauth?.id ?? 0)?.responseHeaders['www-authenticate']).toBe('Bearer realm="SCIM Desk"');
  });

  it('stores Retry-After on a rate-limited answer', async () => {
    const t = await testNode();
    t.node.settings.set('rateLimit', { perSecond: 1, burst: 1 });
    let limited: Response | undefined;
    for (let i = 0; i < 5 && !limited; i++) {
      const r = await fetch(`${t.base}/ServiceProviderConfig`, { headers: { authorization: `Bearer ${t.token}` } });
      await r.arrayBuffer();
      if (r.status === 429) limited = r;
    }
    expect(limited?.status).toBe(429);
    const [e] = t.node.events.list({ statuses: [429] }).items;
    expect(t.node.events.get(e?.id ?? 0)?.responseHeaders['retry-after']).toBe(limited?.headers.get('retry-after'));
  });
});

describe('per-resource timeline', () => {
  it('lists every request that touched a user, failed ones and group changes included, and nothing else', async () => {
    const t = await testNode();
    const alice = await t.scim('POST', '/Users', { schemas: [USER], userName: 'alice@example.com', externalId: '00u1' });
    const bob = await t.scim('POST', '/Users', { schemas: [USER], userName: 'bob@example.com' });
    const id = String(alice.body?.id);
    const dup = await t.scim('POST', '/Users', { schemas: [USER], userName: 'alice@example.com', externalId: '00u2' });
    expect(dup.status).toBe(409);
    const bad = await t.scim('PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'explode' }] });
    expect(bad.status).toBe(400);
    const g = await t.scim('POST', '/Groups', { schemas: [GROUP], displayName: 'Staff' });
    const add = await t.scim('PATCH', `/Groups/${g.body?.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'add', path: 'members', value: [{ value: id }, { value: bob.body?.id }] }],
    });
    expect(add.status).toBe(204);
    const rid = (r: { headers: Headers }) => r.headers.get('x-request-id');

    const page = t.node.events.timeline(id);
    expect(page.items.map((e) => [e.requestId, e.status])).toEqual([
      [rid(add), 204],
      [rid(bad), 400],
      [rid(dup), 409],
      [rid(alice), 201],
    ]);
    expect(page.items[0]?.changes).toContainEqual({ kind: 'member.added', groupId: g.body?.id, memberId: id, memberType: 'User' });
    expect(t.node.events.timeline(String(bob.body?.id)).items.map((e) => e.requestId)).toEqual([rid(add), rid(bob)]);
    // The group's own timeline: its create and the PATCH, not the users' requests.
    expect(t.node.events.timeline(String(g.body?.id)).items.map((e) => e.requestId)).toEqual([rid(add), rid(g)]);

    const first = t.node.events.timeline(id, { limit: 3 });
    expect(first.items).toHaveLength(3);
    const rest = t.node.events.timeline(id, { limit: 3, before: first.nextCursor ?? 0 });
    expect(rest.items.map((e) => e.requestId)).toEqual([rid(alice)]);
    expect(rest.nextCursor).toBeNull();
  });

  it('drops the touches with their events when retention prunes them', async () => {
    const t = await testNode();
    insertEvent(t.repos.events, {
      time: at(0),
      resourceId: 'g1',
      changes: [{ kind: 'member.added', groupId: 'g1', memberId: 'u1', memberType: 'User' }],
    });
    expect(t.node.events.timeline('u1').items).toHaveLength(1);
    expect(t.db.prepare('SELECT count(*) AS n FROM event_touches').get()).toEqual({ n: 1 });
    expect(t.node.events.pruneStep(new Date(at(60 * 24 * 400)), 1, Number.MAX_SAFE_INTEGER)).toBe(1);
    expect(t.db.prepare('SELECT count(*) AS n FROM event_touches').get()).toEqual({ n: 0 });
    expect(t.node.events.timeline('u1').items).toEqual([]);
  });
});
