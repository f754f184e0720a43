import Database from 'better-sqlite3';

export type Db = Database.Database;

/**
 * Opens the node's database with the pragmas the design relies on:
 * - WAL so readers (CLI, console) never block the SCIM writer, and synchronous=NORMAL, which in WAL
 *   mode keeps every committed transaction across a process crash (only an OS crash can lose the tail).
 * - foreign keys for membership cascades, and a busy timeout so the CLI and `serve` can share the file.
 */
export function openDb(file: string): Db {
  const db = new Database(file);
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
  return db;
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
