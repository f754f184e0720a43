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
 * familyName joined; an empty string counts as absent (RFC 7643 §4.1.1 makes every one optional; IdPs such as Okta often send only
 * name.*). NULL when the user has none. `u` is the users table alias.
 */
export const USER_NAME_SQL = `coalesce(
  nullif(json_extract(u.data, '$.displayName'), ''),
  nullif(json_extract(u.data, '$.name.formatted'), ''),
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

/** Where a cursor page resumes: the last row's sort key (null when unsorted or NULL) and rowid. */
export interface KeysetPosition {
  key: string | number | null;
  rowid: number;
}

/**
 * Keyset paging (RFC 9865 cursors): the rows after `after` in `ORDER BY expr [DESC], rowid` order,
 * as a WHERE fragment, so every page is an index seek instead of an OFFSET scan. SQLite sorts NULL
 * first ascending and last descending; the clauses follow that order exactly.
 */
export function keysetAfter(expr: string | null, rowid: string, descending: boolean, after: KeysetPosition): SqlFragment {
  if (expr === null) return sql(`${rowid} > ?`, after.rowid);
  if (after.key === null) {
    return descending ? sql(`(${expr} IS NULL AND ${rowid} > ?)`, after.rowid) : sql(`(${expr} IS NOT NULL OR ${rowid} > ?)`, after.rowid);
  }
  const cmp = descending ? '<' : '>';
  const tail = descending ? ` OR ${expr} IS NULL` : '';
  return sql(`(${expr} ${cmp} ? OR (${expr} = ? AND ${rowid} > ?)${tail})`, after.key, after.key, after.rowid);
}

export const andWhere = (a: SqlFragment | null, b: SqlFragment): SqlFragment =>
  a ? { sql: `(${a.sql}) AND ${b.sql}`, params: [...a.params, ...b.params] } : b;

/** The source of a list query: the selected columns and `table alias`; the alias's rowid breaks sort ties. */
export interface ListSource {
  cols: string;
  table: string;
  alias: string;
}

/** What a cursor page is asked for: the filter, the sort expression and direction, the page size and where to resume. */
export type KeysetPageArgs = [
  where: SqlFragment | null,
  orderBy: string | null,
  descending: boolean,
  count: number,
  after: KeysetPosition | null,
];

/**
 * A cursor page (RFC 9865): `count` rows of `from` matching `where` after `after`, in
 * `ORDER BY orderBy [DESC], rowid` order, each with the position the next page resumes from.
 */
export function keysetPage<Row, T>(
  statements: StatementCache,
  from: ListSource,
  toItem: (row: Row) => T,
  ...[where, orderBy, descending, count, after]: KeysetPageArgs
): { item: T; at: KeysetPosition }[] {
  const rowid = `${from.alias}.rowid`;
  const order = orderBy ? `${orderBy} ${descending ? 'DESC' : 'ASC'}, ${rowid}` : rowid;
  const clause = after ? andWhere(where, keysetAfter(orderBy, rowid, descending, after)) : where;
  const key = orderBy ?? 'NULL';
  const text = `SELECT ${from.cols}, ${rowid} AS cursor_rowid, ${key} AS cursor_key FROM ${from.table} ${from.alias}${clause ? ` WHERE ${clause.sql}` : ''} ORDER BY ${order} ${limit(count)}`;
  const rows = statements.get(text).all(...(clause?.params ?? [])) as (Row & {
    cursor_rowid: number;
    cursor_key: string | number | null;
  })[];
  return rows.map((r) => ({ item: toItem(r), at: { key: r.cursor_key, rowid: r.cursor_rowid } }));
}
