import type { Migration } from './index.js';

export const tokenGuard: Migration = {
  id: 3,
  name: 'token_guard',
  sql: `
-- Guided rotation: the successor names its predecessor; the predecessor expires at the successor's
-- first use plus the grace the admin chose.
ALTER TABLE tokens ADD COLUMN rotates_id TEXT REFERENCES tokens (id);
ALTER TABLE tokens ADD COLUMN grace_ms INTEGER;
-- Optional source restriction: a JSON array of IPs/CIDRs; NULL means any source.
ALTER TABLE tokens ADD COLUMN allowed_cidrs TEXT;
ALTER TABLE tokens ADD COLUMN rate_limited_count INTEGER NOT NULL DEFAULT 0;

-- Every source address each token has been used from, for new-IP alerts and the hygiene report.
CREATE TABLE token_ips (
  token_id TEXT NOT NULL REFERENCES tokens (id) ON DELETE CASCADE,
  ip TEXT NOT NULL,
  first_seen TEXT NOT NULL,
  PRIMARY KEY (token_id, ip)
) WITHOUT ROWID;

CREATE TABLE alerts (
  id INTEGER PRIMARY KEY,
  time TEXT NOT NULL,
  kind TEXT NOT NULL,
  severity TEXT NOT NULL,
  message TEXT NOT NULL,
  data TEXT,
  acknowledged_at TEXT
);
CREATE INDEX ix_alerts_kind_time ON alerts (kind, time);
CREATE INDEX ix_audit_kind_time ON audit (kind, time);
`,
};
