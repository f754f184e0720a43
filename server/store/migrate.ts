import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from './db.js';
import { MIGRATIONS, type Migration } from './migrations/index.js';
import { snapshotInto } from './snapshot.js';

export const hashMigration = (m: Migration): string => createHash('sha256').update(m.sql).digest('hex');

export class MigrationError extends Error {
  override name = 'MigrationError';
}

interface AppliedRow {
  id: number;
  name: string;
  hash: string;
}

/** The newest schema version this build knows: the highest id (numbers are reserved per branch, so they may skip). */
export const SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.id));

/**
 * Applies pending migrations in one transaction. Migrations are append-only: an applied migration
 * whose text changed is refused, and so is a database written by a newer build (its ids run past ours).
 */
export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): { applied: number[] } {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, hash TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const applied = db.prepare('SELECT id, name, hash FROM schema_migrations ORDER BY id').all() as AppliedRow[];
  const known = new Map(migrations.map((m) => [m.id, m]));
  for (const row of applied) {
    const m = known.get(row.id);
    if (!m) {
      throw new MigrationError(
        `database schema version ${row.id} (${row.name}) is newer than this build supports (${Math.max(0, ...migrations.map((x) => x.id))}); upgrade SCIM Desk`,
      );
    }
    if (hashMigration(m) !== row.hash) {
      throw new MigrationError(`migration ${row.id} (${row.name}) was edited after it was applied; migrations are append-only`);
    }
  }
  const done = new Set(applied.map((r) => r.id));
  const pending = migrations.filter((m) => !done.has(m.id));
  if (pending.length === 0) return { applied: [] };
  const insert = db.prepare('INSERT INTO schema_migrations (id, name, hash, applied_at) VALUES (?, ?, ?, ?)');
  db.transaction(() => {
    for (const m of pending) {
      db.exec(m.sql);
      insert.run(m.id, m.name, hashMigration(m), new Date().toISOString());
    }
  })();
  return { applied: pending.map((m) => m.id) };
}

/**
 * Before migrating a database that already holds data, keep a consistent copy of it
 * (VACUUM INTO is a transactionally consistent snapshot), so an upgrade can always be rolled back.
 */
export function backupBeforeMigrate(db: Db, dir: string, now = new Date()): string | null {
  const current = schemaVersion(db);
  if (current === 0 || current >= SCHEMA_VERSION) return null;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, `pre-migration-v${current}-to-v${SCHEMA_VERSION}-${now.toISOString().replace(/[:.]/g, '-')}.db`);
  snapshotInto(db, file);
  return file;
}

export function schemaVersion(db: Db): number {
  const row = db.prepare("SELECT name FROM sqlite_master WHERE type='table' AND name='schema_migrations'").get();
  if (!row) return 0;
  const v = db.prepare('SELECT MAX(id) AS v FROM schema_migrations').get() as { v: number | null };
  return v.v ?? 0;
}
