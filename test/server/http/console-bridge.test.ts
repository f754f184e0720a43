import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningServer, serve } from '../../../server/serve.js';

const open: { s: RunningServer; dir: string }[] = [];
afterEach(async () => {
  for (const { s, dir } of open.splice(0)) {
    await s.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

async function start(): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), 'scimdesk-console-'));
  const web = join(dir, 'web');
  mkdirSync(web);
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>SCIM Desk</title>');
  const s = await serve({ dataDir: join(dir, 'data'), host: '127.0.0.1', port: 0, consolePort: 0 }, { log: () => {} }, web);
  open.push({ s, dir });
  return s;
}

async function login(s: RunningServer): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(s.loginUrl ?? '', { redirect: 'manual' });
  expect(res.status).toBe(303);
  const set = res.headers.getSetCookie();
  expect(set[0]).toMatch(/^scimdesk_session=[\w-]+; HttpOnly; SameSite=Strict; Path=\/; Max-Age=\d+$/);
  expect(set[1]).toMatch(/^scimdesk_csrf=[\w-]+; SameSite=Strict; Path=\/; Max-Age=\d+$/);
  const cookie = set.map((c) => c.split(';')[0]).join('; ');
  const csrf = (set[1] ?? '').split(';')[0]?.split('=')[1] ?? '';
  return { cookie, csrf };
}

