import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { metricsTokenPath } from '../../../server/data-dir.js';
import { type RunningServer, serve } from '../../../server/serve.js';

const open: { s: RunningServer; dir: string }[] = [];
afterEach(async () => {
  for (const { s, dir } of open.splice(0)) {
    await s.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

async function start(): Promise<{ s: RunningServer; data: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'scimdesk-harden-'));
  const web = join(dir, 'web');
  mkdirSync(web);
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>SCIM Desk</title>');
  const data = join(dir, 'data');
  const s = await serve({ dataDir: data, host: '127.0.0.1', port: 0, consolePort: 0 }, { log: () => {} }, web);
  open.push({ s, dir });
  return { s, data };
}

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** node:http rather than fetch: fetch will not send an arbitrary Host header. */
function raw(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method ?? 'GET', headers: opts.headers ?? {} }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        text += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

async function login(s: RunningServer): Promise<{ cookie: string; csrf: string }> {
  const res = await raw(s.loginUrl ?? '');
  const set = (res.headers['set-cookie'] ?? []) as string[];
  return { cookie: set.map((c) => c.split(';')[0]).join('; '), csrf: (set[1] ?? '').split(';')[0]?.split('=')[1] ?? '' };
}

const MISDIRECTED = {
  ok: false,
  error: { code: 'invalid', message: 'the console answers only to a loopback host name (127.0.0.1, localhost, [::1])' },
};

describe('console listener hardening', () => {
  it('refuses a non-loopback Host header on every route (DNS rebinding), and accepts loopback names', async () => {
    const { s } = await start();
    const port = new URL(s.consoleUrl ?? '').port;
    for (const path of ['/', '/metrics', '/api/console/session', `/login?code=x`, '/api/console/stream']) {
      const r = await raw(`${s.consoleUrl}${path}`, { headers: { host: `attacker.example:${port}` } });
      expect(r.status, path).toBe(421);
      expect(r.headers['content-type']).toMatch(/^application\/json/);
      expect(JSON.parse(r.text)).toEqual(MISDIRECTED);
    }
    expect((await raw(`${s.consoleUrl}/api/console/session`, { headers: { host: '127.0.0.1.attacker.example' } })).status).toBe(421);
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, 'localhost']) {
      const r = await raw(`${s.consoleUrl}/api/console/session`, { headers: { host } });
      expect(r.status, host).toBe(200);
      expect(JSON.parse(r.text)).toEqual({ authenticated: false });
    }
  });

  it('serves /metrics only to a session or to the scrape token in the data dir (0600)', async () => {
    const { s, data } = await start();
    s.node.tokens.create({ label: 'secret-label' });
    const anonymous = await raw(`${s.consoleUrl}/metrics`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.text).not.toContain('secret-label');
    expect(JSON.parse(anonymous.text)).toEqual({
      ok: false,
      error: { code: 'unauthorized', message: `send "Authorization: Bearer <token>" with the token from ${metricsTokenPath(data)}` },
    });
    const file = metricsTokenPath(data);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const scrape = readFileSync(file, 'utf8').trim();
    expect(scrape).toMatch(/^[\w-]{43}$/);
    expect((await raw(`${s.consoleUrl}/metrics`, { headers: { authorization: `Bearer ${scrape}x` } })).status).toBe(401);
    const withToken = await raw(`${s.consoleUrl}/metrics`, { headers: { authorization: `Bearer ${scrape}` } });
    expect(withToken.status).toBe(200);
    expect(withToken.text).toContain('scimdesk_active_tokens 1');
    const { cookie } = await login(s);
    expect((await raw(`${s.consoleUrl}/metrics`, { headers: { cookie } })).status).toBe(200);
  });

  it('ignores a malformed cookie instead of failing with a 500, so a planted cookie cannot lock the console out', async () => {
    const { s } = await start();
    const { cookie, csrf } = await login(s);
    const planted = `x=%zz; ${cookie}; y=%E0%A4%A`;
    const session = await raw(`${s.consoleUrl}/api/console/session`, { headers: { cookie: planted } });
    expect(session.status).toBe(200);
    expect(JSON.parse(session.text)).toEqual({ authenticated: true });
    const called = await raw(`${s.consoleUrl}/api/console/call/node.status`, {
      method: 'POST',
      headers: { cookie: planted, 'x-csrf-token': csrf, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(called.status).toBe(200);
    expect(JSON.parse(called.text).ok).toBe(true);
    const page = await raw(`${s.consoleUrl}/members`, { headers: { cookie: 'x=%zz' } });
    expect(page.status).toBe(200);
  });

  it('answers a bad JSON body and an oversized body as JSON errors without a stack trace', async () => {
    const { s } = await start();
    const { cookie, csrf } = await login(s);
    const headers = { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' };
    const bad = await raw(`${s.consoleUrl}/api/console/call/node.status`, { method: 'POST', headers, body: '{"a":' });
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(bad.text)).toEqual({ ok: false, error: { code: 'invalid', message: 'the request body is not valid JSON' } });
    const big = await raw(`${s.consoleUrl}/api/console/call/node.status`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ pad: 'x'.repeat(1_100_000) }),
    });
    expect(big.status).toBe(413);
    expect(JSON.parse(big.text)).toEqual({ ok: false, error: { code: 'invalid', message: 'the request body is larger than 1 MiB' } });
    for (const r of [bad, big]) {
      expect(r.text).not.toMatch(/at .*\.(js|ts):\d+/);
      expect(r.text).not.toContain('<');
    }
  });

  it('logs out: the session cookie stops working and is cleared', async () => {
    const { s } = await start();
    const { cookie, csrf } = await login(s);
    expect((await raw(`${s.consoleUrl}/api/console/logout`, { method: 'POST', headers: { cookie } })).status).toBe(401);
    const out = await raw(`${s.consoleUrl}/api/console/logout`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrf } });
    expect(out.status).toBe(200);
    expect(JSON.parse(out.text)).toEqual({ ok: true, value: null });
    expect(out.headers['set-cookie']).toEqual([
      'scimdesk_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0',
      'scimdesk_csrf=; SameSite=Strict; Path=/; Max-Age=0',
    ]);
    const after = await raw(`${s.consoleUrl}/api/console/session`, { headers: { cookie } });
    expect(JSON.parse(after.text)).toEqual({ authenticated: false });
    const call = await raw(`${s.consoleUrl}/api/console/call/node.status`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(call.status).toBe(401);
  });
});
