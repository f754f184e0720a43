import type { EventFilter, EventSummary } from '../../../server/console/contract';

/**
 * Whether a live event belongs in the current view. The server filters stored events the same way
 * (exact matches; method upper-cased). A text filter searches payload bodies, which a live summary
 * does not carry, so with a text filter set the live tail is off and the list reloads on demand.
 */
export function matchesFilter(f: EventFilter, e: EventSummary): boolean {
  if (f.text) return false;
  // A class and exact codes together: either matches (as the server reads them).
  const byClass = f.statusClass !== undefined && Math.floor(e.status / 100) === f.statusClass;
  const byCode = f.statuses?.includes(e.status) ?? false;
  if ((f.statusClass !== undefined || f.statuses?.length) && !byClass && !byCode) return false;
  if (f.method && e.method.toUpperCase() !== f.method.toUpperCase()) return false;
  if (f.resourceType && e.resourceType !== f.resourceType) return false;
  if (f.resourceId && e.resourceId !== f.resourceId) return false;
  if (f.userName && e.userName !== f.userName) return false;
  if (f.tokenId && e.tokenId !== f.tokenId) return false;
  if (f.requestId && e.requestId !== f.requestId) return false;
  if (f.since && e.time < f.since) return false;
  if (f.until && e.time > f.until) return false;
  return true;
}

/** Drops empty strings so the filter sent to the node (and put in the export URL) is minimal. */
export function cleanFilter(f: EventFilter): EventFilter {
  const out: EventFilter = {};
  for (const [k, v] of Object.entries(f) as [keyof EventFilter, unknown][]) {
    if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) continue;
    (out as Record<string, unknown>)[k] = typeof v === 'string' ? v.trim() : v;
  }
  return out;
}
