import type { Migration } from './index.js';

export const rolesAudit: Migration = {
  id: 2,
  name: 'roles_audit',
  sql: `
-- The role each user holds, denormalized at write time so member lists never recompute it.
ALTER TABLE users ADD COLUMN role TEXT;
ALTER TABLE users ADD COLUMN role_group TEXT;
-- 'scim' for users an IdP created, 'admin' for members created before SCIM (scimdesk member add).
ALTER TABLE users ADD COLUMN origin TEXT NOT NULL DEFAULT 'scim';
CREATE INDEX ix_users_role ON users (role);

-- Group displayName -> role. Matching is exact and case-sensitive (BINARY), by design.
CREATE TABLE mappings (
  group_name TEXT PRIMARY KEY COLLATE BINARY,
  role TEXT NOT NULL CHECK (role IN ('admin', 'publisher', 'member')),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- The access audit: role changes and lifecycle changes, each with what caused it. Never pruned by
-- the event-log retention, which only touches events and event_payloads.
CREATE TABLE audit (
  id INTEGER PRIMARY KEY,
  time TEXT NOT NULL,
  kind TEXT NOT NULL,
  user_id TEXT,
  user_name TEXT,
  old_role TEXT,
  new_role TEXT,
  group_name TEXT,
  mapping TEXT,
  detail TEXT,
  actor TEXT NOT NULL,
  request_id TEXT,
  token_id TEXT
);
CREATE INDEX ix_audit_user ON audit (user_id, id);
CREATE INDEX ix_audit_request ON audit (request_id);

-- 409s on create where an existing member holds the userName: waiting for an admin to link.
CREATE TABLE conflicts (
  id INTEGER PRIMARY KEY,
  time TEXT NOT NULL,
  user_name TEXT NOT NULL COLLATE NOCASE,
  external_id TEXT,
  existing_user_id TEXT NOT NULL,
  payload TEXT NOT NULL,
  request_id TEXT,
  status TEXT NOT NULL DEFAULT 'open',
  resolved_at TEXT
);
CREATE INDEX ix_conflicts_status ON conflicts (status, id);

-- Node settings edited at run time (console Settings, CLI); the config file seeds them.
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`,
};
