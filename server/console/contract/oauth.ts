/**
 * OAuth 2.0 clients of the client credentials grant (RFC 6749 §4.4) and their secrets.
 * Part of the console contract: types only, re-exported by ../contract.ts (the one entry point).
 */
export interface OAuthSecretSummary {
  id: string;
  hint: string; // the secret's first characters, so an admin can tell which one an IdP holds
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  state: 'active' | 'expired' | 'revoked';
}

/** An OAuth 2.0 client (client credentials grant); `id` is its client_id. */
export interface OAuthClientSummary {
  id: string;
  name: string;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
  state: 'active' | 'revoked';
  secrets: OAuthSecretSummary[];
}

export interface CreatedOAuthSecret {
  client: OAuthClientSummary;
  secretId: string;
  clientSecret: string; // shown once; never retrievable again
}