const call = (s: RunningServer, method: string, params: unknown, headers: Record<string, string>) =>
  fetch(`${s.consoleUrl}/api/console/call/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(params),
  });

describe('headless console bridge', () => {
  it('serves the console on loopback behind a one-time login link', async () => {
    const s = await start();
    expect(s.consoleUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const page = await fetch(`${s.consoleUrl}/members`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await page.text()).toContain('<title>SCIM Desk</title>');
    const { cookie, csrf } = await login(s);
    // The link is single-use.
    expect((await fetch(s.loginUrl ?? '', { redirect: 'manual' })).status).toBe(401);
    const r = await call(s, 'tokens.create', { label: 'From console' }, { cookie, 'x-csrf-token': csrf });
    expect(r.status).toBe(200);
    const body = (await r.json()) as { ok: boolean; value: { token: string; label: string } };
    expect(body.ok).toBe(true);
    expect(body.value.label).toBe('From console');
    // A token minted in the console works on SCIM.
    const scim = await fetch(`${s.scimUrl}/Users`, { headers: { authorization: `Bearer ${body.value.token}` } });
    expect(scim.status).toBe(200);
  });

  it('refuses calls without a session or without the CSRF header', async () => {
    const s = await start();
    const { cookie } = await login(s);
    const noSession = await call(s, 'node.status', {}, {});
    expect(noSession.status).toBe(401);
    expect(await noSession.json()).toEqual({
      ok: false,
      error: { code: 'unauthorized', message: 'not logged in: run `scimdesk console-link` for a login link' },
    });
    const noCsrf = await call(s, 'node.status', {}, { cookie });
    expect(noCsrf.status).toBe(401);
    expect(((await noCsrf.json()) as { error: { message: string } }).error.message).toBe('missing or wrong X-CSRF-Token header');
    const wrongCsrf = await call(s, 'node.status', {}, { cookie, 'x-csrf-token': 'x'.repeat(32) });
    expect(wrongCsrf.status).toBe(401);
  });

  it('keeps SCIM tokens and console credentials apart, in both directions', async () => {
    const s = await start();
    const { token } = s.node.tokens.create({ label: 'idp' });
    // A SCIM token is not a console credential.
    const withToken = await call(s, 'tokens.list', {}, { authorization: `Bearer ${token}` });
    expect(withToken.status).toBe(401);
    // A console session is not a SCIM credential.
    const { cookie, csrf } = await login(s);
    const withSession = await fetch(`${s.scimUrl}/Users`, { headers: { cookie, 'x-csrf-token': csrf } });
    expect(withSession.status).toBe(401);
    // And the SCIM API is not on the console listener at all.
    const scimOnConsole = await fetch(`${s.consoleUrl}/api/scim/v2/Users`, { headers: { authorization: `Bearer ${token}` } });
    expect(scimOnConsole.status).toBe(404);
  });

  it('answers every contract method (never 404) and maps input errors', async () => {
    const s = await start();
    const { cookie, csrf } = await login(s);
    const bad = await call(s, 'tokens.create', { label: '' }, { cookie, 'x-csrf-token': csrf });
    expect(await bad.json()).toEqual({ ok: false, error: { code: 'invalid', message: 'label is required', field: 'label' } });
    const missing = await call(s, 'members.get', { id: 'nope' }, { cookie, 'x-csrf-token': csrf });
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('not-found');
    const unknown = await call(s, 'tokens.steal', {}, { cookie, 'x-csrf-token': csrf });
    expect(unknown.status).toBe(404);
  });

  it('streams committed SCIM events live over SSE', async () => {
    const s = await start();
    const { cookie } = await login(s);
    const { token } = s.node.tokens.create({ label: 'idp' });
    const ac = new AbortController();
    const stream = await fetch(`${s.consoleUrl}/api/console/stream`, { headers: { cookie }, signal: ac.signal });
    expect(stream.headers.get('content-type')).toBe('text/event-stream');
    const reader = stream.body?.getReader();
    const scim = await fetch(`${s.scimUrl}/Users?filter=userName%20eq%20%22live%40example.com%22`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const requestId = scim.headers.get('x-request-id');
    let text = '';
    const decoder = new TextDecoder();
    while (reader && !text.includes('event: events.appended')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
    }
    ac.abort();
    const data = text.split('event: events.appended\ndata: ')[1]?.split('\n')[0] ?? '{}';
    expect(JSON.parse(data)).toMatchObject({ requestId, status: 200, userName: 'live@example.com', method: 'GET' });
  });

  it('exports the filtered log as a download', async () => {
    const s = await start();
    const { cookie } = await login(s);
    const { token } = s.node.tokens.create({ label: 'idp' });
    await fetch(`${s.scimUrl}/Users`, { headers: { authorization: `Bearer ${token}` } });
    await fetch(`${s.scimUrl}/Groups`, { headers: { authorization: `Bearer ${token}` } });
    const filter = encodeURIComponent(JSON.stringify({ resourceType: undefined, text: undefined, method: 'GET' }));
    const res = await fetch(`${s.consoleUrl}/api/console/export?format=jsonl&filter=${filter}`, { headers: { cookie } });
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="scimdesk-events.jsonl"');
    const lines = (await res.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { path: string });
    expect(lines.map((l) => l.path)).toEqual(['/api/scim/v2/Groups', '/api/scim/v2/Users']);
    const bad = await fetch(`${s.consoleUrl}/api/console/export?format=xml`, { headers: { cookie } });
    expect(bad.status).toBe(400);
  });

  it('serves Prometheus metrics on the console listener only', async () => {
    const s = await start();
    const { token } = s.node.tokens.create({ label: 'idp' });
    await fetch(`${s.scimUrl}/Users`, { headers: { authorization: `Bearer ${token}`, 'user-agent': 'Okta SCIM Client 1.0.0' } });
    await fetch(`${s.scimUrl}/Users`, { headers: { authorization: 'Bearer nope' } });
    const { cookie } = await login(s);
    const text = await (await fetch(`${s.consoleUrl}/metrics`, { headers: { cookie } })).text();
    expect(text).toContain('scimdesk_scim_requests_total{status_class="2xx",idp="okta"} 1');
    expect(text).toContain('scimdesk_scim_requests_total{status_class="4xx",idp="other"} 1');
    expect(text).toContain('scimdesk_users 0');
    expect(text).toContain('scimdesk_active_tokens 1');
    expect(text).toMatch(/scimdesk_scim_request_duration_seconds_count\{idp="okta"\} 1/);
    expect((await fetch(`${s.scimUrl.replace('/api/scim/v2', '')}/metrics`)).status).toBe(404);
  });

  it('writes listener settings to config.json, checking a TLS pair first, and asks for a restart', async () => {
    const s = await start();
    const { cookie, csrf } = await login(s);
    const h = { cookie, 'x-csrf-token': csrf };
    const dir = join(open.find((o) => o.s === s)?.dir ?? '', 'data');
    const pems = await generate([{ name: 'commonName', value: 'localhost' }], { keyType: 'ec', algorithm: 'sha256' });
    const other = await generate([{ name: 'commonName', value: 'other' }], { keyType: 'ec', algorithm: 'sha256' });
    writeFileSync(join(dir, 'c.pem'), pems.cert);
    writeFileSync(join(dir, 'k.pem'), pems.private);
    writeFileSync(join(dir, 'wrong.pem'), other.private);
    const mismatched = await call(s, 'settings.setListener', { tlsCert: join(dir, 'c.pem'), tlsKey: join(dir, 'wrong.pem') }, h);
    const bad = (await mismatched.json()) as { ok: boolean; error: { code: string; message: string; field: string } };
    expect(bad.ok).toBe(false);
    expect(bad.error).toMatchObject({ code: 'invalid', field: 'tlsCert' });
    expect(bad.error.message).toMatch(/does not match the certificate/);
    expect(existsSync(join(dir, 'config.json'))).toBe(false);
    const badPort = (await (await call(s, 'settings.setListener', { port: 70000 }, h)).json()) as { error: { field: string } };
    expect(badPort.error.field).toBe('port');
    const okRes = (await (
      await call(s, 'settings.setListener', { port: 8443, tlsCert: join(dir, 'c.pem'), tlsKey: join(dir, 'k.pem') }, h)
    ).json()) as {
      value: { configured: Record<string, unknown>; restartRequired: boolean; configFile: string };
    };
    expect(okRes.value).toMatchObject({
      configured: { port: 8443, tlsCert: join(dir, 'c.pem') },
      restartRequired: true,
      configFile: join(dir, 'config.json'),
    });
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'))).toEqual({
      port: 8443,
      tlsCert: join(dir, 'c.pem'),
      tlsKey: join(dir, 'k.pem'),
    });
    expect(statSync(join(dir, 'config.json')).mode & 0o777).toBe(0o600);
  });
});
