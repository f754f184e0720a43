import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { CreatedOAuthSecret, OAuthClientSummary, OAuthSecretSummary } from '../console/contract.js';
import { InputError } from '../input-error.js';
import type { OAuthRepo, StoredClient, StoredSecret } from '../store/oauth-repo.js';

/**
 * OAuth 2.0 clients for the client credentials grant (RFC 6749 §4.4) and the opaque access tokens
 * they obtain. Secrets and tokens carry 256 random bits, so a SHA-256 of each is all that is stored
 * (nothing to brute-force); the plaintext exists once, in the create/rotate or token response.
 */
export const CLIENT_SECRET_PREFIX = 'sdcs_';
export const ACCESS_TOKEN_PREFIX = 'sdat_';
/** Secrets a client may hold at once: enough to rotate without downtime (old, new, spare). */
export const MAX_ACTIVE_SECRETS = 5;
/** The only scope: the SCIM API. Access tokens never work on the console. */
export const OAUTH_SCOPE = 'scim';
/** The event log and the rate limiter know an OAuth client as `oauth:<client_id>`. */
export const principalOf = (clientId: string): string => `oauth:${clientId}`;

const ACCESS_RE = /^sdat_[A-Za-z0-9_-]{43}$/;
const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest();
// Compared against when a client is unknown or has fewer secrets than slots, so every attempt
// costs the same number of constant-time comparisons.
const DUMMY = sha256(randomBytes(32).toString('hex'));

export type ClientAuthFailure = 'unknown-client' | 'wrong-secret' | 'revoked-client';
export type AccessFailure = 'malformed' | 'unknown' | 'expired' | 'revoked';

const secretState = (s: StoredSecret, now: number): OAuthSecretSummary['state'] =>
  s.revokedAt ? 'revoked' : s.expiresAt && Date.parse(s.expiresAt) <= now ? 'expired' : 'active';

const live = (s: StoredSecret, now: number): boolean => secretState(s, now) === 'active';

