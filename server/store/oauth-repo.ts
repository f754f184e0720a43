import { type Db, inTransaction } from './db.js';

interface ClientRow {
  id: string;
  name: string;
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

interface SecretRow {
  id: string;
  client_id: string;
  hash: string;
  hint: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
}

interface AccessRow {
  client_id: string;
  secret_id: string;
  expires_at: string;
  name: string;
  client_revoked_at: string | null;
  secret_revoked_at: string | null;
}

export interface StoredClient {
  id: string;
  name: string;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export interface StoredSecret {
  id: string;
  clientId: string;
  hash: string;
  hint: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

/** An access token found by its hash, with what decides whether it still works. */
export interface StoredAccess {
  clientId: string;
  clientName: string;
  secretId: string;
  expiresAt: string;
  clientRevokedAt: string | null;
  secretRevokedAt: string | null;
}

const toClient = (r: ClientRow): StoredClient => ({
  id: r.id,
  name: r.name,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
  lastUsedAt: r.last_used_at,
});

const toSecret = (r: SecretRow): StoredSecret => ({
  id: r.id,
  clientId: r.client_id,
  hash: r.hash,
  hint: r.hint,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
  lastUsedAt: r.last_used_at,
});

/** OAuth clients, their hashed secrets and the hashed access tokens issued to them. */
export class OAuthRepo {
  private readonly insertClient;
  private readonly clientById;
  private readonly clientList;
  private readonly revokeClient;
  private readonly clientUsed;
  private readonly insertSecret;
  private readonly secretsOf;
  private readonly allSecrets;
  private readonly revokeSecret;
  private readonly retireSecrets;
  private readonly secretUsed;
  private readonly insertToken;
  private readonly tokenByHash;
  private readonly pruneTokens;
  constructor(private readonly db: Db) {
    this.insertClient = db.prepare('INSERT INTO oauth_clients (id, name, created_at) VALUES (?, ?, ?)');
    this.clientById = db.prepare<[string], ClientRow>('SELECT * FROM oauth_clients WHERE id = ?');
    this.clientList = db.prepare<[], ClientRow>('SELECT * FROM oauth_clients ORDER BY created_at, rowid');
    this.revokeClient = db.prepare('UPDATE oauth_clients SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL');
    this.clientUsed = db.prepare('UPDATE oauth_clients SET last_used_at = ? WHERE id = ?');
    this.insertSecret = db.prepare(
      'INSERT INTO oauth_secrets (id, client_id, hash, hint, created_at, expires_at) VALUES (@id, @clientId, @hash, @hint, @createdAt, @expiresAt)',
    );
    // Bounded: a client never holds more than a handful of unrevoked secrets.
    this.secretsOf = db.prepare<[string, number], SecretRow>(
      'SELECT * FROM oauth_secrets WHERE client_id = ? AND revoked_at IS NULL ORDER BY created_at DESC, rowid DESC LIMIT ?',
    );
    this.allSecrets = db.prepare<[], SecretRow>('SELECT * FROM oauth_secrets ORDER BY created_at, rowid');
    this.revokeSecret = db.prepare('UPDATE oauth_secrets SET revoked_at = ? WHERE id = ? AND client_id = ? AND revoked_at IS NULL');
    this.retireSecrets = db.prepare(
      `UPDATE oauth_secrets SET expires_at = ? WHERE client_id = ? AND id <> ? AND revoked_at IS NULL
         AND (expires_at IS NULL OR expires_at > ?)`,
    );
    this.secretUsed = db.prepare('UPDATE oauth_secrets SET last_used_at = ? WHERE id = ?');
    this.insertToken = db.prepare('INSERT INTO oauth_tokens (hash, client_id, secret_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)');
    this.tokenByHash = db.prepare<[string], AccessRow>(
      `SELECT t.client_id, t.secret_id, t.expires_at, c.name, c.revoked_at AS client_revoked_at, s.revoked_at AS secret_revoked_at
       FROM oauth_tokens t JOIN oauth_clients c ON c.id = t.client_id JOIN oauth_secrets s ON s.id = t.secret_id
       WHERE t.hash = ?`,
    );
    this.pruneTokens = db.prepare('DELETE FROM oauth_tokens WHERE hash IN (SELECT hash FROM oauth_tokens WHERE expires_at <= ? LIMIT 500)');
  }

  createClient(c: { id: string; name: string; createdAt: string }): void {
    this.insertClient.run(c.id, c.name, c.createdAt);
  }

  client(id: string): StoredClient | undefined {
    const r = this.clientById.get(id);
    return r && toClient(r);
  }

  clients(): StoredClient[] {
    return this.clientList.all().map(toClient);
  }

  /** Every secret, grouped by client: one query for the whole list, not one per client. */
  secretsByClient(): Map<string, StoredSecret[]> {
    const out = new Map<string, StoredSecret[]>();
    for (const s of this.allSecrets.all().map(toSecret)) {
      const list = out.get(s.clientId) ?? [];
      list.push(s);
      out.set(s.clientId, list);
    }
    return out;
  }

  /** The client's newest unrevoked secrets (expired ones included; the caller judges the time). */
  unrevokedSecrets(clientId: string, max: number): StoredSecret[] {
    return this.secretsOf.all(clientId, max).map(toSecret);
  }

  addSecret(s: Pick<StoredSecret, 'id' | 'clientId' | 'hash' | 'hint' | 'createdAt' | 'expiresAt'>): void {
    this.insertSecret.run(s);
  }

  /** Every other live secret of the client expires at `at` (never later than an expiry it already had). */
  retireOtherSecrets(clientId: string, keepId: string, at: string): void {
    this.retireSecrets.run(at, clientId, keepId, at);
  }

  /**
   * Revokes the client. Its access tokens stay until they expire, so a late request is logged as
   * "revoked" with the client id instead of as an unknown token; `access` reports the revocation.
   */
  revokeClientAt(id: string, at: string): boolean {
    return this.revokeClient.run(at, id).changes > 0;
  }

  /** Revokes one secret; the access tokens it obtained stop working with it (see `access`). */
  revokeSecretAt(clientId: string, secretId: string, at: string): boolean {
    return this.revokeSecret.run(at, secretId, clientId).changes > 0;
  }

  /** Runs `work` in one transaction (see inTransaction). */
  transaction<T>(work: () => T): T {
    return inTransaction(this.db, work);
  }

  /** Stores a new access token, marks the client and secret used, and prunes a batch of expired tokens. */
  issue(t: { hash: string; clientId: string; secretId: string; createdAt: string; expiresAt: string }): void {
    this.transaction(() => {
      this.pruneTokens.run(t.createdAt);
      this.insertToken.run(t.hash, t.clientId, t.secretId, t.createdAt, t.expiresAt);
      this.clientUsed.run(t.createdAt, t.clientId);
      this.secretUsed.run(t.createdAt, t.secretId);
    });
  }

  access(hash: string): StoredAccess | undefined {
    const r = this.tokenByHash.get(hash);
    return (
      r && {
        clientId: r.client_id,
        clientName: r.name,
        secretId: r.secret_id,
        expiresAt: r.expires_at,
        clientRevokedAt: r.client_revoked_at,
        secretRevokedAt: r.secret_revoked_at,
      }
    );
  }
}
