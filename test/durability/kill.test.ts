/**
 * Durability: every user the node acknowledged with 201 survives a SIGKILL of the serving process.
 * WAL with synchronous=NORMAL keeps each committed transaction across a process crash (only an OS
 * crash may lose the tail), and the stale serve lock of the killed process must not block a restart.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const CLI = join(process.cwd(), 'dist', 'cli.js');
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENDPOINT_RE = /SCIM endpoint: (http:\/\/127\.0\.0\.1:\d+\/api\/scim\/v2)/;

const started: ChildProcess[] = [];
const dirs: string[] = [];

afterEach(() => {
  for (const p of started.splice(0)) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function ensureBuilt(): void {
  // `npm test` bundles first; a bare `vitest run` may not have.
  if (!existsSync(CLI)) expect(spawnSync(process.execPath, ['build/bundle.mjs'], { stdio: 'inherit' }).status).toBe(0);
}

/** Runs a CLI command and returns its last output line (where secrets are printed). */
function lastLine(args: string[]): string {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 15_000 });
  expect(r.status, r.stderr).toBe(0);
  const lines = r.stdout.trim().split('\n');
  return lines[lines.length - 1]?.trim() ?? '';
}

const createToken = (data: string): string => lastLine(['token', 'create', '--label', 't', '--data', data]);

/** One token provisions a few hundred users a second here: lift its rate limit (default 50/s) through the CLI. */
function liftRateLimit(data: string): void {
  const r = spawnSync(process.execPath, [CLI, 'settings', 'set', 'rateLimit', '{"perSecond":10000,"burst":10000}', '--data', data], {
    encoding: 'utf8',
    timeout: 15_000,
  });
  expect(r.status, r.stderr).toBe(0);
}

/** Starts `serve` and resolves with its SCIM base URL once it prints it. */
function startServe(data: string): Promise<{ proc: ChildProcess; base: string }> {
  const proc = spawn(process.execPath, [CLI, 'serve', '--data', data, '--port', '0', '--no-console'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(proc);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start in 10 s: ${out}${err}`)), 10_000);
    proc.stderr?.on('data', (c: Buffer) => {
      err += c.toString();
    });
    proc.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = ENDPOINT_RE.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve({ proc, base: m[1] });
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code} before it was ready: ${out}${err}`));
    });
  });
}

const exited = (proc: ChildProcess): Promise<void> =>
  proc.exitCode !== null || proc.signalCode !== null ? Promise.resolve() : new Promise((resolve) => proc.once('exit', () => resolve()));

describe('durability across SIGKILL', () => {
  it('keeps every acknowledged user and restarts over the stale lock', async () => {
    ensureBuilt();
    const data = mkdtempSync(join(tmpdir(), 'scimdesk-kill-'));
    dirs.push(data);
    const token = createToken(data);
    expect(token).toMatch(/^scimdesk_/);
    liftRateLimit(data);
    const authorization = `Bearer ${token}`;

    const first = await startServe(data);
    // The kill lands while some requests are mid-transaction or mid-response.
    const acked = await provisionAndKill(first.proc, first.base, token, 200, (i) => ({
      schemas: [USER],
      userName: `kill.user${i}@example.com`,
      active: true,
    }));
    expect(first.proc.signalCode).toBe('SIGKILL');
    expect(existsSync(join(data, 'serve.lock'))).toBe(true); // the crash left its lock behind

    const second = await startServe(data);
    const missing: string[] = [];
    let cursor = 0;
    const check = async (): Promise<void> => {
      while (cursor < acked.length) {
        const id = acked[cursor++] ?? '';
        const res = await fetch(`${second.base}/Users/${id}`, { headers: { authorization } });
        await res.arrayBuffer();
        if (res.status !== 200) missing.push(`${id}: ${res.status}`);
      }
    };
    await Promise.all([check(), check(), check(), check()]);
    expect(missing).toEqual([]);
    const all = await fetch(`${second.base}/Users?count=0`, { headers: { authorization } });
    const total = ((await all.json()) as { totalResults: number }).totalResults;
    expect(total).toBeGreaterThanOrEqual(acked.length);

    second.proc.kill('SIGTERM');
    await exited(second.proc);
  }, 30_000);
});

