import type { Migration } from './index.js';

export const init: Migration = {
  id: 1,
  name: 'init',
  sql: `
-- Users: hot lookup keys are real columns with indexes (userName is unique case-insensitively,
-- externalId is case-sensitive per RFC 7643 §3.1); the rest of the SCIM resource is JSON.
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  user_name TEXT NOT NULL COLLATE NOCASE,
  external_id TEXT,
  active INTEGER NOT NULL DEFAULT 1,
  data TEXT NOT NULL,
  password_hash TEXT,
  created TEXT NOT NULL,
  last_modified TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX ux_users_user_name ON users (user_name);
CREATE INDEX ix_users_external_id ON users (external_id);

-- Deleted users: gone from the API (RFC 7644 §3.6), kept for audit when the delete policy says so.
CREATE TABLE user_tombstones (
  id TEXT PRIMARY KEY,
  user_name TEXT NOT NULL,
  external_id TEXT,
  data TEXT NOT NULL,
  created TEXT NOT NULL,
  deleted_at TEXT NOT NULL,
  deleted_by_request TEXT
);

CREATE TABLE groups (
  id TEXT PRIMARY KEY,
  display_name TEXT NOT NULL COLLATE NOCASE,
  external_id TEXT,
  data TEXT NOT NULL,
  created TEXT NOT NULL,
  last_modified TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX ux_groups_display_name ON groups (display_name);
CREATE INDEX ix_groups_external_id ON groups (external_id);

-- Membership join tables: member adds and removes are set operations, never list rewrites.
CREATE TABLE group_users (
  group_id TEXT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  PRIMARY KEY (group_id, user_id)
) WITHOUT ROWID;
CREATE INDEX ix_group_users_user ON group_users (user_id);

CREATE TABLE group_groups (
  group_id TEXT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
  member_group_id TEXT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
  PRIMARY KEY (group_id, member_group_id)
) WITHOUT ROWID;
CREATE INDEX ix_group_groups_member ON group_groups (member_group_id);

-- Provisioning tokens: prefix for lookup, SHA-256 of the secret for the constant-time check.
CREATE TABLE tokens (
  id TEXT PRIMARY KEY,
  label TEXT NOT NULL,
  prefix TEXT NOT NULL UNIQUE,
  hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT,
  revoked_at TEXT,
  last_used_at TEXT,
  last_used_ip TEXT,
  request_count INTEGER NOT NULL DEFAULT 0
);

-- The event log: a narrow row for listing, payloads apart so pages stay small and fast.
CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  time TEXT NOT NULL,
  request_id TEXT NOT NULL,
  method TEXT NOT NULL,
  path TEXT NOT NULL,
  status INTEGER NOT NULL,
  latency_ms REAL NOT NULL,
  token_id TEXT,
  source_ip TEXT,
  user_agent TEXT,
  resource_type TEXT,
  resource_id TEXT,
  user_name TEXT COLLATE NOCASE,
  notes TEXT,
  changes TEXT
);
CREATE INDEX ix_events_request_id ON events (request_id);
CREATE INDEX ix_events_resource_id ON events (resource_id);
CREATE INDEX ix_events_user_name ON events (user_name);
CREATE INDEX ix_events_token_id ON events (token_id);

CREATE TABLE event_payloads (
  event_id INTEGER PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
  request_headers TEXT NOT NULL,
  request_body TEXT,
  response_body TEXT
);
`,
};
