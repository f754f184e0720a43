import type { Migration } from './index.js';

/**
 * Caseless keys for the two attributes that are caseExact false and uniqueness server (RFC 7643
 * §4.1.1 userName, §4.2 displayName): NFC + Unicode case folding, computed by caselessKey() in
 * server/scim/caseless.ts, which openDb registers as the SQL function scimdesk_caseless_key.
 * The NOCASE columns folded ASCII only, so "émile" and "ÉMILE" were two users (issue #15 item 8).
 *
 * Rows that already collide under the new rule keep their data: the oldest row takes the key and
 * each later one gets the key plus NUL plus its id, which no valid name can produce (NUL is
 * rejected), so the unique index builds and the duplicate must be renamed on its next write.
 */
export const caselessKeys: Migration = {
  id: 6,
  name: 'caseless_keys',
  sql: `
ALTER TABLE users ADD COLUMN user_name_key TEXT;
UPDATE users SET user_name_key = scimdesk_caseless_key(user_name);
UPDATE users SET user_name_key = user_name_key || char(0) || id
  WHERE EXISTS (SELECT 1 FROM users o WHERE o.user_name_key = users.user_name_key AND o.rowid < users.rowid);
CREATE UNIQUE INDEX ux_users_user_name_key ON users (user_name_key);

ALTER TABLE groups ADD COLUMN display_name_key TEXT;
UPDATE groups SET display_name_key = scimdesk_caseless_key(display_name);
UPDATE groups SET display_name_key = display_name_key || char(0) || id
  WHERE EXISTS (SELECT 1 FROM groups o WHERE o.display_name_key = groups.display_name_key AND o.rowid < groups.rowid);
CREATE UNIQUE INDEX ux_groups_display_name_key ON groups (display_name_key);
`,
};
