import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { signatureHeader } from '../../server/delivery/sign.js';
import { GROUP, PATCH_OP, type TestNode, testNode, USER } from '../helpers/node.js';

const CONSUMER = join(process.cwd(), 'examples', 'directory-consumer', 'consumer.mjs');
const children: ChildProcess[] = [];
const dirs: string[] = [];

afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

interface State {
  cursor: string;
  users: Record<string, { id: string; role: string | null; groups: { id: string }[]; active: boolean }>;
  groups: Record<string, { id: string; memberCount: number }>;
  resyncs: number;
}

/** Starts the example as a plain Node process; resolves with its webhook port once it listens. */
function startConsumer(env: Record<string, string>): Promise<{ port: number; lines: () => string[] }> {
  const child = spawn(process.execPath, [CONSUMER], { env: { ...process.env, PORT: '0', POLL_MS: '200', ...env } });
  children.push(child);
  let out = '';
  child.stdout?.on('data', (b: Buffer) => {
    out += b.toString();
  });
  child.stderr?.on('data', (b: Buffer) => {
    out += b.toString();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`consumer did not start: ${out}`)), 15_000);
    child.stdout?.on('data', () => {
      const m = /"msg":"listening","port":(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ port: Number(m[1]), lines: () => out.trim().split('\n') });
      }
    });
    child.on('exit', (code) => reject(new Error(`consumer exited ${code}: ${out}`)));
  });
}

function freePort(): Promise<number> {
  const srv = createServer();
  return new Promise((resolve) =>
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    }),
  );
}

const readState = (file: string): State | null => {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as State;
  } catch {
    return null;
  }
};

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function directory(t: TestNode, token: string): Promise<{ users: unknown[]; cursor: string }> {
  const root = t.base.replace('/api/scim/v2', '/api/directory/v1');
  const headers = { authorization: `Bearer ${token}` };
  const users = (await (await fetch(`${root}/users?limit=1000`, { headers })).json()) as { data: unknown[] };
  const cursor = (await (await fetch(`${root}/events/cursor`, { headers })).json()) as { cursor: string };
  return { users: users.data, cursor: cursor.cursor };
}

describe('examples/directory-consumer', () => {
  it('resyncs, then follows the feed (woken by verified webhooks) and resumes from its persisted cursor', async () => {
    const t = await testNode({ webhooks: { pollMs: 50 } });
    t.node.roles.setMapping('Admins', 'admin', { kind: 'console', requestId: null, tokenId: null });
    const created = async (path: string, body: unknown) => String((await t.scim('POST', path, body)).body?.id);
    const early = await created('/Users', { schemas: [USER], userName: 'early@example.com' });
    const app = t.node.appTokens.create('example');
    const dir = mkdtempSync(join(tmpdir(), 'scimdesk-consumer-'));
    dirs.push(dir);
    const stateFile = join(dir, 'state.json');
    const env = { SCIMDESK_URL: t.base.replace('/api/scim/v2', ''), SCIMDESK_APP_TOKEN: app.token, STATE_FILE: stateFile };

    // The endpoint needs the consumer's port and the consumer needs the endpoint's secret: take a free port first.
    const port = await freePort();
    const { secret } = t.node.webhooks.add({ url: `http://127.0.0.1:${port}/webhook` });
    // A 60 s poll: only verified webhooks can make it catch up within this test.
    const live = await startConsumer({ ...env, WEBHOOK_SECRET: secret, PORT: String(port), POLL_MS: '60000' });
    await until(() => readState(stateFile)?.users[early] !== undefined, 'the initial resync');

    // Deliveries with a wrong secret or an old timestamp are refused; a good one is accepted.
    const body = JSON.stringify({ id: 0, type: 'ping' });
    const post = (sig: string) =>
      fetch(`http://127.0.0.1:${port}/webhook`, { method: 'POST', headers: { 'scimdesk-signature': sig }, body });
    const nowSec = Math.floor(Date.now() / 1000);
    expect((await post(signatureHeader(['whsec_wrong'], body, nowSec))).status).toBe(401);
    expect((await post(signatureHeader([secret], body, nowSec - 301))).status).toBe(401);
    expect((await post(signatureHeader([secret], `${body} `, nowSec))).status).toBe(401);
    expect((await post(signatureHeader(['whsec_old', secret], body, nowSec))).status).toBe(204);
    t.node.deliveries.start();

    const u1 = await created('/Users', { schemas: [USER], userName: 'u1@example.com' });
    const u2 = await created('/Users', { schemas: [USER], userName: 'u2@example.com' });
    const admins = await created('/Groups', { schemas: [GROUP], displayName: 'Admins', members: [{ value: u1 }] });
    await t.scim('PATCH', `/Users/${u2}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] });
    await t.scim('DELETE', `/Users/${early}`);
    const truth = await directory(t, app.token);
    await until(() => readState(stateFile)?.cursor === truth.cursor, 'the consumer to reach the end of the feed');
    const state = readState(stateFile) as State;
    expect(Object.values(state.users).sort((a, b) => a.id.localeCompare(b.id))).toEqual(truth.users);
    expect(state.users[u1]).toMatchObject({ role: 'admin', groups: [{ id: admins }] });
    expect(state.users[u2]?.active).toBe(false);
    expect(state.users[early]).toBeUndefined();
    expect(state.groups[admins]).toMatchObject({ memberCount: 1 });
    expect(live.lines().some((l) => l.includes('"msg":"webhook"'))).toBe(true);

    // Restart: it resumes from the persisted cursor instead of reading everything again.
    for (const c of children.splice(0)) c.kill('SIGKILL');
    const u3 = await created('/Users', { schemas: [USER], userName: 'u3@example.com' });
    const resumed = await startConsumer({ ...env, WEBHOOK_SECRET: secret, POLL_MS: '200' });
    await until(() => readState(stateFile)?.users[u3] !== undefined, 'the resumed consumer to apply the new user');
    expect(readState(stateFile)?.resyncs).toBe(1);
    expect(resumed.lines().some((l) => l.includes('"msg":"resynced"'))).toBe(false);
  }, 60_000);
});
