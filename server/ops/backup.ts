import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readDatabaseFile, vacuumInto } from '../store/database-file.js';
import { hashMigration, SCHEMA_VERSION } from '../store/migrate.js';
import { MIGRATIONS } from '../store/migrations/index.js';
import { createPrivateFile } from '../store/snapshot.js';

export class RestoreError extends Error {
  override name = 'RestoreError';
}

/** Checks that a file is an intact SCIM Desk database this build can run. */
export function verifyBackup(file: string): { schemaVersion: number; users: number } {
  if (!existsSync(file)) throw new RestoreError(`${file} does not exist`);
  const notSqlite = (e: unknown) => new RestoreError(`${file} is not a SQLite database: ${(e as Error).message}`);
  let opened = false;
  try {
    return readDatabaseFile(file, (db) => {
      opened = true;
      let check: string;
      try {
        check = db.integrityCheck();
      } catch (e) {
        throw notSqlite(e);
      }
      if (check !== 'ok') throw new RestoreError(`${file} failed the integrity check: ${check}`);
      const applied = db.appliedMigrations();
      if (!applied) throw new RestoreError(`${file} is not a SCIM Desk database (no schema_migrations table)`);
      for (const row of applied) {
        const m = MIGRATIONS.find((x) => x.id === row.id);
        if (!m)
          throw new RestoreError(
            `${file} has schema version ${row.id}, newer than this build (${SCHEMA_VERSION}); upgrade SCIM Desk first`,
          );
        if (hashMigration(m) !== row.hash)
          throw new RestoreError(`${file} was written with a different migration ${row.id}; it is not from this product line`);
      }
      return { schemaVersion: applied.at(-1)?.id ?? 0, users: db.userCount() };
    });
  } catch (e) {
    // The driver refuses a file that is not SQLite when opening it; say so in the admin's terms.
    if (!opened) throw notSqlite(e);
    throw e;
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
    vacuumInto(dbFile, previous);
  }
  const staging = `${dbFile}.restoring`;
  copyFileSync(from, staging);
  // copyFile carries the source's mode over; the restored database is private like any other.
  createPrivateFile(staging);
  for (const suffix of ['-wal', '-shm']) rmSync(`${dbFile}${suffix}`, { force: true });
  renameSync(staging, dbFile);
  return { previous };
}
