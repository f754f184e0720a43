import type { Migration } from './index.js';

/**
 * What a support investigation needs from the event log (issue #17): the request body exactly as the
 * IdP sent it (redacted), the response headers the IdP received, an index for exact status filters,
 * and the resources each event touched besides its own, for per-resource timelines.
 */
export const consoleInvestigations: Migration = {
  id: 9,
  name: 'console_investigations',
  sql: `
-- The body as received, before the dialect layer corrected it; NULL when it is the stored body
-- byte for byte (most requests) or when the event predates this migration.
ALTER TABLE event_payloads ADD COLUMN request_body_received TEXT;
-- The response headers as sent (JSON object, credentials redacted): ETag, Location, Retry-After …
ALTER TABLE event_payloads ADD COLUMN response_headers TEXT;

-- Exact status filters ("409", "400,409"): one index range per code, newest first by rowid.
CREATE INDEX ix_events_status ON events (status);

-- Resources an event touched other than events.resource_id: the members a group PATCH added or
-- removed, the users whose role it changed. A user's timeline is resource_id = ? plus these.
CREATE TABLE event_touches (
  resource_id TEXT NOT NULL,
  event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  PRIMARY KEY (resource_id, event_id)
) WITHOUT ROWID;
-- Retention deletes events by id; the cascade finds their touches through this index.
CREATE INDEX ix_event_touches_event ON event_touches (event_id);
`,
};
