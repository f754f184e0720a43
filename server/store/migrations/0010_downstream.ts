import type { Migration } from './index.js';

export const downstream: Migration = {
  id: 10,
  name: 'downstream',
  sql: `
-- The change feed, a transactional outbox: each row is written in the same transaction as the
-- change it describes, never group-committed, so an acknowledged change always has its event and a
-- rolled-back one never does. AUTOINCREMENT keeps ids increasing even after the newest rows are
-- pruned, so a consumer's cursor can never be reused for a different event.
CREATE TABLE change_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  type TEXT NOT NULL,
  occurred_at TEXT NOT NULL,
  request_id TEXT,
  actor_kind TEXT NOT NULL,
  token_id TEXT,
  data TEXT NOT NULL,
  previous TEXT,
  cause TEXT
);
CREATE INDEX ix_change_events_request ON change_events (request_id) WHERE request_id IS NOT NULL;
CREATE INDEX ix_change_events_time ON change_events (occurred_at);

-- Read-only credentials of downstream applications: their own table, so no SCIM or console lookup
-- can ever match one (and the reverse). Prefix for lookup plus SHA-256 of the whole token.
CREATE TABLE app_tokens (
  id TEXT PRIMARY KEY,
  label TEXT NOT NULL,
  prefix TEXT NOT NULL UNIQUE,
  hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  revoked_at TEXT,
  last_used_at TEXT
);

-- Webhook endpoints and their delivery state: the cursor is the last event id the endpoint received
-- (or skipped past: filtered out or dead-lettered); attempts count the failures of the event after it.
CREATE TABLE webhook_endpoints (
  id TEXT PRIMARY KEY,
  label TEXT NOT NULL,
  url TEXT NOT NULL,
  events TEXT NOT NULL,
  enabled INTEGER NOT NULL DEFAULT 1,
  failing INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  cursor INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  first_failure_at TEXT,
  next_attempt_at TEXT,
  last_delivery_at TEXT,
  last_status INTEGER
);

-- Signing secrets: kept in the clear because HMAC needs the key itself (RFC 2104); several live at
-- once during a rotation, each with its own expiry.
CREATE TABLE webhook_secrets (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
  secret TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT
);
CREATE INDEX ix_webhook_secrets_endpoint ON webhook_secrets (endpoint_id);

CREATE TABLE webhook_attempts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
  event_id INTEGER NOT NULL,
  event_type TEXT NOT NULL,
  time TEXT NOT NULL,
  status INTEGER,
  latency_ms INTEGER NOT NULL,
  error TEXT,
  response_excerpt TEXT
);
CREATE INDEX ix_webhook_attempts_endpoint ON webhook_attempts (endpoint_id, id);

-- Events an endpoint gave up on after the retry window; redelivered on request, once each.
CREATE TABLE webhook_dead_letters (
  endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
  event_id INTEGER NOT NULL,
  event_type TEXT NOT NULL,
  dead_at TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  last_error TEXT,
  requeued INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (endpoint_id, event_id)
) WITHOUT ROWID;
`,
};
