import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cli } from '../../helpers/cli.js';

const dirs: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('scimdesk oauth client', () => {
  it('creates (secret alone on the last line), lists without secrets, rotates and revokes', async () => {
    const data = mkdtempSync(join(tmpdir(), 'scimdesk-oauth-cli-'));
    dirs.push(data);
    const created = await cli('oauth', 'client', 'create', '--name', 'Entra production', '--data', data);
    expect(created.code).toBe(0);
    const secret = created.lines.at(-1) ?? '';
    expect(secret).toMatch(/^sdcs_[\w-]{43}$/);
    const id = /^Client ID: (\S+)$/m.exec(created.lines.join('\n'))?.[1] ?? '';
    expect(created.lines.join('\n')).toContain('/api/scim/oauth/token');

    const listed = await cli('oauth', 'client', 'list', '--json', '--data', data);
    const clients = JSON.parse(listed.lines.join('\n')) as { id: string; name: string; secrets: { id: string; state: string }[] }[];
    expect(clients).toMatchObject([{ id, name: 'Entra production', state: 'active', secrets: [{ state: 'active' }] }]);
    expect(listed.lines.join('\n')).not.toContain(secret.slice(9));

    const rotated = await cli('oauth', 'client', 'rotate', id, '--data', data);
    expect(rotated.code).toBe(0);
    expect(rotated.lines.at(-1)).toMatch(/^sdcs_[\w-]{43}$/);
    expect(rotated.lines.at(-1)).not.toBe(secret);
    const text = await cli('oauth', 'client', 'list', '--data', data);
    expect(text.lines[0]).toMatch(
      new RegExp(`^${id}  active {3}Entra production  never used  active secrets: sdcs_\\S{4}…, sdcs_\\S{4}…$`),
    );

    const oldSecret = clients[0]?.secrets[0]?.id ?? '';
    expect((await cli('oauth', 'client', 'revoke', id, '--secret', oldSecret, '--data', data)).lines).toEqual([
      `Revoked secret ${oldSecret} of client ${id}.`,
    ]);
    expect((await cli('oauth', 'client', 'revoke', id, '--data', data)).lines).toEqual([`Revoked OAuth client ${id}.`]);
    const again = await cli('oauth', 'client', 'revoke', id, '--data', data);
    expect(again.code).toBe(1);
    expect(again.err).toBe(`scimdesk: no active OAuth client with id ${id}\n`);
  });
});

describe('scimdesk health', () => {
  it('prints the report, as text or JSON', async () => {
    const data = mkdtempSync(join(tmpdir(), 'scimdesk-health-cli-'));
    dirs.push(data);
    const text = await cli('health', '--data', data);
    expect(text.code).toBe(0);
    expect(text.lines).toEqual([
      'Provisioning health: OK (warning at 20%, critical at 35% failed over the last 40 minutes)',
      'No SCIM traffic in the last 24 h.',
    ]);
    const json = await cli('health', '--json', '--data', data);
    expect(JSON.parse(json.lines.join('\n'))).toMatchObject({ level: 'ok', cycleMinutes: 40, idps: [] });
  });
});
