import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import type { Db } from '../store/db.js';
import { hashMigration, SCHEMA_VERSION } from '../store/migrate.js';
import { MIGRATIONS } from '../store/migrations/index.js';

export class RestoreError extends Error {
  override name = 'RestoreError';
}

/**
 * Online backup with SQLite's backup API: consistent while `serve` keeps writing (WAL), copied in
 * steps so progress can be shown and the writer is never blocked for long.
 */
export async function backup(db: Db, to: string, progress: (done: number, total: number) => void = () => {}): Promise<{ pages: number }> {
  mkdirSync(dirname(to), { recursive: true });
  let total = 0;
  await db.backup(to, {
    progress({ totalPages, remainingPages }) {
      total = totalPages;
      progress(totalPages - remainingPages, totalPages);
      return 200;
    },
  });
  // SQLite reports progress before each step, so the finished state is reported here.
  progress(total, total);
  return { pages: total };
}

/** Checks that a file is an intact SCIM Desk database this build can run. */
export function verifyBackup(file: string): { schemaVersion: number; users: number } {
  if (!existsSync(file)) throw new RestoreError(`${file} does not exist`);
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw new RestoreError(`${file} is not a SQLite database: ${(e as Error).message}`);
  }
  try {
    let check: string;
    try {
      check = db.pragma('integrity_check', { simple: true }) as string;
    } catch (e) {
      throw new RestoreError(`${file} is not a SQLite database: ${(e as Error).message}`);
    }
    if (check !== 'ok') throw new RestoreError(`${file} failed the integrity check: ${check}`);
    const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
    if (!hasTable) throw new RestoreError(`${file} is not a SCIM Desk database (no schema_migrations table)`);
    const applied = db.prepare('SELECT id, hash FROM schema_migrations ORDER BY id').all() as { id: number; hash: string }[];
    for (const row of applied) {
      const m = MIGRATIONS.find((x) => x.id === row.id);
      if (!m)
        throw new RestoreError(`${file} has schema version ${row.id}, newer than this build (${SCHEMA_VERSION}); upgrade SCIM Desk first`);
      if (hashMigration(m) !== row.hash)
        throw new RestoreError(`${file} was written with a different migration ${row.id}; it is not from this product line`);
    }
    const users = (db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n;
    return { schemaVersion: applied.at(-1)?.id ?? 0, users };
  } finally {
    db.close();
  }
}

/**
 * Replaces the data dir's database with a verified backup. The current database is kept aside first
 * (backups/pre-restore-*.db), and the WAL/SHM of the old file are removed so nothing stale replays.
 */
export function restoreInto(dbFile: string, from: string, now = new Date()): { previous: string | null } {
  verifyBackup(from);
  let previous: string | null = null;
  if (existsSync(dbFile)) {
    const dir = join(dirname(dbFile), 'backups');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    previous = join(dir, `pre-restore-${now.toISOString().replace(/[:.]/g, '-')}.db`);
    const old = new Database(dbFile);
    try {
      old.prepare('VACUUM INTO ?').run(previous);
    } finally {
      old.close();
    }
  }
  const staging = `${dbFile}.restoring`;
  copyFileSync(from, staging);
  for (const suffix of ['-wal', '-shm']) rmSync(`${dbFile}${suffix}`, { force: true });
  renameSync(staging, dbFile);
  return { previous };
}
