import type { Migration } from './index.js';

export const consoleLogin: Migration = {
  id: 4,
  name: 'console_login',
  sql: `
-- One-time login links for the headless console. Stored hashed, because \`scimdesk console-link\`
-- (another process) mints them for the running node.
CREATE TABLE console_login_codes (
  code_hash TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT
);
`,
};
