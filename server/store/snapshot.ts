import { chmodSync, closeSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import type { Db } from './db.js';

/**
 * Creates `file` empty with mode 0600 (or tightens it to 0600 if it exists). SQLite creates files
 * with 0644 under the usual umask and gives the WAL and SHM the mode of the database file, so
 * creating the database 0600 first keeps all three private.
 */
export function createPrivateFile(file: string): void {
  // Never open an existing file here: fcntl locks belong to the process, and closing ANY descriptor
  // on a file drops every lock the process holds on it (SQLite's WAL locks, the serve lock). A new
  // file is created 0600 with O_EXCL (nobody can hold a lock on it yet); an existing one is
  // tightened by path, which opens no descriptor.
  try {
    closeSync(openSync(file, 'wx', 0o600));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  chmodSync(file, 0o600);
}

/** Pages in the database now, for progress reporting. */
export const pageCount = (db: Db): number => db.pragma('page_count', { simple: true }) as number;

/**
 * One consistent copy of the database with `VACUUM INTO`: a single read transaction, so a writer in
 * another process can neither restart it (as it restarts the stepped backup API) nor be blocked by
 * it (WAL). The copy is written beside `to` as `<to>.partial`, created 0600, and renamed into place
 * only when complete, so `to` is never a half-written file. Returns the copy's size in pages.
 */
export function snapshotInto(db: Db, to: string): { pages: number; bytes: number } {
  const partial = `${to}.partial`;
  rmSync(partial, { force: true });
  // VACUUM INTO accepts an existing empty file and keeps its mode.
  createPrivateFile(partial);
  try {
    db.prepare('VACUUM INTO ?').run(partial);
  } catch (e) {
    rmSync(partial, { force: true });
    throw e;
  }
  renameSync(partial, to);
  const bytes = statSync(to).size;
  return { pages: Math.round(bytes / (db.pragma('page_size', { simple: true }) as number)), bytes };
}
