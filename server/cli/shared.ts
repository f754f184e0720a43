import { join } from 'node:path';
import { resolveDataDir } from '../config.js';
import { dbPath, ensureDataDir } from '../data-dir.js';
import { type ScimNode, startNode } from '../node.js';

export const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

export const printJson = (value: unknown): void => out(JSON.stringify(value, null, 2));

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
