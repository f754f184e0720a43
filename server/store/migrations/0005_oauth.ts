import type { Migration } from './index.js';

export const oauth: Migration = {
  id: 5,
  name: 'oauth',
  sql: `
-- OAuth 2.0 clients for the client credentials grant (RFC 6749 §4.4). The id is the client_id.
CREATE TABLE oauth_clients (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created_at TEXT NOT NULL,
  revoked_at TEXT,
  last_used_at TEXT
);

-- A client holds several active secrets at once so it can be rotated without downtime. Only a
-- SHA-256 of each secret is kept; expires_at ends an old secret's grace after a rotation.
CREATE TABLE oauth_secrets (
  id TEXT PRIMARY KEY,
  client_id TEXT NOT NULL REFERENCES oauth_clients (id) ON DELETE CASCADE,
  hash TEXT NOT NULL,
  hint TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT,
  revoked_at TEXT,
  last_used_at TEXT
);
CREATE INDEX ix_oauth_secrets_client ON oauth_secrets (client_id);

-- Issued access tokens: opaque, looked up by the SHA-256 of the token, checked against their client
-- and secret on every request so a revoke applies on the next one.
CREATE TABLE oauth_tokens (
  hash TEXT PRIMARY KEY,
  client_id TEXT NOT NULL REFERENCES oauth_clients (id) ON DELETE CASCADE,
  secret_id TEXT NOT NULL REFERENCES oauth_secrets (id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX ix_oauth_tokens_client ON oauth_tokens (client_id);
CREATE INDEX ix_oauth_tokens_expires ON oauth_tokens (expires_at);
`,
};
