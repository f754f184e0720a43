import { afterEach, describe, expect, it, vi } from 'vitest';
import { call, onUnauthorized, setClient } from '../../renderer/api/call';
import { createClient, exportUrl, httpClient, type PreloadBridge, readCookie } from '../../renderer/api/client';
import type { ConsoleResult } from '../../server/console/contract';
import { FakeEventSource } from './fake-event-source';

afterEach(() => setClient(null));

const jsonResponse = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function fakeWindow(extra: Record<string, unknown> = {}) {
  const fetch = vi.fn(async () => jsonResponse(200, { ok: true, value: { revoked: true } }));
  return {
    fetch,
    win: { fetch, document: { cookie: 'other=1; scimdesk_csrf=abc%3D123' }, ...extra } as unknown as Window & { scimdesk?: PreloadBridge },
  };
}

describe('createClient picks the transport', () => {
  it('uses the preload bridge when window.scimdesk exists', async () => {
    const revoke = vi.fn(async () => ({ ok: true as const, value: { revoked: true } }));
    const off = vi.fn();
    const bridge = { methods: { 'tokens.revoke': revoke }, on: vi.fn(() => off) } as unknown as PreloadBridge;
    const { win, fetch } = fakeWindow({ scimdesk: bridge });
    const client = createClient(win);
    expect(client.mode).toBe('ipc');
    expect(await client.call('tokens.revoke', { id: 't1' })).toEqual({ ok: true, value: { revoked: true } });
    expect(revoke).toHaveBeenCalledWith({ id: 't1' });
    expect(fetch).not.toHaveBeenCalled();
    expect(client.on('events.appended', () => {})).toBe(off);
  });

  it('turns a thrown IPC error into an internal ConsoleResult', async () => {
    const bridge = {
      methods: { 'node.status': async () => Promise.reject(new Error('boom')) },
      on: () => () => {},
    } as unknown as PreloadBridge;
    const client = createClient(fakeWindow({ scimdesk: bridge }).win);
    expect(await client.call('node.status', {})).toEqual({ ok: false, error: { code: 'internal', message: 'boom' } });
  });

  it('uses HTTP with the CSRF cookie echoed in a header otherwise', async () => {
    const { win, fetch } = fakeWindow();
    const client = createClient(win);
    expect(client.mode).toBe('http');
    const r = await client.call('tokens.revoke', { id: 't1' });
    expect(r).toEqual({ ok: true, value: { revoked: true } });
    expect(fetch).toHaveBeenCalledWith('/api/console/call/tokens.revoke', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'x-csrf-token': 'abc=123' },
      body: '{"id":"t1"}',
    });
  });

  it('exports in IPC mode by calling events.export', async () => {
    const exp = vi.fn(async () => ({ ok: true as const, value: { saved: '/home/x.csv', count: 3 } }));
    const bridge = { methods: { 'events.export': exp }, on: () => () => {} } as unknown as PreloadBridge;
    const client = createClient(fakeWindow({ scimdesk: bridge }).win);
    expect(await client.exportEvents({ statusClass: 4 }, 'csv')).toEqual({ ok: true, value: { saved: '/home/x.csv', count: 3 } });
    expect(exp).toHaveBeenCalledWith({ filter: { statusClass: 4 }, format: 'csv' });
  });
});

describe('HTTP client', () => {
  const env = (fetchImpl: () => Promise<Response>) => {
    const download = vi.fn();
    return {
      download,
      client: httpClient({
        fetch: vi.fn(fetchImpl),
        cookies: () => '',
        eventSource: (u) => new FakeEventSource(u) as unknown as EventSource,
        download,
      }),
    };
  };

  it('maps 401 to an unauthorized result, with or without a JSON body', async () => {
    const withBody = env(async () => jsonResponse(401, { ok: false, error: { code: 'unauthorized', message: 'session expired' } })).client;
    expect(await withBody.call('node.status', {})).toEqual({ ok: false, error: { code: 'unauthorized', message: 'session expired' } });
    const bare = env(async () => new Response('nope', { status: 401 })).client;
    const r = await bare.call('node.status', {});
    expect(r.ok === false && r.error.code).toBe('unauthorized');
  });

  it('passes error results through and reports network failures and non-JSON answers', async () => {
    const invalid = { ok: false, error: { code: 'invalid', message: 'bad label', field: 'label' } };
    expect(await env(async () => jsonResponse(200, invalid)).client.call('tokens.create', { label: '' })).toEqual(invalid);
    const down = await env(async () => Promise.reject(new TypeError('Failed to fetch'))).client.call('node.status', {});
    expect(down).toEqual({ ok: false, error: { code: 'internal', message: 'Cannot reach the console: Failed to fetch' } });
    const html = await env(async () => new Response('<html>', { status: 502 })).client.call('node.status', {});
    expect(html.ok === false && html.error.message).toMatch(/HTTP 502/);
  });

  it('reads named SSE events from one EventSource', () => {
    const { client } = env(async () => jsonResponse(200, {}));
    const got: number[] = [];
    const off = client.on('events.appended', (e) => got.push(e.id));
    client.on('alerts.raised', () => {});
    const es = FakeEventSource.last;
    expect(es?.url).toBe('/api/console/stream');
    es?.fire('events.appended', JSON.stringify({ id: 7 }));
    es?.fire('events.appended', 'not json');
    off();
    es?.fire('events.appended', JSON.stringify({ id: 8 }));
    expect(got).toEqual([7]);
  });

  it('exports by starting a download of the filtered rows', async () => {
    const { client, download } = env(async () => jsonResponse(200, {}));
    const r = await client.exportEvents({ userName: 'a b' }, 'jsonl');
    expect(r.ok).toBe(true);
    expect(download).toHaveBeenCalledWith(exportUrl({ userName: 'a b' }, 'jsonl'));
    expect(exportUrl({ userName: 'a b' }, 'jsonl')).toBe('/api/console/export?format=jsonl&filter=%7B%22userName%22%3A%22a%20b%22%7D');
  });

  it('reads cookies by exact name', () => {
    expect(readCookie('a=1; scimdesk_csrf_x=2; scimdesk_csrf=3', 'scimdesk_csrf')).toBe('3');
    expect(readCookie('', 'scimdesk_csrf')).toBe('');
  });
});

describe('call()', () => {
  it('tells subscribers when the session is gone', async () => {
    const unauthorized: ConsoleResult<never> = { ok: false, error: { code: 'unauthorized', message: 'expired' } };
    setClient({
      mode: 'http',
      call: async () => unauthorized,
      on: () => () => {},
      onGap: () => () => {},
      exportEvents: async () => unauthorized,
    });
    const seen = vi.fn();
    const off = onUnauthorized(seen);
    expect(await call('node.status', {})).toBe(unauthorized);
    expect(seen).toHaveBeenCalledTimes(1);
    off();
  });
});
