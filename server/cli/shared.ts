import { join } from 'node:path';
import { resolveDataDir } from '../config.js';
import { dbPath, ensureDataDir } from '../data-dir.js';
import { type ScimNode, startNode } from '../node.js';

/**
 * Text from the database (a userName, a User-Agent) is attacker-chosen: written raw, an escape
 * sequence could clear the screen, retitle the window or hide lines. Control characters (C0 but
 * tab, DEL, C1) and bidirectional overrides are printed as visible escapes; newlines too, unless the
 * caller is printing its own multi-line text (pretty JSON, where a newline in data is already `\n`).
 */
export function terminalSafe(text: string, keepNewlines = false): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (!isTerminalControl(code) || (code === 0x0a && keepNewlines)) out += ch;
    else if (code === 0x0a) out += '\\n';
    else if (code === 0x0d) out += '\\r';
    else out += code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  }
  return out;
}

/** C0 but tab, DEL, C1, and the bidirectional marks and overrides (Unicode TR9). */
export function isTerminalControl(code: number): boolean {
  return (
    (code < 0x20 && code !== 0x09) ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0x061c ||
    code === 0x200e ||
    code === 0x200f ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

/** One line of human output, escaped for the terminal. */
export const out = (line: string): void => {
  process.stdout.write(`${terminalSafe(line)}\n`);
};

/** JSON escapes C0 itself; C1 and bidi controls are escaped here. */
export const printJson = (value: unknown): void => {
  process.stdout.write(`${terminalSafe(JSON.stringify(value, null, 2), true)}\n`);
};

/**
 * Runs a CLI command against the data dir's database. It opens the same SQLite file a running
 * `serve` uses (WAL lets both in), so a change made here is seen by the server's next request.
 */
export async function withNode<T>(data: string | undefined, fn: (node: ScimNode) => T | Promise<T>): Promise<T> {
  const dir = resolveDataDir(data, process.env);
  ensureDataDir(dir);
  const node = startNode({ dbFile: dbPath(dir), backupDir: join(dir, 'backups') });
  try {
    return await fn(node);
  } finally {
    node.close();
  }
}

/** Where the CLI says resources live when it has no request to derive a host from. */
export const CLI_BASE = 'scimdesk:/api/scim/v2';

export const dataOption = ['--data <dir>', 'data directory (env SCIMDESK_DATA; default: the OS app-data dir)'] as const;
