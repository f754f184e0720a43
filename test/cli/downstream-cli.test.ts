import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

const CLI = join(process.cwd(), 'dist', 'cli.js');
const dirs: string[] = [];

beforeAll(() => {
  if (!existsSync(CLI)) expect(spawnSync(process.execPath, ['build/bundle.mjs']).status).toBe(0);
});
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function run(data: string, args: string[]): { status: number | null; lines: string[]; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args, '--data', data], { encoding: 'utf8', timeout: 20_000 });
  return { status: r.status, lines: r.stdout.trim().split('\n'), stderr: r.stderr };
}

function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'scimdesk-downstream-cli-'));
  dirs.push(d);
  return d;
}

describe('scimdesk app-token', () => {
  it('prints the secret alone on the last line, lists without it, and revokes', () => {
    const data = tmp();
    const created = run(data, ['app-token', 'create', '--label', 'Billing']);
    expect(created.status, created.stderr).toBe(0);
    const secret = created.lines.at(-1) ?? '';
    expect(secret).toMatch(/^scimdesk_app_[0-9a-f]{12}_[\w-]{43}$/);
    const list = run(data, ['app-token', 'list', '--json']);
    expect(list.lines.join('\n')).not.toContain(secret.slice(26));
    const tokens = JSON.parse(list.lines.join('\n')) as { id: string; label: string; revokedAt: string | null }[];
    expect(tokens).toEqual([expect.objectContaining({ label: 'Billing', revokedAt: null })]);
    expect(run(data, ['app-token', 'revoke', tokens[0]?.id ?? '']).status).toBe(0);
    expect(run(data, ['app-token', 'revoke', tokens[0]?.id ?? '']).stderr).toContain('no active app token');
  }, 60_000);
});

describe('scimdesk webhook', () => {
  it('add prints the id then the secret; list --json has the documented shape; the other commands act on it', () => {
    const data = tmp();
    const added = run(data, [
      'webhook',
      'add',
      '--url',
      'http://127.0.0.1:9/hook',
      '--events',
      'user.*,group.member_added',
      '--label',
      'CRM',
    ]);
    expect(added.status, added.stderr).toBe(0);
    const id = added.lines[0] ?? '';
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(added.lines.at(-1)).toMatch(/^whsec_[\w-]{43}$/);
    const list = () => JSON.parse(run(data, ['webhook', 'list', '--json']).lines.join('\n')) as Record<string, unknown>[];
    expect(list()).toEqual([
      {
        id,
        label: 'CRM',
        url: 'http://127.0.0.1:9/hook',
        events: ['user.*', 'group.member_added'],
        status: 'active',
        lastDeliveryAt: null,
        lastStatus: null,
        pendingEvents: 0,
        deadLettered: 0,
      },
    ]);
    expect(run(data, ['webhook', 'disable', id]).lines).toEqual([`Endpoint ${id} is disabled.`]);
    expect(list()[0]?.status).toBe('disabled');
    expect(run(data, ['webhook', 'enable', id]).status).toBe(0);
    const rotated = run(data, ['webhook', 'rotate-secret', id, '--grace', '1h']);
    expect(rotated.lines.at(-1)).toMatch(/^whsec_[\w-]{43}$/);
    expect(rotated.lines.at(-1)).not.toBe(added.lines.at(-1));
    expect(run(data, ['webhook', 'redeliver', id, '--dead-letters']).lines).toEqual([`Queued 0 events for ${id}.`]);
    const refused = run(data, ['webhook', 'test', id]);
    expect(refused.status).toBe(1);
    expect(refused.lines[0]).toMatch(/^FAILED: connect ECONNREFUSED 127\.0\.0\.1:9 in \d+ ms$/);
    expect(run(data, ['webhook', 'add', '--url', 'ftp://example.com/x']).stderr).toContain('webhook URLs must be http or https');
    expect(run(data, ['webhook', 'remove', id]).status).toBe(0);
    expect(list()).toEqual([]);
  }, 120_000);
});
