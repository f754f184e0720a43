import type { Db } from './db.js';

/** Key/value settings edited at run time; values are JSON. */
export class SettingsRepo {
  private readonly getStmt;
  private readonly allStmt;
  private readonly putStmt;
  private readonly putManyTx;

  constructor(db: Db) {
    this.getStmt = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
    this.allStmt = db.prepare<[], { key: string; value: string }>('SELECT key, value FROM settings');
    this.putStmt = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    this.putManyTx = db.transaction((entries: [string, unknown][]) => {
      for (const [k, v] of entries) this.putStmt.run(k, JSON.stringify(v));
    });
  }

  get(key: string): unknown {
    const r = this.getStmt.get(key);
    return r ? (JSON.parse(r.value) as unknown) : undefined;
  }

  all(): Record<string, unknown> {
    return Object.fromEntries(this.allStmt.all().map((r) => [r.key, JSON.parse(r.value) as unknown]));
  }

  put(key: string, value: unknown): void {
    this.putStmt.run(key, JSON.stringify(value));
  }

  /** Several keys in one transaction: all are written or none. */
  putMany(entries: [string, unknown][]): void {
    this.putManyTx(entries);
  }
}