/**
 * Provisions users (`user(i)` is the i-th create body) with four requests in flight and SIGKILLs the
 * node after `after` acknowledgements; returns the ids of the acknowledged creates.
 */
async function provisionAndKill(
  proc: ChildProcess,
  base: string,
  token: string,
  after: number,
  user: (i: number) => object = (i) => ({ schemas: [USER], userName: `feed.user${i}@example.com` }),
): Promise<string[]> {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' };
  const acked: string[] = [];
  let killed = false;
  let next = 0;
  const deadline = Date.now() + 8_000;
  const worker = async (): Promise<void> => {
    while (!killed && Date.now() < deadline) {
      const i = next++;
      try {
        const res = await fetch(`${base}/Users`, {
          method: 'POST',
          headers,
          body: JSON.stringify(user(i)),
        });
        const text = await res.text();
        if (res.status === 201) acked.push((JSON.parse(text) as { id: string }).id);
        else if (!killed) throw new Error(`unexpected ${res.status}: ${text}`);
      } catch (e) {
        if (!killed) throw e;
        return;
      }
      if (acked.length >= after && !killed) {
        killed = true;
        proc.kill('SIGKILL');
      }
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  expect(killed, `only ${acked.length} users were acknowledged before the deadline`).toBe(true);
  await exited(proc);
  return acked;
}

describe('the change feed across SIGKILL', () => {
  it('every acknowledged change is in the feed after a restart, and webhook deliveries resume without a gap', async () => {
    ensureBuilt();
    const data = mkdtempSync(join(tmpdir(), 'scimdesk-kill-feed-'));
    dirs.push(data);
    // The receiver lives in the test process; it answers slowly enough that the kill lands mid-queue.
    const received: number[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: number }).id);
        setTimeout(() => res.end('ok'), 2);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const token = createToken(data);
      liftRateLimit(data);
      const appToken = lastLine(['app-token', 'create', '--label', 'feed', '--data', data]);
      expect(appToken).toMatch(/^scimdesk_app_/);
      const port = (server.address() as AddressInfo).port;
      lastLine(['webhook', 'add', '--url', `http://127.0.0.1:${port}/hook`, '--data', data]);

      const first = await startServe(data);
      const acked = await provisionAndKill(first.proc, first.base, token, 200);
      const before = received.length;

      const second = await startServe(data);
      const feedUrl = second.base.replace('/api/scim/v2', '/api/directory/v1/events');
      const events: { id: number; type: string; data: { id: string } }[] = [];
      let after = '0';
      for (let more = true; more; ) {
        const res = await fetch(`${feedUrl}?after=${after}&limit=1000`, { headers: { authorization: `Bearer ${appToken}` } });
        expect(res.status).toBe(200);
        const page = (await res.json()) as { data: typeof events; nextCursor: string; hasMore: boolean };
        events.push(...page.data);
        after = page.nextCursor;
        more = page.hasMore;
      }
      const inFeed = new Set(events.filter((e) => e.type === 'user.created').map((e) => e.data.id));
      expect(acked.filter((id) => !inFeed.has(id))).toEqual([]);

      // Deliveries resume where they stopped: at least once, in order, no gap.
      for (let i = 0; i < 400 && new Set(received).size < events.length; i++) await new Promise((r) => setTimeout(r, 25));
      const firstSeen = [...new Set(received)];
      expect(firstSeen).toEqual(events.map((e) => e.id));
      expect(before).toBeLessThan(events.length); // the kill interrupted the queue, so resuming was needed
      second.proc.kill('SIGTERM');
      await exited(second.proc);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  }, 40_000);
});
