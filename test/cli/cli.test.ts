import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

const CLI = join(process.cwd(), 'dist', 'cli.js');
const dirs: string[] = [];
const children: ChildProcess[] = [];

beforeAll(() => {
  // npm test bundles first; bundling again here keeps a lone `vitest run test/cli` honest.
  expect(spawnSync(process.execPath, ['build/bundle.mjs']).status).toBe(0);
});

afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'scimdesk-cli-'));
  dirs.push(d);
  return d;
}

function run(args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 20_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Serving {
  child: ChildProcess;
  url: string;
  /** stdout and stderr together. */
  output: () => string;
  stdout: () => string;
}

function startServe(args: string[], env: Record<string, string> = {}): Promise<Serving> {
  const child = spawn(process.execPath, [CLI, 'serve', ...args], { env: { ...process.env, ...env } });
  children.push(child);
  let out = '';
  let stdout = '';
  child.stdout?.on('data', (b: Buffer) => {
    out += b.toString();
    stdout += b.toString();
  });
  child.stderr?.on('data', (b: Buffer) => {
    out += b.toString();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}`)), 15_000);
    const check = () => {
      // The line ends the message: a newline in human lines, a quote in JSON records.
      const m = /SCIM endpoint: (http:\/\/127\.0\.0\.1:\d+\/api\/scim\/v2)["\n]/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve({ child, url: m[1], output: () => out, stdout: () => stdout });
      }
    };
    child.stdout?.on('data', check);
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
}

const exited = (child: ChildProcess): Promise<number | null> => new Promise((r) => child.once('exit', (code) => r(code)));

describe('scimdesk token', () => {
  it('prints the secret alone on the last line, lists without secrets, and revokes', () => {
    const data = tmp();
    const created = run(['token', 'create', '--label', 'Okta prod', '--expires-in', '90d', '--data', data]);
    expect(created.status).toBe(0);
    const lines = created.stdout.trimEnd().split('\n');
    const token = lines.at(-1) ?? '';
    expect(token).toMatch(/^scimdesk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    const listed = run(['token', 'list', '--json', '--data', data]);
    expect(listed.status).toBe(0);
    const arr = JSON.parse(listed.stdout) as Record<string, unknown>[];
    expect(arr).toHaveLength(1);
    expect(Object.keys(arr[0] ?? {}).sort()).toEqual(['createdAt', 'expiresAt', 'id', 'label', 'lastUsedAt', 'prefix']);
    expect(arr[0]).toMatchObject({ label: 'Okta prod', prefix: token.slice(9, 21), lastUsedAt: null });
    expect(listed.stdout).not.toContain(token.slice(22));
    const revoked = run(['token', 'revoke', String(arr[0]?.id), '--data', data]);
    expect(revoked.stdout.trim()).toBe(`Revoked token ${arr[0]?.id}.`);
    const again = run(['token', 'revoke', String(arr[0]?.id), '--data', data]);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain(`no active token with id ${arr[0]?.id}`);
    const bad = run(['token', 'create', '--label', 'x', '--expires-in', 'soon', '--data', data]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('invalid duration "soon"');
  });
});

describe('scimdesk serve', () => {
  it('serves, takes CLI token changes on the next request, refuses a second serve, and stops cleanly on SIGTERM', async () => {
    const data = tmp();
    const s = await startServe(['--data', data, '--port', '0', '--no-console']);
    const token = run(['token', 'create', '--label', 'live', '--data', data]).stdout.trimEnd().split('\n').at(-1) ?? '';
    const ok = await fetch(`${s.url}/Users`, { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    const second = run(['serve', '--data', data, '--port', '0', '--no-console']);
    expect(second.status).toBe(1);
    expect(second.stderr).toMatch(/another scimdesk serve \(pid \d+\) is already running on /);
    const id = (JSON.parse(run(['token', 'list', '--json', '--data', data]).stdout) as { id: string }[])[0]?.id ?? '';
    run(['token', 'revoke', id, '--data', data]);
    expect((await fetch(`${s.url}/Users`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    const events = JSON.parse(run(['events', 'list', '--json', '--limit', '2', '--data', data]).stdout) as { status: number }[];
    expect(events.map((e) => e.status)).toEqual([401, 200]);
    const code = exited(s.child);
    s.child.kill('SIGTERM');
    expect(await code).toBe(0);
    expect(s.output()).toContain('SIGTERM received: finishing in-flight requests');
  });

  it('reads SCIMDESK_DATA, SCIMDESK_HOST and SCIMDESK_PORT, and prints a console login link', async () => {
    const data = tmp();
    const s = await startServe(['--console-port', '0'], { SCIMDESK_DATA: data, SCIMDESK_HOST: '127.0.0.1', SCIMDESK_PORT: '0' });
    for (let i = 0; i < 100 && !s.output().includes('Console login'); i++) await new Promise((r) => setTimeout(r, 50));
    expect(s.output()).toContain(`Data directory: ${data}`);
    const link =
      /Console login \(one-time link, valid 10 minutes\): (http:\/\/127\.0\.0\.1:\d+\/login\?code=[\w-]+)/.exec(s.output())?.[1] ?? '';
    expect((await fetch(link, { redirect: 'manual' })).status).toBe(303);
    const fresh = run(['console-link', '--data', data]);
    expect(fresh.status).toBe(0);
    expect((await fetch(fresh.stdout.trim(), { redirect: 'manual' })).status).toBe(303);
  });

  it('writes one format to stdout: only JSON records when it is not a terminal, only human lines with --log-format pretty', async () => {
    const json = await startServe(['--data', tmp(), '--port', '0', '--no-console']);
    let code = exited(json.child);
    json.child.kill('SIGTERM');
    expect(await code).toBe(0);
    const records = json
      .stdout()
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.map((r) => r.msg)).toEqual([
      expect.stringMatching(/^Data directory: /),
      `SCIM endpoint: ${json.url}`,
      'No active provisioning token yet: create one with `scimdesk token create --label NAME`.',
      'SIGTERM received: finishing in-flight requests',
      'stopped',
    ]);
    expect(records[1]).toMatchObject({ level: 30, app: 'scimdesk', scimUrl: json.url });

    // The start-up lines print at any log level.
    const pretty = await startServe(['--data', tmp(), '--port', '0', '--no-console', '--log-format', 'pretty', '--log-level', 'silent']);
    code = exited(pretty.child);
    pretty.child.kill('SIGTERM');
    expect(await code).toBe(0);
    const lines = pretty.stdout().trimEnd().split('\n');
    expect(lines.slice(1)).toEqual([
      `SCIM endpoint: ${pretty.url}`,
      'No active provisioning token yet: create one with `scimdesk token create --label NAME`.',
      'SIGTERM received: finishing in-flight requests',
      'stopped',
    ]);
    expect(lines[0]).toMatch(/^Data directory: \//);
  });

  it('refuses an unknown log format', () => {
    const r = run(['serve', '--log-format', 'xml', '--data', tmp()]);
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe('scimdesk: log format must be one of json, pretty, got "xml"');
  });

  it('explains a bad port clearly', () => {
    const r = run(['serve', '--port', '99999', '--data', tmp()]);
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe('scimdesk: --port must be a port number from 0 to 65535, got "99999"');
  });
});

describe('scimdesk mapping and members', () => {
  it('maps a group, adds a member, and lists members as JSON', () => {
    const data = tmp();
    expect(run(['mapping', 'set', '--group', 'Admins', '--role', 'admin', '--data', data]).stdout.trim()).toBe(
      'Mapped "Admins" → admin; 0 member(s) changed role.',
    );
    expect(JSON.parse(run(['mapping', 'list', '--json', '--data', data]).stdout)).toEqual([
      { group: 'Admins', role: 'admin', updatedAt: expect.any(String) },
    ]);
    expect(run(['mapping', 'set', '--group', 'X', '--role', 'owner', '--data', data]).stderr).toContain(
      '--role must be admin, publisher or member',
    );
    expect(run(['member', 'add', '--email', 'pre@example.com', '--data', data]).status).toBe(0);
    const members = JSON.parse(run(['members', 'list', '--json', '--data', data]).stdout);
    expect(members).toEqual([
      { id: expect.any(String), userName: 'pre@example.com', externalId: null, active: true, role: null, groups: [], roleSource: null },
    ]);
    expect(run(['mapping', 'remove', '--group', 'Admins', '--data', data]).status).toBe(0);
    expect(JSON.parse(run(['mapping', 'list', '--json', '--data', data]).stdout)).toEqual([]);
  });
});
