import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Db } from './db.js';

/**
 * Whole-file operations on SQLite databases (online backup, inspection of a backup, a compacted copy).
 * The SQL lives here; server/ops/backup.ts decides what a valid backup is.
 */

/**
 * Online backup with SQLite's backup API: consistent while `serve` keeps writing (WAL), copied in
 * steps so progress can be shown and the writer is never blocked for long.
 */
export async function onlineBackup(db: Db, to: string, progress: (done: number, total: number) => void): Promise<{ pages: number }> {
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

/** What a read-only look into a database file can ask. */
export interface DatabaseFileReader {
  /** SQLite's `PRAGMA integrity_check`: 'ok', or the first problem found. */
  integrityCheck(): string;
  /** The applied migrations (id, hash) in order, or null when there is no schema_migrations table. */
  appliedMigrations(): { id: number; hash: string }[] | null;
  userCount(): number;
}

/** Opens `file` read-only for `read`, then closes it. Throws the driver's error when it cannot be opened. */
export function readDatabaseFile<T>(file: string, read: (r: DatabaseFileReader) => T): T {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return read({
      integrityCheck: () => db.pragma('integrity_check', { simple: true }) as string,
      appliedMigrations: () => {
        const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
        if (!hasTable) return null;
        return db.prepare<[], { id: number; hash: string }>('SELECT id, hash FROM schema_migrations ORDER BY id').all();
      },
      userCount: () => db.prepare<[], { n: number }>('SELECT count(*) AS n FROM users').get()?.n ?? 0,
    });
  } finally {
    db.close();
  }
}

/** Writes a compacted, consistent copy of the database file `dbFile` to `to` (VACUUM INTO). */
export function vacuumInto(dbFile: string, to: string): void {
  const db = new Database(dbFile);
  try {
    db.prepare('VACUUM INTO ?').run(to);
  } finally {
    db.close();
  }
}
