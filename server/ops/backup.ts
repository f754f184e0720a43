import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import type { Db } from '../store/db.js';
import { hashMigration, SCHEMA_VERSION } from '../store/migrate.js';
import { MIGRATIONS } from '../store/migrations/index.js';
import { createPrivateFile, pageCount, snapshotInto } from '../store/snapshot.js';

export class RestoreError extends Error {
  override name = 'RestoreError';
}

/**
 * Online backup: one consistent snapshot (VACUUM INTO, a single read transaction), so it finishes
 * however steadily `serve` writes. The stepped backup API it replaces restarted from page one each
 * time another connection wrote between steps, and could run forever under load. Progress is the
 * start (0 of the source's pages) and the end (the copy's pages); the copy is 0600.
 */
export async function backup(db: Db, to: string, progress: (done: number, total: number) => void = () => {}): Promise<{ pages: number }> {
  mkdirSync(dirname(to), { recursive: true, mode: 0o700 });
  progress(0, pageCount(db));
  const { pages } = snapshotInto(db, to);
  progress(pages, pages);
  return { pages };
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
      snapshotInto(old, previous);
    } finally {
      old.close();
    }
  }
  const staging = `${dbFile}.restoring`;
  copyFileSync(from, staging);
  // copyFile carries the source's mode over; the restored database is private like any other.
  createPrivateFile(staging);
  for (const suffix of ['-wal', '-shm']) rmSync(`${dbFile}${suffix}`, { force: true });
  renameSync(staging, dbFile);
  return { previous };
}
