import { badRequest } from '../scim/errors.js';
import { parseFilter, parsePath } from '../scim/filter.js';
import type { Paging } from '../scim/messages.js';
import { type Projection, parseProjection } from '../scim/projection.js';
import type { ResourceTypeDef } from '../scim/schemas.js';
import { compileFilter, compileSort, type TableSpec } from '../store/filter-sql.js';
import type { KeysetPosition, SqlFragment } from '../store/sql.js';
import { CursorCodec } from './cursor.js';

/** Query parameters of a list or /.search request (RFC 7644 §3.4.2, §3.4.3), as strings or numbers. */
export interface ListParams {
  filter?: string;
  startIndex?: string | number;
  count?: string | number;
  sortBy?: string;
  sortOrder?: string;
  attributes?: string;
  excludedAttributes?: string;
  /** RFC 9865: "" asks for the first cursor page, then the nextCursor value. */
  cursor?: string;
}

/** A cursor request, checked: where the page resumes (null for the first) and the query it is bound to. */
export interface CursorRequest {
  after: KeysetPosition | null;
  digest: string;
}

export interface CompiledQuery {
  where: SqlFragment | null;
  orderBy: string | null;
  descending: boolean;
  startIndex: number;
  count: number;
  projection: Projection;
  /** The compared value of a top-level `userName eq "…"` filter, for the event log. */
  lookup?: string;
  /** Present when the client asked for cursor paging (RFC 9865). */
  cursor?: CursorRequest;
}

/** Plain decimal digits with an optional minus sign: `Number()` would also read "0x10", "1e1" and " 5". */
const DECIMAL_INTEGER = /^-?[0-9]+$/;

/**
 * startIndex and count are "integer" (RFC 7644 §3.4.2.4). A query string carries them as decimal text;
 * hexadecimal, exponents, signs other than "-" and whitespace are junk like any other, so a 400.
 */
function integer(value: string | number | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const ok = typeof value === 'number' ? Number.isInteger(value) : DECIMAL_INTEGER.test(value);
  if (!ok) throw badRequest('invalidValue', `${name} must be a decimal integer, got "${String(value).slice(0, 40)}"`);
  // Many digits still read as a (large or rounded) integer; the caller clamps it to the usable range.
  return typeof value === 'number' ? value : Number(value);
}

/**
 * §3.4.2.4: startIndex below 1 is read as 1; a negative count as 0; above the maximum, the maximum.
 * startIndex is also capped at the largest exact integer: SQLite cannot bind a larger OFFSET.
 */
export function pageOf(p: Pick<ListParams, 'startIndex' | 'count'>, paging: Paging): { startIndex: number; count: number } {
  const startIndex = Math.min(Number.MAX_SAFE_INTEGER, Math.max(1, integer(p.startIndex, 'startIndex') ?? 1));
  const count = Math.min(paging.maxCount, Math.max(0, integer(p.count, 'count') ?? paging.defaultCount));
  return { startIndex, count };
}

/**
 * RFC 9865 §2: `cursor` with `count` as the page size. startIndex belongs to index paging, so both
 * together are a 400; a count above maxPageSize (or below 0) is 400 invalidCount instead of being
 * capped, as §2.3 asks of cursor requests. The cursor is bound to the query's filter and sort.
 */
function cursorRequest(p: ListParams, rt: ResourceTypeDef, paging: Paging, cursors: CursorCodec): { cursor: CursorRequest; count: number } {
  if (p.startIndex !== undefined && p.startIndex !== '') {
    throw badRequest('invalidValue', 'startIndex and cursor select different paging methods; send one of them');
  }
  const asked = integer(p.count, 'count');
  if (asked !== undefined && (asked < 0 || asked > paging.maxCount)) {
    throw badRequest('invalidCount', `count must be between 0 and maxPageSize ${paging.maxCount} with a cursor, got ${asked}`);
  }
  const digest = CursorCodec.queryDigest([rt.name, p.filter?.trim(), p.sortBy?.trim().toLowerCase(), p.sortOrder?.toLowerCase()]);
  const after = p.cursor ? cursors.decode(p.cursor, digest) : null;
  return { cursor: { after, digest }, count: asked ?? paging.defaultCount };
}

export function compileQuery(p: ListParams, rt: ResourceTypeDef, table: TableSpec, paging: Paging, cursors?: CursorCodec): CompiledQuery {
  const ast = p.filter?.trim() ? parseFilter(p.filter) : null;
  const where = ast ? compileFilter(ast, rt, table) : null;
  const lookup =
    ast?.kind === 'compare' && ast.op === 'eq' && ast.path.name.toLowerCase() === 'username' && typeof ast.value === 'string'
      ? ast.value
      : undefined;
  const cursor = p.cursor !== undefined && cursors ? cursorRequest(p, rt, paging, cursors) : undefined;
  const { startIndex, count } = cursor ? { startIndex: 1, count: cursor.count } : pageOf(p, paging);
  const order = p.sortOrder?.toLowerCase();
  if (order !== undefined && order !== 'ascending' && order !== 'descending') {
    throw badRequest('invalidValue', `sortOrder must be "ascending" or "descending", got "${p.sortOrder}"`);
  }
  const orderBy = p.sortBy?.trim()
    ? compileSort(p.sortBy.trim(), rt, table, (t) => {
        const path = parsePath(t);
        if (path.filter) throw badRequest('invalidValue', `sortBy cannot hold a value filter: "${t}"`);
        return path.attr;
      })
    : null;
  return {
    where,
    orderBy,
    descending: order === 'descending',
    startIndex,
    count,
    projection: parseProjection(rt, p.attributes, p.excludedAttributes),
    ...(lookup === undefined ? {} : { lookup }),
    ...(cursor ? { cursor: cursor.cursor } : {}),
  };
}
