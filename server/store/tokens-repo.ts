import type { Db } from './db.js';

interface TokenRow {
  id: string;
  label: string;
  prefix: string;
  hash: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
  last_used_ip: string | null;
  request_count: number;
}

export interface StoredToken {
  id: string;
  label: string;
  prefix: string;
  hash: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
  requestCount: number;
}

const toToken = (r: TokenRow): StoredToken => ({
  id: r.id,
  label: r.label,
  prefix: r.prefix,
  hash: r.hash,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
  lastUsedAt: r.last_used_at,
  lastUsedIp: r.last_used_ip,
  requestCount: r.request_count,
});

export class TokensRepo {
  private readonly insertStmt;
  private readonly byPrefix;
  private readonly byId;
  private readonly listStmt;
  private readonly revokeStmt;
  private readonly usedStmt;

  constructor(db: Db) {
    this.insertStmt = db.prepare(
      'INSERT INTO tokens (id, label, prefix, hash, created_at, expires_at) VALUES (@id, @label, @prefix, @hash, @createdAt, @expiresAt)',
    );
    this.byPrefix = db.prepare<[string], TokenRow>('SELECT * FROM tokens WHERE prefix = ?');
    this.byId = db.prepare<[string], TokenRow>('SELECT * FROM tokens WHERE id = ?');
    this.listStmt = db.prepare<[], TokenRow>('SELECT * FROM tokens ORDER BY created_at, rowid');
    this.revokeStmt = db.prepare('UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL');
    this.usedStmt = db.prepare('UPDATE tokens SET last_used_at = ?, last_used_ip = ?, request_count = request_count + 1 WHERE id = ?');
  }

  insert(t: Pick<StoredToken, 'id' | 'label' | 'prefix' | 'hash' | 'createdAt' | 'expiresAt'>): void {
    this.insertStmt.run(t);
  }

  findByPrefix(prefix: string): StoredToken | undefined {
    const r = this.byPrefix.get(prefix);
    return r && toToken(r);
  }

  get(id: string): StoredToken | undefined {
    const r = this.byId.get(id);
    return r && toToken(r);
  }

  list(): StoredToken[] {
    return this.listStmt.all().map(toToken);
  }

  revoke(id: string, at: string): boolean {
    return this.revokeStmt.run(at, id).changes > 0;
  }

  markUsed(id: string, at: string, ip: string | null): void {
    this.usedStmt.run(at, ip, id);
  }
}
