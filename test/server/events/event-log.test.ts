import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EventSummary } from '../../../server/events/bus.js';
import { COMMIT_WINDOW_MS } from '../../../server/events/recorder.js';
import { insertEvent } from '../../helpers/events.js';
import { GROUP, PATCH_OP, testNode, USER } from '../../helpers/node.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('recording', () => {
  it('records successes, 4xx and 401s with the request id returned to the client', async () => {
    const t = await testNode();
    const ok = await t.scim('POST', '/Users', { schemas: [USER], userName: 'rec@example.com' });
    const bad = await t.scim('GET', '/Users?filter=userName%20eq');
    const unauth = await fetch(`${t.base}/Users`, { headers: { authorization: 'Bearer scimdesk_000000000000_nope' } });
    const page = t.node.events.list();
    expect(page.items.map((e) => [e.method, e.status])).toEqual([
      ['GET', 401],
      ['GET', 400],
      ['POST', 201],
    ]);
    const created = page.items[2];
    expect(created).toMatchObject({
      requestId: ok.headers.get('x-request-id'),
      path: '/api/scim/v2/Users',
      resourceType: 'User',
      resourceId: ok.body?.id,
      userName: 'rec@example.com',
      tokenId: t.node.tokens.list()[0]?.id,
      sourceIp: expect.stringContaining('127.0.0.1'),
      changes: [{ kind: 'user.created', userId: ok.body?.id, userName: 'rec@example.com' }],
    });
    expect(page.items[1]?.requestId).toBe(bad.headers.get('x-request-id'));
    expect(page.items[0]).toMatchObject({ requestId: unauth.headers.get('x-request-id'), tokenId: null, status: 401 });
    const detail = t.node.events.get(created?.id ?? 0);
    expect(JSON.parse(detail?.responseBody ?? '{}')).toEqual(ok.body);
    expect(JSON.parse(detail?.requestBody ?? '{}')).toEqual({ schemas: [USER], userName: 'rec@example.com' });
    expect(detail?.requestHeaders.authorization).toBe('Bearer [REDACTED]');
  });

  it('derives attribute changes from A to B on update', async () => {
    const t = await testNode();
    const u = await t.scim('POST', '/Users', { schemas: [USER], userName: 'd@example.com', title: 'Dev' });
    const p = await t.scim('PATCH', `/Users/${u.body?.id}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'replace', path: 'title', value: 'Lead' },
        { op: 'replace', value: { active: false } },
      ],
    });
    expect(p.status).toBe(200);
    const [e] = t.node.events.list({ requestId: p.headers.get('x-request-id') ?? '' }).items;
    expect(e?.changes).toEqual([
      { kind: 'user.updated', userId: u.body?.id, attribute: 'title', from: 'Dev', to: 'Lead' },
      { kind: 'user.deactivated', userId: u.body?.id, userName: 'd@example.com' },
    ]);
  });

  it('truncates bodies over the cap with a visible marker', async () => {
    const t = await testNode({ eventBodyCapBytes: 64 });
    await t.scim('POST', '/Users', { schemas: [USER], userName: 'long@example.com', displayName: 'x'.repeat(500) });
    const [e] = t.node.events.list().items;
    const body = t.node.events.get(e?.id ?? 0)?.requestBody ?? '';
    expect(body).toMatch(/\n\[TRUNCATED: \d+ bytes, first 64 stored\]$/);
  });

  it('announces each committed event on the bus, and a failing subscriber breaks nothing', async () => {
    const t = await testNode();
    const seen: EventSummary[] = [];
    t.node.bus.on('events.appended', () => {
      throw new Error('subscriber bug');
    });
    t.node.bus.on('events.appended', (e) => seen.push(e));
    const r = await t.scim('POST', '/Users', { schemas: [USER], userName: 'live@example.com' });
    expect(r.status).toBe(201);
    await new Promise((res) => setTimeout(res, 20));
    expect(seen.map((e) => [e.requestId, e.status, e.userName])).toEqual([[r.headers.get('x-request-id'), 201, 'live@example.com']]);
  });
});

describe('group commit', () => {
  it('writes a burst of events, and a lone event, once the window closes without any reader', async () => {
    const t = await testNode();
    const commits: number[] = [];
    t.node.bus.on('events.appended', (e) => commits.push(e.id));
    const burst = await Promise.all(Array.from({ length: 5 }, () => t.scim('GET', '/Users?count=1')));
    const ids = burst.map((r) => r.headers.get('x-request-id'));
    // Nothing read in this process, so nothing flushed early: the window closes on its own.
    await new Promise((resolve) => setTimeout(resolve, COMMIT_WINDOW_MS * 3));
    const stored = ids.map((id) => t.repos.events.list({ requestId: id ?? '', limit: 1 })[0]?.requestId);
    expect(stored).toEqual(ids);
    expect(commits).toHaveLength(5);
    const lone = await t.scim('GET', '/Users?count=1');
    await new Promise((resolve) => setTimeout(resolve, COMMIT_WINDOW_MS * 3));
    expect(t.repos.events.list({ requestId: lone.headers.get('x-request-id') ?? '', limit: 1 })).toHaveLength(1);
  });

  it('lets a reader in this process see a finished request at once', async () => {
    const t = await testNode();
    const r = await t.scim('GET', '/Users?count=1');
    expect(t.node.events.list({}).items[0]?.requestId).toBe(r.headers.get('x-request-id'));
  });
});

describe('secrets never reach storage', () => {
  it('drives the SCIM surface with a password and token, then finds neither in the database files or logs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scimdesk-redact-'));
    dirs.push(dir);
    const logs: string[] = [];
    const t = await testNode({
      dbFile: join(dir, 'scimdesk.db'),
      log: (m, e) => logs.push(`${m} ${String(e)}`),
      sensitiveAttributes: ['employeeNumber'],
    });
    const password = 'Pl@intext-Secret-4242';
    const employee = 'EMP-SECRET-777';
    const ent = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
    const u = await t.scim('POST', '/Users', {
      schemas: [USER, ent],
      userName: 'sec@example.com',
      password,
      [ent]: { employeeNumber: employee },
    });
    expect(u.status).toBe(201);
    const id = String(u.body?.id);
    await t.scim('PUT', `/Users/${id}`, { schemas: [USER], userName: 'sec@example.com', password });
    await t.scim('PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'password', value: password }] });
    await t.scim('PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { password } }] });
    await t.scim('POST', '/Users', `{"schemas":["${USER}"],"userName":"broken","password":"${password}"`);
    await t.scim('POST', '/Groups', { schemas: [GROUP], displayName: 'G', members: [{ value: id }] });
    await t.scim('POST', '/Users', { schemas: [USER], userName: 'sec@example.com', password, externalId: 'conflicting' });
    expect(t.node.events.list({}, { limit: 100 }).items.length).toBe(7);
    t.db.pragma('wal_checkpoint(TRUNCATE)');
    for (const f of readdirSync(dir)) {
      const bytes = readFileSync(join(dir, f)).toString('latin1');
      expect(bytes, f).not.toContain(password);
      expect(bytes, f).not.toContain(t.token);
      expect(bytes, f).not.toContain(t.token.slice('scimdesk_'.length + 13));
    }
    // A configured sensitive attribute is directory data (kept in users) but never event-log data.
    const logged = t.db
      .prepare("SELECT group_concat(coalesce(request_body, '') || coalesce(response_body, '')) AS all_bodies FROM event_payloads")
      .get() as { all_bodies: string };
    expect(logged.all_bodies).toContain('[REDACTED] employeenumber');
    expect(logged.all_bodies).not.toContain(employee);
    expect(logs.join('\n')).not.toContain(password);
    const bodies = t.node.events.list({ text: 'REDACTED' }, { limit: 100 }).items.length;
    expect(bodies).toBe(6);
  });
});

describe('queries', () => {
  it('filters by status class, method, resource, userName, token, request id and text, and pages with a cursor', async () => {
    const t = await testNode();
    for (let i = 0; i < 5; i++) await t.scim('POST', '/Users', { schemas: [USER], userName: `u${i}@example.com` });
    await t.scim('POST', '/Users', { schemas: [USER], userName: 'u1@example.com' });
    await t.scim('POST', '/Groups', { schemas: [GROUP], displayName: 'Finders' });
    const byClass = t.node.events.list({ statusClass: 4 }).items;
    expect(byClass.map((e) => [e.status, e.userName])).toEqual([[409, 'u1@example.com']]);
    expect(t.node.events.list({ userName: 'U1@example.com' }).items.map((e) => e.status)).toEqual([409, 201]);
    expect(t.node.events.list({ resourceType: 'Group' }).items).toHaveLength(1);
    expect(t.node.events.list({ method: 'post', text: 'Finders' }).items.map((e) => e.resourceType)).toEqual(['Group']);
    expect(t.node.events.list({ tokenId: 'nope' }).items).toEqual([]);
    const first = t.node.events.list({}, { limit: 3 });
    expect(first.items).toHaveLength(3);
    const second = t.node.events.list({}, { limit: 3, before: first.nextCursor ?? 0 });
    expect(second.items).toHaveLength(3);
    const third = t.node.events.list({}, { limit: 3, before: second.nextCursor ?? 0 });
    expect(third.items).toHaveLength(1);
    expect(third.nextCursor).toBeNull();
    const ids = [...first.items, ...second.items, ...third.items].map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(new Set(ids).size).toBe(7);
  });

  it('bounds by time through the id index', async () => {
    const clock = Date.parse('2026-01-01T00:00:00Z');
    const t = await testNode();
    for (let i = 0; i < 10; i++) insertEvent(t.repos.events, { time: new Date(clock + (i + 1) * 60_000).toISOString(), path: `/p${i}` });
    const page = t.node.events.list({ since: '2026-01-01T00:03:00.000Z', until: '2026-01-01T00:06:00.000Z' });
    expect(page.items.map((e) => e.path)).toEqual(['/p4', '/p3', '/p2']);
    expect(t.node.events.list({ since: '2030-01-01T00:00:00Z' }).items).toEqual([]);
  });

  it('exports the current filter as JSON Lines and CSV, with progress', async () => {
    const t = await testNode();
    await t.scim('POST', '/Users', { schemas: [USER], userName: 'exp@example.com', displayName: 'Comma, "Quote"' });
    await t.scim('GET', '/Users');
    let jsonl = '';
    const seen: number[] = [];
    const n = await t.node.events.export(
      { method: 'POST' },
      'jsonl',
      (c) => {
        jsonl += c;
      },
      (k) => seen.push(k),
    );
    expect(n).toBe(1);
    expect(seen).toEqual([1]);
    const row = JSON.parse(jsonl.trim());
    expect(row).toMatchObject({ method: 'POST', status: 201, userName: 'exp@example.com' });
    let csv = '';
    await t.node.events.export({}, 'csv', (c) => {
      csv += c;
    });
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe(
      'id,time,requestId,method,path,status,latencyMs,tokenId,sourceIp,userAgent,resourceType,resourceId,userName,notes,changes,requestBody,responseBody,requestBodyReceived,responseHeaders',
    );
    expect(lines).toHaveLength(3);
    expect(lines[2]).toContain('"{""schemas"":');
  });

  it('exports with one payload read per page of 500, never one lookup per event', async () => {
    const t = await testNode();
    for (let i = 0; i < 1203; i++)
      insertEvent(t.repos.events, { time: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(), path: `/p${i}` });
    const one = vi.spyOn(t.repos.events, 'get');
    const pages = vi.spyOn(t.repos.events, 'payloads');
    let jsonl = '';
    const n = await t.node.events.export({}, 'jsonl', (c) => {
      jsonl += c;
    });
    const rows = jsonl
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: number; path: string; requestHeaders: unknown });
    expect([n, rows.length, one.mock.calls.length, pages.mock.calls.map((c) => c[0].length)]).toEqual([1203, 1203, 0, [500, 500, 203]]);
    expect(rows[0]).toEqual(t.node.events.get(rows[0]?.id ?? 0));
    expect(rows.at(-1)?.path).toBe('/p0');
  });
});

describe('retention', () => {
  it('prunes by age and by size in batches, and never touches the access audit', async () => {
    const t = await testNode();
    t.node.roles.setMapping('R', 'member', { kind: 'console', requestId: null, tokenId: null });
    const old = new Date('2020-01-01T00:00:00Z').toISOString();
    const insert = (time: string) => insertEvent(t.repos.events, { time, requestBody: 'x'.repeat(1000) });
    for (let i = 0; i < 12; i++) insert(old);
    for (let i = 0; i < 3; i++) insert(new Date().toISOString());
    const now = new Date();
    expect(t.node.events.pruneStep(now, 90, 1e12, 5)).toBe(5);
    expect(t.node.events.pruneStep(now, 90, 1e12, 5)).toBe(5);
    expect(t.node.events.pruneStep(now, 90, 1e12, 5)).toBe(2);
    expect(t.node.events.pruneStep(now, 90, 1e12, 5)).toBe(0);
    expect(t.node.events.list().items).toHaveLength(3);
    // Over the size budget: the oldest go first, whatever their age.
    expect(t.node.events.pruneStep(now, 90, 1, 2)).toBe(2);
    expect(t.node.events.list().items).toHaveLength(1);
    expect(t.db.prepare('SELECT count(*) AS n FROM event_payloads').get()).toEqual({ n: 1 });
    expect(t.db.prepare('SELECT count(*) AS n FROM audit').get()).toEqual({ n: 1 });
  });
});
