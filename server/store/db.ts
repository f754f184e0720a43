import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { caselessKey } from '../scim/caseless.js';
import { createPrivateFile } from './snapshot.js';

export type Db = Database.Database;

/**
 * Opens the node's database with the pragmas the design relies on:
 * - WAL so readers (CLI, console) never block the SCIM writer, and synchronous=NORMAL, which in WAL
 *   mode keeps every committed transaction across a process crash (only an OS crash can lose the tail).
 * - foreign keys for membership cascades, and a busy timeout so the CLI and `serve` can share the file.
 */
export interface OpenDbOptions {
  /**
   * The compiled better-sqlite3 addon to load, by path. Unset means the one npm built in
   * node_modules (Node's ABI, used by the CLI and tests). Electron's main process passes the
   * Electron-ABI build it ships beside the app: one binding per runtime, so neither has to be
   * rebuilt in place for the other.
   */
  nativeBinding?: string;
}

export function openDb(file: string, opts: OpenDbOptions = {}): Db {
  if (file !== ':memory:' && file !== '') {
    // The database holds token hashes and personal data: 0600, and SQLite gives its WAL and SHM
    // the same mode. Files left 0644 by an older build are tightened here too.
    createPrivateFile(file);
    for (const side of [`${file}-wal`, `${file}-shm`]) if (existsSync(side)) createPrivateFile(side);
  }
  const db = opts.nativeBinding === undefined ? new Database(file) : new Database(file, { nativeBinding: opts.nativeBinding });
  if (file !== ':memory:') db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('temp_store = MEMORY');
  db.pragma('cache_size = -32000');
  // Checkpoint every ~40 MB of WAL instead of every 4 MB: a checkpoint copies only the newest frame
  // of each page, so with the event log's hot pages a longer interval copies far less per request
  // (about 10% of a create's CPU at the default). The size limit trims the WAL file afterwards.
  db.pragma('wal_autocheckpoint = 10000');
  db.pragma('journal_size_limit = 67108864');
  registerFunctions(db);
  return db;
}

/**
 * SQL functions the schema relies on. Migration 0006 backfills the caseless key columns with the
 * same function the repositories use to write them, so old and new rows agree.
 */
export function registerFunctions(db: Db): void {
  db.function('scimdesk_caseless_key', { deterministic: true }, (s: unknown) => (typeof s === 'string' ? caselessKey(s) : null));
}

/** Detects a UNIQUE constraint failure so callers can turn it into a 409 (RFC 7644 §3.3). */
export function isUniqueViolation(err: unknown): boolean {
  return (
    typeof err === 'object' &&
    err !== null &&
    'code' in err &&
    (err.code === 'SQLITE_CONSTRAINT_UNIQUE' || err.code === 'SQLITE_CONSTRAINT_PRIMARYKEY')
  );
}

const runners = new WeakMap<Db, (work: () => unknown) => unknown>();

/**
 * Runs `work` in one transaction (nested inside another as a savepoint) and returns its result.
 * better-sqlite3 builds five wrapper functions on every `db.transaction()`; building them once per
 * database keeps that off the request path. Also used for reads: the groups of a page of users are
 * read under one WAL read lock instead of one per statement.
 */
export function inTransaction<T>(db: Db, work: () => T): T {
  let run = runners.get(db);
  if (!run) {
    run = db.transaction((w: () => unknown) => w());
    runners.set(db, run);
  }
  return run(work) as T;
}

/** Copies the WAL back into the main file and truncates it (between bench scenarios, before a copy). */
export function checkpoint(db: Db): void {
  db.pragma('wal_checkpoint(TRUNCATE)');
}
