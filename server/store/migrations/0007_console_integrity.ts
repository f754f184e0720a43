import type { Migration } from './index.js';

export const consoleIntegrity: Migration = {
  id: 7,
  name: 'console_integrity',
  sql: `
-- A dismissed conflict keeps the admin's reason, so the queue's history says why nothing was linked.
ALTER TABLE conflicts ADD COLUMN dismiss_reason TEXT;

-- The simulator's temporary token ("Test sync") is flagged, and so is every request made with it:
-- alarms, provisioning health and token hygiene leave simulated traffic out. The events stay in the
-- log, labelled, after the token itself is deleted.
ALTER TABLE tokens ADD COLUMN simulated INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN simulated INTEGER NOT NULL DEFAULT 0;
`,
};
