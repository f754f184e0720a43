import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '../../server/store/db.js';

/** The better-sqlite3 addon npm built for Node: what the CLI (and these tests) load by default. */
export const NODE_BUILD = join(process.cwd(), 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');

const require = createRequire(import.meta.url);

/**
 * A stand-in for a packaged app's resources folder: `native/better_sqlite3.node` as electron-builder's
 * extraResources lays it out. Here the "Electron" is Node, so the file is a copy of the Node build;
 * what the tests check is which file the host asks for, and that the database really uses it.
 */
export function packagedResources(): { dir: string; binding: string } {
  const dir = mkdtempSync(join(tmpdir(), 'scimdesk-resources-'));
  mkdirSync(join(dir, 'native'));
  const binding = join(dir, 'native', 'better_sqlite3.node');
  copyFileSync(NODE_BUILD, binding);
  return { dir, binding };
}

/** Electron sets process.resourcesPath; plain Node does not have it. */
export function setResourcesPath(dir: string | undefined): void {
  Object.defineProperty(process, 'resourcesPath', { value: dir, configurable: true, writable: true });
}

/** The addon file a better-sqlite3 connection was opened with (its native handle's class). */
export function addonFileOf(db: Db, candidates: string[]): string | null {
  const handle = Object.getOwnPropertySymbols(db)
    .map((s) => (db as unknown as Record<symbol, unknown>)[s])
    .find((v) => typeof v === 'object' && v !== null);
  for (const file of candidates) {
    const addon = require(file) as { Database: new (...args: unknown[]) => unknown };
    if (handle instanceof addon.Database) return file;
  }
  return null;
}
