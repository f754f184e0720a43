import { badRequest } from '../scim/errors.js';
import { parseFilter, parsePath } from '../scim/filter.js';
import type { Paging } from '../scim/messages.js';
import { type Projection, parseProjection } from '../scim/projection.js';
import type { ResourceTypeDef } from '../scim/schemas.js';
import { compileFilter, compileSort, type TableSpec } from '../store/filter-sql.js';
import type { SqlFragment } from '../store/sql.js';

/** Query parameters of a list or /.search request (RFC 7644 §3.4.2, §3.4.3), as strings or numbers. */
export interface ListParams {
  filter?: string;
  startIndex?: string | number;
  count?: string | number;
  sortBy?: string;
  sortOrder?: string;
  attributes?: string;
  excludedAttributes?: string;
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

export function compileQuery(p: ListParams, rt: ResourceTypeDef, table: TableSpec, paging: Paging): CompiledQuery {
  const ast = p.filter?.trim() ? parseFilter(p.filter) : null;
  const where = ast ? compileFilter(ast, rt, table) : null;
  const lookup =
    ast?.kind === 'compare' && ast.op === 'eq' && ast.path.name.toLowerCase() === 'username' && typeof ast.value === 'string'
      ? ast.value
      : undefined;
  const { startIndex, count } = pageOf(p, paging);
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
  };
}
