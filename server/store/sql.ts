import type { Db } from './db.js';

/** A parameterized SQL fragment; values never get spliced into SQL text. */
export interface SqlFragment {
  sql: string;
  params: unknown[];
}

export const sql = (text: string, ...params: unknown[]): SqlFragment => ({ sql: text, params });

/**
 * `LIMIT n` with n written into the SQL text. SQLite (as better-sqlite3 builds it) re-prepares a
 * statement whose LIMIT is a bound parameter every time it is bound, which cost a list lookup ~14 µs,
 * three times the query itself. n is an integer the caller already bounded, never client text;
 * statements stay cached per shape, and clients use a handful of page sizes.
 */
/**
 * A user's human name, for lists and search: displayName, else name.formatted, else givenName and
 * familyName joined (RFC 7643 §4.1.1 makes every one optional; IdPs such as Okta often send only
 * name.*). NULL when the user has none. `u` is the users table alias.
 */
export const USER_NAME_SQL = `coalesce(
  json_extract(u.data, '$.displayName'),
  json_extract(u.data, '$.name.formatted'),
  nullif(trim(coalesce(json_extract(u.data, '$.name.givenName'), '') || ' ' || coalesce(json_extract(u.data, '$.name.familyName'), '')), '')
)`;

export function limit(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`invalid LIMIT ${n}`);
  return `LIMIT ${n}`;
}

type Statement = ReturnType<Db['prepare']> & { all(...params: unknown[]): unknown[]; get(...params: unknown[]): unknown };

/**
 * Dynamic queries (filters, sorts) come in a handful of shapes per IdP, so statements are cached by
 * their SQL text: a repeated `userName eq ?` lookup is prepared once. Bounded so junk cannot grow it.
 */
export class StatementCache {
  private readonly cache = new Map<string, Statement>();
  constructor(
    private readonly db: Db,
    private readonly max = 256,
  ) {}

  get(text: string): Statement {
    let stmt = this.cache.get(text);
    if (stmt) return stmt;
    stmt = this.db.prepare<unknown[]>(text);
    if (this.cache.size >= this.max) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(text, stmt);
    return stmt;
  }
}