export class OAuthService {
  constructor(
    private readonly repo: OAuthRepo,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private summarize(c: StoredClient, secrets: StoredSecret[]): OAuthClientSummary {
    const now = this.now().getTime();
    return {
      id: c.id,
      name: c.name,
      createdAt: c.createdAt,
      revokedAt: c.revokedAt,
      lastUsedAt: c.lastUsedAt,
      state: c.revokedAt ? 'revoked' : 'active',
      secrets: secrets.map((s) => ({
        id: s.id,
        hint: s.hint,
        createdAt: s.createdAt,
        expiresAt: s.expiresAt,
        revokedAt: s.revokedAt,
        lastUsedAt: s.lastUsedAt,
        state: secretState(s, now),
      })),
    };
  }

  private addSecret(clientId: string, at: string): { secretId: string; clientSecret: string } {
    const clientSecret = `${CLIENT_SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;
    const secretId = randomUUID();
    this.repo.addSecret({
      id: secretId,
      clientId,
      hash: sha256(clientSecret).toString('hex'),
      hint: `${clientSecret.slice(0, CLIENT_SECRET_PREFIX.length + 4)}…`,
      createdAt: at,
      expiresAt: null,
    });
    return { secretId, clientSecret };
  }

  list(): OAuthClientSummary[] {
    const secrets = this.repo.secretsByClient();
    return this.repo.clients().map((c) => this.summarize(c, secrets.get(c.id) ?? []));
  }

  get(id: string): OAuthClientSummary | undefined {
    const c = this.repo.client(id);
    return c && this.summarize(c, this.repo.secretsByClient().get(c.id) ?? []);
  }

  create(input: { name: string }): CreatedOAuthSecret {
    const name = input.name.trim();
    if (!name) throw new InputError('an OAuth client needs a name');
    if (name.length > 200) throw new InputError('an OAuth client name is at most 200 characters');
    const id = randomUUID();
    const at = this.now().toISOString();
    const created = this.repo.transaction(() => {
      this.repo.createClient({ id, name, createdAt: at });
      return this.addSecret(id, at);
    });
    return { client: this.get(id) as OAuthClientSummary, ...created };
  }

  /**
   * Adds a secret and keeps the old ones, so the IdP can be switched without a failed request.
   * Old secrets work until revoked, or, when `graceMs` is given, until that long after now.
   */
  rotate(id: string, graceMs: number | null = null): CreatedOAuthSecret {
    const client = this.repo.client(id);
    if (!client || client.revokedAt) throw new InputError(`no active OAuth client with id ${id}`);
    const now = this.now();
    const at = now.toISOString();
    const active = this.repo.unrevokedSecrets(id, MAX_ACTIVE_SECRETS + 1).filter((s) => live(s, now.getTime()));
    if (active.length >= MAX_ACTIVE_SECRETS) {
      throw new InputError(`client ${id} already has ${MAX_ACTIVE_SECRETS} active secrets; revoke one first`);
    }
    const created = this.repo.transaction(() => {
      const added = this.addSecret(id, at);
      if (graceMs !== null) this.repo.retireOtherSecrets(id, added.secretId, new Date(now.getTime() + graceMs).toISOString());
      return added;
    });
    return { client: this.get(id) as OAuthClientSummary, ...created };
  }

  /** Revokes the whole client, or one of its secrets; its live access tokens stop on the next request. */
  revoke(id: string, secretId?: string): boolean {
    const at = this.now().toISOString();
    return secretId ? this.repo.revokeSecretAt(id, secretId, at) : this.repo.revokeClientAt(id, at);
  }

  /**
   * Client authentication (RFC 6749 §2.3.1). An unknown client, a revoked client and a wrong secret
   * take the same path: one lookup and MAX_ACTIVE_SECRETS constant-time comparisons, so neither the
   * answer nor its timing tells a caller whether the client exists.
   */
  authenticate(
    clientId: string,
    secret: string,
  ): { ok: true; clientId: string; secretId: string } | { ok: false; reason: ClientAuthFailure; clientId?: string } {
    const presented = sha256(secret);
    const client = clientId.length <= 200 ? this.repo.client(clientId) : undefined;
    const secrets = this.repo.unrevokedSecrets(client?.id ?? '', MAX_ACTIVE_SECRETS);
    const now = this.now().getTime();
    let match: StoredSecret | undefined;
    for (let i = 0; i < MAX_ACTIVE_SECRETS; i++) {
      const s = secrets[i];
      const equal = timingSafeEqual(presented, s ? Buffer.from(s.hash, 'hex') : DUMMY);
      if (equal && s && live(s, now)) match = s;
    }
    if (!client) return { ok: false, reason: 'unknown-client' };
    if (client.revokedAt) return { ok: false, reason: 'revoked-client', clientId: client.id };
    if (!match) return { ok: false, reason: 'wrong-secret', clientId: client.id };
    return { ok: true, clientId: client.id, secretId: match.id };
  }

  /** Issues an opaque access token (RFC 6749 §4.4.3; no refresh token for this grant). */
  issue(clientId: string, secretId: string, ttlSeconds: number): { accessToken: string; expiresIn: number } {
    const accessToken = `${ACCESS_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const now = this.now();
    this.repo.issue({
      hash: sha256(accessToken).toString('hex'),
      clientId,
      secretId,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + ttlSeconds * 1000).toISOString(),
    });
    return { accessToken, expiresIn: ttlSeconds };
  }

  /**
   * Checks a bearer access token against the database on every request, so revoking its client or
   * its secret applies at once. The lookup key is the token's SHA-256: timing of that lookup says
   * nothing usable about a 256-bit preimage, so no separate constant-time compare is needed.
   */
  verify(token: string): { ok: true; clientId: string; name: string } | { ok: false; reason: AccessFailure; clientId?: string } {
    if (!ACCESS_RE.test(token)) return { ok: false, reason: 'malformed' };
    const found = this.repo.access(sha256(token).toString('hex'));
    if (!found) return { ok: false, reason: 'unknown' };
    if (found.clientRevokedAt || found.secretRevokedAt) return { ok: false, reason: 'revoked', clientId: found.clientId };
    if (Date.parse(found.expiresAt) <= this.now().getTime()) return { ok: false, reason: 'expired', clientId: found.clientId };
    return { ok: true, clientId: found.clientId, name: found.clientName };
  }
}
