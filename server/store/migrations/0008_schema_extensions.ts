import type { Migration } from './index.js';

export const schemaExtensions: Migration = {
  id: 8,
  name: 'schema_extensions',
  sql: `
-- Extension schemas declared by an admin (RFC 7643 §3.3, §7). The definition is the validated §7
-- schema resource as JSON; values live in users.data under the URN key, like EnterpriseUser's.
CREATE TABLE schema_extensions (
  urn TEXT PRIMARY KEY COLLATE NOCASE,
  resource_type TEXT NOT NULL DEFAULT 'User',
  definition TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- Extension attributes that arrived without a declaration: what, which JSON types, when, how often.
-- Never the values themselves (they may be personal data).
CREATE TABLE undeclared_attributes (
  urn TEXT NOT NULL COLLATE NOCASE,
  attribute TEXT NOT NULL COLLATE NOCASE,
  value_types TEXT NOT NULL,
  first_seen TEXT NOT NULL,
  last_seen TEXT NOT NULL,
  count INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (urn, attribute)
) WITHOUT ROWID;
`,
};
