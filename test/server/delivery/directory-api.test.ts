import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChangeEvent } from '../../../server/delivery/outbox.js';
import { type RunningServer, serve } from '../../../server/serve.js';
import { GROUP, PATCH_OP, type TestNode, testNode, USER } from '../../helpers/node.js';

const DAY = 86_400_000;

function api(t: TestNode, token: string) {
  const root = t.base.replace('/api/scim/v2', '/api/directory/v1');
  return async (path: string, auth: string | null = token) => {
    const res = await fetch(`${root}${path}`, { headers: auth === null ? {} : { authorization: `Bearer ${auth}` } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
  };
}

async function created(t: TestNode, path: string, body: unknown): Promise<string> {
  const r = await t.scim('POST', path, body);
  expect(r.status).toBe(201);
  return String(r.body?.id);
}

describe('directory API: app tokens and scopes', () => {
  it('an app token reads /api/directory/v1; a SCIM token, an unknown or revoked app token, or none, gets 401', async () => {
    const t = await testNode();
    const app = t.node.appTokens.create('Billing');
    expect(app.token).toMatch(/^scimdesk_app_[0-9a-f]{12}_[\w-]{43}$/);
    const get = api(t, app.token);
    expect((await get('/events')).status).toBe(200);
    for (const bad of [t.token, null, `${app.token.slice(0, -1)}x`, 'garbage']) {
      const r = await get('/events', bad);
      expect(r.status).toBe(401);
      expect(r.body).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
      expect(r.headers.get('www-authenticate')).toBe('Bearer realm="SCIM Desk directory"');
    }
    expect(t.node.appTokens.revoke(app.id)).toBe(true);
    expect((await get('/users')).status).toBe(401);
    expect(t.node.appTokens.list()).toEqual([expect.objectContaining({ id: app.id, label: 'Billing', revokedAt: expect.any(String) })]);
  });

  it('an app token is refused on the SCIM API (401) and cannot write', async () => {
    const t = await testNode();
    const app = t.node.appTokens.create('Billing');
    for (const [method, path] of [
      ['GET', '/Users'],
      ['POST', '/Users'],
    ] as const) {
      const res = await fetch(`${t.base}${path}`, {
        method,
        headers: { authorization: `Bearer ${app.token}`, 'content-type': 'application/scim+json' },
        body: method === 'POST' ? JSON.stringify({ schemas: [USER], userName: 'x@example.com' }) : undefined,
      });
      expect(res.status).toBe(401);
    }
    expect(t.node.feed.newestId()).toBe(0);
  });
});

describe('directory API: the feed', () => {
  it('pages with after/limit, validates them, and 410s a cursor whose events were pruned', async () => {
    let now = new Date('2026-01-01T00:00:00Z');
    const t = await testNode({ now: () => now });
    const get = api(t, t.node.appTokens.create('app').token);
    for (let i = 0; i < 5; i++) await created(t, '/Users', { schemas: [USER], userName: `u${i}@example.com` });
    const first = await get('/events?limit=2');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ nextCursor: '2', hasMore: true });
    expect((first.body.data as ChangeEvent[]).map((e) => e.id)).toEqual([1, 2]);
    const rest = await get('/events?after=2');
    expect(rest.body).toMatchObject({ nextCursor: '5', hasMore: false });
    expect((rest.body.data as ChangeEvent[]).map((e) => e.id)).toEqual([3, 4, 5]);
    expect((await get('/events?after=5')).body).toEqual({ data: [], nextCursor: '5', hasMore: false });
    expect((await get('/events/cursor')).body).toEqual({ cursor: '5' });
    for (const q of ['limit=0', 'limit=1001', 'limit=abc', 'after=-1', 'after=x', 'after=99']) {
      const r = await get(`/events?${q}`);
      expect(r.status, q).toBe(400);
      expect((r.body.error as { code: string }).code).toMatch(/^invalid_(limit|cursor)$/);
    }
    // 31 days on, with no webhook holding them, retention prunes all five.
    now = new Date(now.getTime() + 31 * DAY);
    await created(t, '/Users', { schemas: [USER], userName: 'late@example.com' });
    expect(t.node.pruneChangeFeed()).toBe(5);
    const gone = await get('/events?after=2');
    expect(gone.status).toBe(410);
    expect(gone.body).toEqual({ error: { code: 'cursor_expired', message: expect.stringContaining('resync') } });
    // A consumer that had everything up to 5 is not behind anything pruned.
    expect((await get('/events?after=5')).body).toMatchObject({ nextCursor: '6', hasMore: false });
    expect(((await get('/events')).body.data as ChangeEvent[]).map((e) => e.id)).toEqual([6]);
  });

  it('retention never prunes what a webhook endpoint has not received', async () => {
    let now = new Date('2026-01-01T00:00:00Z');
    const t = await testNode({ now: () => now });
    const { endpoint } = t.node.webhooks.add({ url: 'http://127.0.0.1:9/hook' });
    for (let i = 0; i < 3; i++) await created(t, '/Users', { schemas: [USER], userName: `u${i}@example.com` });
    now = new Date(now.getTime() + 40 * DAY);
    expect(t.node.pruneChangeFeed()).toBe(0);
    t.node.webhooks.remove(endpoint.id);
    expect(t.node.pruneChangeFeed()).toBe(3);
  });
});

