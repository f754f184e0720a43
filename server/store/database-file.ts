import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { type Db, registerFunctions } from './db.js';
import { pageCount, snapshotInto } from './snapshot.js';

/**
 * Whole-file operations on SQLite databases (online backup, inspection of a backup, a compacted copy).
 * The SQL lives here; server/ops/backup.ts decides what a valid backup is.
 */

/**
 * Online backup: one consistent snapshot (VACUUM INTO, a single read transaction), so it finishes
 * however steadily `serve` writes. The stepped backup API it replaces restarted from page one each
 * time another connection wrote between steps, and could run forever under load. Progress is the
 * start (0 of the source's pages) and the end (the copy's pages); the copy is 0600.
 */
export async function onlineBackup(db: Db, to: string, progress: (done: number, total: number) => void): Promise<{ pages: number }> {
  mkdirSync(dirname(to), { recursive: true, mode: 0o700 });
  progress(0, pageCount(db));
  const { pages } = snapshotInto(db, to);
  progress(pages, pages);
  return { pages };
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
  // Expression indexes call the node's SQL functions: the integrity check evaluates them.
  registerFunctions(db);
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

/** Writes a compacted, consistent copy of the database file `dbFile` to `to` (VACUUM INTO), 0600. */
export function vacuumInto(dbFile: string, to: string): void {
  const db = new Database(dbFile);
  // VACUUM rebuilds the expression indexes, which call the node's SQL functions.
  registerFunctions(db);
  try {
    snapshotInto(db, to);
  } finally {
    db.close();
  }
}
