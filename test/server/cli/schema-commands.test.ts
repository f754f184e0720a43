import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { withNode } from '../../../server/cli/shared.js';
import { newContext } from '../../../server/events/request-context.js';
import { main } from '../../../server/main.js';

const EXT = 'urn:ietf:params:scim:schemas:extension:CustomExt:2.0:User';
const dirs: string[] = [];

afterEach(() => {
  vi.restoreAllMocks();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'scimdesk-schema-'));
  dirs.push(d);
  return d;
}

/** Runs `scimdesk <args>` in-process (the commands are what the bundle runs) and captures its output. */
async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  const code = await main(args);
  vi.restoreAllMocks();
  return { code, stdout, stderr };
}

describe('scimdesk schema', () => {
  it('add --file, add-attribute and list --json share one validation and one store', async () => {
    const data = tmp();
    const file = join(data, 'ext.json');
    writeFileSync(file, JSON.stringify({ id: EXT, attributes: [{ name: 'costCenter', type: 'string', indexed: true }] }));
    expect(await run(['schema', 'add', '--file', file, '--data', data])).toEqual({ code: 0, stdout: `declared ${EXT}\n`, stderr: '' });
    const added = await run([
      'schema',
      'add-attribute',
      '--schema',
      EXT,
      '--name',
      'badge',
      '--type',
      'integer',
      '--uniqueness',
      'server',
      '--data',
      data,
    ]);
    expect(added).toEqual({ code: 0, stdout: `declared badge in ${EXT}\n`, stderr: '' });
    const list = await run(['schema', 'list', '--json', '--data', data]);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([
      {
        id: EXT,
        name: 'CustomExt',
        description: '',
        attributes: [
          expect.objectContaining({ name: 'costCenter', type: 'string', multiValued: false, uniqueness: 'none', indexed: true }),
          expect.objectContaining({ name: 'badge', type: 'integer', uniqueness: 'server' }),
        ],
      },
    ]);
    expect((await run(['schema', 'list', '--data', data])).stdout).toBe(
      `${EXT}\n  costCenter: string (indexed)\n  badge: integer (unique)\n`,
    );
  });

  it.each([
    [['--name', 'cost center', '--type', 'string'], 'scimdesk: attributes[0].name: must be an attribute name'],
    [
      ['--name', 'costCenter', '--type', 'text'],
      'scimdesk: attributes[0].type: must be one of string, boolean, decimal, integer, dateTime, reference, complex',
    ],
    [
      ['--name', 'costCenter', '--type', 'string', '--uniqueness', 'global'],
      'scimdesk: attributes[0].uniqueness: must be one of none, server',
    ],
  ])('refuses an invalid attribute with the field at fault: %j', async (args, message) => {
    const data = tmp();
    const r = await run(['schema', 'add-attribute', '--schema', EXT, ...args, '--data', data]);
    expect(r.code).toBe(1);
    expect(r.stderr.startsWith(message)).toBe(true);
    expect((await run(['schema', 'list', '--json', '--data', data])).stdout).toBe('[]\n');
  });

  it('a change the data violates lists the users and values, exits 1 and changes nothing', async () => {
    const data = tmp();
    await run(['schema', 'add-attribute', '--schema', EXT, '--name', 'costCenter', '--type', 'string', '--data', data]);
    const ids = await withNode(data, async (node) => {
      const out: string[] = [];
      for (const userName of ['a@x', 'b@x']) {
        const ctx = newContext(`req-${userName}`);
        const u = await node.users.create(
          { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName, [EXT]: { costCenter: '42' } },
          'x',
          ctx,
        );
        out.push(String(u.id));
      }
      return out;
    });
    const r = await run([
      'schema',
      'add-attribute',
      '--schema',
      EXT,
      '--name',
      'costCenter',
      '--type',
      'string',
      '--uniqueness',
      'server',
      '--data',
      data,
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      [
        `  a@x (${ids[0]}): ${EXT}:costCenter duplicate "42": shares this value with 1 other user(s)`,
        `  b@x (${ids[1]}): ${EXT}:costCenter duplicate "42": shares this value with 1 other user(s)`,
        'scimdesk: the stored data does not satisfy this declaration (2 violation(s), listed above); nothing was changed',
        '',
      ].join('\n'),
    );
    const list = JSON.parse((await run(['schema', 'list', '--json', '--data', data])).stdout) as { attributes: { uniqueness: string }[] }[];
    expect(list[0]?.attributes[0]?.uniqueness).toBe('none');
  });
});