describe('directory API: the read API', () => {
  it('lists users keyset-paged with role and active filters, one user, groups and members', async () => {
    const t = await testNode();
    t.node.roles.setMapping('Admins', 'admin', { kind: 'console', requestId: null, tokenId: null });
    const get = api(t, t.node.appTokens.create('app').token);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push(
        await created(t, '/Users', {
          schemas: [USER],
          userName: `u${i}@example.com`,
          emails: [{ value: `u${i}@example.com`, type: 'work', primary: true }],
        }),
      );
    }
    const admins = await created(t, '/Groups', {
      schemas: [GROUP],
      displayName: 'Admins',
      members: [{ value: ids[0] }, { value: ids[1] }],
    });
    await t.scim('PATCH', `/Users/${ids[4]}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] });

    const p1 = await get('/users?limit=2');
    expect(p1.status).toBe(200);
    expect((p1.body.data as { id: string }[]).map((u) => u.id)).toEqual(ids.slice(0, 2));
    expect(p1.body.nextCursor).toBe(ids[1]);
    const p2 = await get(`/users?limit=2&cursor=${p1.body.nextCursor}`);
    expect((p2.body.data as { id: string }[]).map((u) => u.id)).toEqual(ids.slice(2, 4));
    const p3 = await get(`/users?limit=2&cursor=${p2.body.nextCursor}`);
    expect(p3.body).toEqual({ data: [expect.objectContaining({ id: ids[4], active: false })], nextCursor: null });

    expect(((await get('/users?role=admin')).body.data as { id: string }[]).map((u) => u.id)).toEqual(ids.slice(0, 2));
    expect(((await get('/users?role=none&active=true')).body.data as { id: string }[]).map((u) => u.id)).toEqual(ids.slice(2, 4));
    expect((await get('/users?role=owner')).status).toBe(400);
    expect((await get('/users?active=yes')).status).toBe(400);

    expect((await get(`/users/${ids[0]}`)).body).toEqual({
      id: ids[0],
      userName: 'u0@example.com',
      externalId: null,
      active: true,
      displayName: null,
      emails: [{ value: 'u0@example.com', type: 'work', primary: true }],
      role: 'admin',
      roleSource: 'Admins',
      groups: [{ id: admins, displayName: 'Admins' }],
      updatedAt: expect.any(String),
    });
    const missing = await get('/users/nope');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error: { code: 'not_found', message: 'user "nope" not found' } });

    expect((await get('/groups')).body).toEqual({
      data: [{ id: admins, displayName: 'Admins', externalId: null, memberCount: 2, updatedAt: expect.any(String) }],
      nextCursor: null,
    });
    const m1 = await get(`/groups/${admins}/members?limit=1`);
    expect(m1.body).toEqual({ data: [{ type: 'user', id: ids[0], name: 'u0@example.com' }], nextCursor: ids[0] });
    const m2 = await get(`/groups/${admins}/members?limit=1&cursor=${ids[0]}`);
    expect(m2.body).toEqual({ data: [{ type: 'user', id: ids[1], name: 'u1@example.com' }], nextCursor: null });
    expect((await get('/groups/nope/members')).status).toBe(404);
    expect((await get(`/groups/${admins}`)).body).toMatchObject({ id: admins, displayName: 'Admins', memberCount: 2 });
    expect((await get('/groups/nope')).status).toBe(404);
  });

  it('supports the consumer pattern: note the position, read everything, tail from there', async () => {
    const t = await testNode();
    const get = api(t, t.node.appTokens.create('app').token);
    const a = await created(t, '/Users', { schemas: [USER], userName: 'a@example.com' });
    const { cursor } = (await get('/events/cursor')).body as { cursor: string };
    const copy = new Map<string, unknown>();
    for (const u of (await get('/users')).body.data as { id: string }[]) copy.set(u.id, u);
    // Changes made after the position arrive through the feed.
    const b = await created(t, '/Users', { schemas: [USER], userName: 'b@example.com' });
    await t.scim('DELETE', `/Users/${a}`);
    const tail = (await get(`/events?after=${cursor}`)).body.data as ChangeEvent[];
    for (const e of tail) {
      const user = e.data as { id: string };
      if (e.type === 'user.deleted') copy.delete(user.id);
      else copy.set(user.id, user);
    }
    expect([...copy.keys()]).toEqual([b]);
  });
});

describe('scopes on the console listener', () => {
  const open: { s: RunningServer; dir: string }[] = [];
  afterEach(async () => {
    for (const { s, dir } of open.splice(0)) {
      await s.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an app token opens no console method, and the directory API is not on the console listener', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scimdesk-scope-'));
    mkdirSync(join(dir, 'web'));
    writeFileSync(join(dir, 'web', 'index.html'), '<!doctype html><title>SCIM Desk</title>');
    const s = await serve({ dataDir: join(dir, 'data'), host: '127.0.0.1', port: 0, consolePort: 0 }, { log: () => {} }, join(dir, 'web'));
    open.push({ s, dir });
    const app = s.node.appTokens.create('app');
    const r = await fetch(`${s.consoleUrl}/api/console/call/tokens.create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${app.token}` },
      body: JSON.stringify({ label: 'sneaky' }),
    });
    expect(r.status).toBe(401);
    expect(s.node.tokens.list()).toEqual([]);
    const onConsole = await fetch(`${s.consoleUrl}/api/directory/v1/events`, { headers: { authorization: `Bearer ${app.token}` } });
    expect(onConsole.status).toBe(404);
    const onScim = await fetch(`${s.scimUrl.replace('/api/scim/v2', '')}/api/directory/v1/events`, {
      headers: { authorization: `Bearer ${app.token}` },
    });
    expect(onScim.status).toBe(200);
  });
});
