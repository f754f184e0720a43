import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { registerEventCommands } from '../../../server/cli/event-commands.js';
import { isTerminalControl, terminalSafe } from '../../../server/cli/shared.js';
import { dbPath } from '../../../server/data-dir.js';
import { startNodeWithStore } from '../../../server/node.js';

const dirs: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('CLI human output escapes control characters (issue #15.14)', () => {
  it.each([
    ['\u001b[2J\u001b[31mred', '\\x1b[2J\\x1b[31mred'],
    ['a\rb', 'a\\rb'],
    ['line\nforged', 'line\\nforged'],
    ['csi\u009b31m', 'csi\\x9b31m'],
    ['bidi\u202eevil', 'bidi\\u202eevil'],
    ['tab\tok', 'tab\tok'],
    ['héllo ✓', 'héllo ✓'],
  ])('%j is printed as %j', (input, printed) => {
    expect(terminalSafe(input)).toBe(printed);
  });

  it('events list prints a stored userName and path with their escapes visible', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scimdesk-esc-'));
    dirs.push(dir);
    const { node, repos } = startNodeWithStore({ dbFile: dbPath(dir), log: () => {} });
    repos.events.insert({
      time: new Date().toISOString(),
      requestId: 'r1',
      method: 'GET',
      path: '/api/scim/v2/Users',
      status: 200,
      latencyMs: 1,
      tokenId: null,
      sourceIp: null,
      userAgent: '\u001b]0;owned\u0007',
      resourceType: null,
      resourceId: null,
      userName: '\u001b[2Jevil\u001b[0m',
      notes: [],
      changes: [],
      requestHeaders: {},
      requestBody: null,
      responseBody: null,
    });
    node.close();
    let printed = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed += String(chunk);
      return true;
    });
    const program = new Command('scimdesk').exitOverride();
    registerEventCommands(program);
    await program.parseAsync(['events', 'list', '--data', dir], { from: 'user' });
    await program.parseAsync(['events', 'show', '1', '--data', dir], { from: 'user' });
    expect(printed).toContain('[\\x1b[2Jevil\\x1b[0m]');
    expect([...printed].filter((c) => c !== '\n' && isTerminalControl(c.codePointAt(0) ?? 0))).toEqual([]);
  });
});
