import type { Db } from './db.js';

/** One-time console login codes, stored as SHA-256 hashes (the plaintext is shown once). */
export class ConsoleLoginRepo {
  private readonly insertStmt;
  private readonly redeemStmt;

  constructor(db: Db) {
    this.insertStmt = db.prepare<[string, string, string]>(
      'INSERT INTO console_login_codes (code_hash, created_at, expires_at) VALUES (?, ?, ?)',
    );
    this.redeemStmt = db.prepare<[string, string, string]>(
      'UPDATE console_login_codes SET used_at = ? WHERE code_hash = ? AND used_at IS NULL AND expires_at > ?',
    );
  }

  insert(codeHash: string, createdAt: string, expiresAt: string): void {
    this.insertStmt.run(codeHash, createdAt, expiresAt);
  }

  /** Marks an unexpired, unused code used at `at`; false when it was spent, expired or unknown. */
  redeem(codeHash: string, at: string): boolean {
    return this.redeemStmt.run(at, codeHash, at).changes > 0;
  }
}
