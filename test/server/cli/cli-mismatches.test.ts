import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { invokeConsole } from '../../../server/console/handlers.js';
import { SCIM_BASE_PATH } from '../../../server/http/scim-router.js';
import { startNode } from '../../../server/node.js';
import { cli } from '../../helpers/cli.js';
import { consoleHandlers } from '../../helpers/console.js';
import { bundleDataDir, bundleEnv } from '../../helpers/data-dir-bundle.js';
import { USER } from '../../helpers/node.js';

const dirs: string[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

interface Seeded {
  data: string;
  okta: { id: string; prefix: string };
  requestIds: Record<'created' | 'conflict' | 'badFilter' | 'missing', string>;
}

/**
 * A data dir whose log holds one 201, one 409, one 400 and one 404, all sent with the token "Okta",
 * plus two tokens that share the label "Shared" and one never used.
 */
async function seeded(): Promise<Seeded> {
  const data = mkdtempSync(join(tmpdir(), 'scimdesk-cli-mismatch-'));
  dirs.push(data);
  const node = startNode({ dbFile: join(data, 'scimdesk.db'), log: () => {} });
  const server = createServer(node.scim);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const okta = node.tokens.create({ label: 'Okta' });
    node.tokens.create({ label: 'Shared' });
    node.tokens.create({ label: 'shared' });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}${SCIM_BASE_PATH}`;
    const send = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${okta.token}`, 'content-type': 'application/scim+json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      await res.arrayBuffer();
      return res.headers.get('x-request-id') ?? '';
    };
    const user = { schemas: [USER], userName: 'ann@example.com', externalId: 'a1' };
    const requestIds = {
      created: await send('POST', '/Users', user),
      conflict: await send('POST', '/Users', { ...user, externalId: 'a2' }),
      badFilter: await send('GET', '/Users?filter=userName%20zz%20%22x%22'),
      missing: await send('GET', '/Users/00000000-0000-0000-0000-000000000000'),
    };
    node.flushEvents();
    return { data, okta: { id: okta.id, prefix: okta.prefix }, requestIds };
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    node.close();
  }
}

const statuses = async (data: string, ...args: string[]) => {
  const r = await cli('events', 'list', '--json', ...args, '--data', data);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return (JSON.parse(r.out) as { status: number }[]).map((e) => e.status);
};

