import type { Db } from './db.js';

interface AppTokenRow {
  id: string;
  label: string;
  prefix: string;
  hash: string;
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

export interface StoredAppToken {
  id: string;
  label: string;
  prefix: string;
  hash: string;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

const toToken = (r: AppTokenRow): StoredAppToken => ({
  id: r.id,
  label: r.label,
  prefix: r.prefix,
  hash: r.hash,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
  lastUsedAt: r.last_used_at,
});

/** App tokens (read-only, for downstream applications) live in their own table, apart from SCIM tokens. */
export class AppTokensRepo {
  private readonly insertStmt;
  private readonly byPrefix;
  private readonly listStmt;
  private readonly revokeStmt;
  private readonly usedStmt;

  constructor(db: Db) {
    this.insertStmt = db.prepare(
      'INSERT INTO app_tokens (id, label, prefix, hash, created_at) VALUES (@id, @label, @prefix, @hash, @createdAt)',
    );
    this.byPrefix = db.prepare<[string], AppTokenRow>('SELECT * FROM app_tokens WHERE prefix = ?');
    this.listStmt = db.prepare<[], AppTokenRow>('SELECT * FROM app_tokens ORDER BY created_at, rowid');
    this.revokeStmt = db.prepare('UPDATE app_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL');
    this.usedStmt = db.prepare('UPDATE app_tokens SET last_used_at = ? WHERE id = ?');
  }

  insert(t: Pick<StoredAppToken, 'id' | 'label' | 'prefix' | 'hash' | 'createdAt'>): void {
    this.insertStmt.run(t);
  }

  findByPrefix(prefix: string): StoredAppToken | undefined {
    const r = this.byPrefix.get(prefix);
    return r && toToken(r);
  }

  list(): StoredAppToken[] {
    return this.listStmt.all().map(toToken);
  }

  revoke(id: string, at: string): boolean {
    return this.revokeStmt.run(at, id).changes > 0;
  }

  markUsed(id: string, at: string): void {
    this.usedStmt.run(at, id);
  }
}
