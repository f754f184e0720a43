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
  rotates_id: string | null;
  grace_ms: number | null;
  allowed_cidrs: string | null;
  rate_limited_count: number;
  simulated: number;
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
  rotatesId: string | null;
  graceMs: number | null;
  allowedCidrs: string[] | null;
  rateLimitedCount: number;
  /** The simulator's temporary token: its traffic is labelled and kept out of alarms, health and hygiene. */
  simulated: boolean;
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
  rotatesId: r.rotates_id,
  graceMs: r.grace_ms,
  allowedCidrs: r.allowed_cidrs ? (JSON.parse(r.allowed_cidrs) as string[]) : null,
  rateLimitedCount: r.rate_limited_count,
  simulated: r.simulated === 1,
});

export class TokensRepo {
  private readonly insertStmt;
  private readonly byPrefix;
  private readonly byId;
  private readonly listStmt;
  private readonly revokeStmt;
  private readonly usedStmt;
  private readonly versionStmt;
  private readonly retireStmt;
  private readonly cidrStmt;
  private readonly limitedStmt;
  private readonly ipStmt;
  private readonly ipsStmt;
  private readonly deleteStmt;

  constructor(db: Db) {
    this.insertStmt = db.prepare(
      `INSERT INTO tokens (id, label, prefix, hash, created_at, expires_at, rotates_id, grace_ms, allowed_cidrs, simulated)
       VALUES (@id, @label, @prefix, @hash, @createdAt, @expiresAt, @rotatesId, @graceMs, @allowedCidrs, @simulated)`,
    );
    // token_ips rows go with the token (ON DELETE CASCADE); events keep the id as history.
    this.deleteStmt = db.prepare('DELETE FROM tokens WHERE id = ?');
    this.byPrefix = db.prepare<[string], TokenRow>('SELECT * FROM tokens WHERE prefix = ?');
    this.byId = db.prepare<[string], TokenRow>('SELECT * FROM tokens WHERE id = ?');
    this.listStmt = db.prepare<[], TokenRow>('SELECT * FROM tokens ORDER BY created_at, rowid');
    this.revokeStmt = db.prepare('UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL');
    this.retireStmt = db.prepare(
      'UPDATE tokens SET expires_at = CASE WHEN expires_at IS NULL OR expires_at > ? THEN ? ELSE expires_at END WHERE id = ?',
    );
    this.cidrStmt = db.prepare('UPDATE tokens SET allowed_cidrs = ? WHERE id = ?');
    this.limitedStmt = db.prepare('UPDATE tokens SET rate_limited_count = rate_limited_count + 1 WHERE id = ?');
    this.ipStmt = db.prepare('INSERT OR IGNORE INTO token_ips (token_id, ip, first_seen) VALUES (?, ?, ?)');
    this.ipsStmt = db.prepare<[string], { ip: string; first_seen: string }>(
      'SELECT ip, first_seen FROM token_ips WHERE token_id = ? ORDER BY first_seen',
    );
    this.versionStmt = db.prepare('PRAGMA data_version').pluck();
    this.usedStmt = db.prepare('UPDATE tokens SET last_used_at = ?, last_used_ip = ?, request_count = request_count + ? WHERE id = ?');
  }

  insert(
    t: Pick<
      StoredToken,
      'id' | 'label' | 'prefix' | 'hash' | 'createdAt' | 'expiresAt' | 'rotatesId' | 'graceMs' | 'allowedCidrs' | 'simulated'
    >,
  ): void {
    this.insertStmt.run({ ...t, allowedCidrs: t.allowedCidrs ? JSON.stringify(t.allowedCidrs) : null, simulated: t.simulated ? 1 : 0 });
  }

  delete(id: string): boolean {
    return this.deleteStmt.run(id).changes > 0;
  }

  /** The predecessor of a rotation retires at `at` (never later than an expiry it already had). */
  retireAt(id: string, at: string): void {
    this.retireStmt.run(at, at, id);
  }

  setAllowedCidrs(id: string, cidrs: string[] | null): boolean {
    return this.cidrStmt.run(cidrs ? JSON.stringify(cidrs) : null, id).changes > 0;
  }

  countRateLimited(id: string): void {
    this.limitedStmt.run(id);
  }

  /** Records a source address; true when this token had never been seen from it. */
  noteIp(id: string, ip: string, at: string): boolean {
    return this.ipStmt.run(id, ip, at).changes > 0;
  }

  ipsOf(id: string): { ip: string; firstSeen: string }[] {
    return this.ipsStmt.all(id).map((r) => ({ ip: r.ip, firstSeen: r.first_seen }));
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

  /** Changes whenever another connection commits (SQLite: PRAGMA data_version). */
  dataVersion(): number {
    return this.versionStmt.get() as number;
  }

  markUsed(id: string, at: string, ip: string | null, count = 1): void {
    this.usedStmt.run(at, ip, count, id);
  }
}