/** A separate process holding the data dir's serve lock until killed (resolves once it holds it). */
async function lockHolder(data: string): Promise<ChildProcess> {
  const bundle = bundleDataDir(join(data, 'data-dir.cjs'));
  const script = `require(${JSON.stringify(bundle)}).acquireServeLock(${JSON.stringify(data)}); process.stdout.write('held\\n'); setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'], env: bundleEnv() });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout?.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`lock holder exited with ${code}`)));
  });
  return child;
}

describe('scimdesk events list --status', () => {
  it('accepts a class, an exact code, or several codes', async () => {
    const { data } = await seeded();
    expect(await statuses(data)).toEqual([404, 400, 409, 201]);
    expect(await statuses(data, '--status', '4xx')).toEqual([404, 400, 409]);
    expect(await statuses(data, '--status', '409')).toEqual([409]);
    expect(await statuses(data, '--status', '400,409')).toEqual([400, 409]);
    expect(await statuses(data, '--status', '2xx,404')).toEqual([404, 201]);
    expect(await statuses(data, '--status', '429')).toEqual([]);
    const bad = await cli('events', 'list', '--status', '4x9', '--data', data);
    expect(bad).toMatchObject({
      code: 1,
      err: 'scimdesk: --status must be a class (2xx…5xx), a status code (429) or a comma-separated list (400,409), got "4x9"\n',
    });
  });
});

describe('scimdesk events list --token', () => {
  it('accepts the label, the prefix or the id, and refuses a token that matches nothing or several', async () => {
    const { data, okta } = await seeded();
    for (const ref of ['Okta', 'okta', okta.prefix, `${okta.prefix}…`, `scimdesk_${okta.prefix}`, okta.id]) {
      expect(await statuses(data, '--token', ref)).toEqual([404, 400, 409, 201]);
    }
    const none = await cli('events', 'list', '--token', 'Entra', '--data', data);
    expect(none).toMatchObject({ code: 1, out: '', err: 'scimdesk: no token has the label, prefix or id "Entra"\n' });
    const two = await cli('events', 'list', '--token', 'Shared', '--data', data);
    expect(two.code).toBe(1);
    expect(two.err).toMatch(
      /^scimdesk: 2 tokens are labelled "Shared": "Shared" [0-9a-f]{12}… \(\S+\), "shared" [0-9a-f]{12}… \(\S+\); give the prefix or id\n$/,
    );
  });

  it('is the same resolution in the console’s event filter', async () => {
    const { data, okta } = await seeded();
    const node = startNode({ dbFile: join(data, 'scimdesk.db'), log: () => {} });
    try {
      const h = consoleHandlers(node);
      const byLabel = await invokeConsole(h, 'events.list', { filter: { tokenRef: 'Okta', statuses: [409] } });
      expect(byLabel.ok && byLabel.value.items.map((e) => [e.status, e.tokenId])).toEqual([[409, okta.id]]);
      expect(await invokeConsole(h, 'events.list', { filter: { tokenRef: 'Entra' } })).toEqual({
        ok: false,
        error: { code: 'invalid', message: 'no token has the label, prefix or id "Entra"', field: 'tokenRef' },
      });
      expect(await invokeConsole(h, 'events.list', { filter: { statuses: ['409'] } })).toEqual({
        ok: false,
        error: { code: 'invalid', message: 'filter.statuses must be a list of HTTP status codes (100 to 599)', field: 'filter.statuses' },
      });
    } finally {
      node.close();
    }
  });
});

describe('scimdesk events show', () => {
  it('accepts the X-Request-Id the IdP got back, as well as the event id', async () => {
    const { data, requestIds } = await seeded();
    const byRequest = await cli('events', 'show', requestIds.conflict, '--data', data);
    expect(byRequest.code).toBe(0);
    const e = JSON.parse(byRequest.out) as { id: number; requestId: string; status: number };
    expect(e).toMatchObject({ requestId: requestIds.conflict, status: 409 });
    const byId = await cli('events', 'show', String(e.id), '--data', data);
    expect(JSON.parse(byId.out)).toEqual(JSON.parse(byRequest.out));
    const unknown = await cli('events', 'show', '01a2b3c4-0000-7000-8000-000000000000', '--data', data);
    expect(unknown).toMatchObject({ code: 1, err: 'scimdesk: no event with X-Request-Id 01a2b3c4-0000-7000-8000-000000000000\n' });
  });
});

describe('scimdesk config show', () => {
  it('says where the running node listens, apart from the configured values', async () => {
    const data = mkdtempSync(join(tmpdir(), 'scimdesk-cli-config-'));
    dirs.push(data);
    writeFileSync(join(data, 'config.json'), JSON.stringify({ port: 9000 }));
    const idle = await cli('config', 'show', '--data', data);
    expect(idle.code).toBe(0);
    const before = JSON.parse(idle.out) as { running: unknown; configured: { port: number; dataDir: string } };
    expect(before.running).toBeNull();
    expect(before.configured).toMatchObject({ port: 9000, dataDir: data });

    // A node serving this data dir, started with --port 7700: another process holds the serve lock
    // (taken the way serve takes it), and its runtime file says where it listens.
    const holder = await lockHolder(data);
    const pid = holder.pid ?? 0;
    writeFileSync(
      join(data, 'serve.json'),
      JSON.stringify({ pid, scimUrl: 'http://127.0.0.1:7700/api/scim/v2', consoleUrl: 'http://127.0.0.1:7701' }),
    );
    const live = JSON.parse((await cli('config', 'show', '--data', data)).out) as { running: unknown; configured: { port: number } };
    expect(live.running).toEqual({ pid, scimUrl: 'http://127.0.0.1:7700/api/scim/v2', consoleUrl: 'http://127.0.0.1:7701' });
    expect(live.configured.port).toBe(9000);

    // A runtime file left by a crash does not count: the kernel drops the lock with the process.
    holder.kill('SIGKILL');
    await new Promise((r) => holder.once('exit', r));
    expect((JSON.parse((await cli('config', 'show', '--data', data)).out) as { running: unknown }).running).toBeNull();
  });
});
