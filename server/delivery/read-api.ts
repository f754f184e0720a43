import type { AppGroup, AppMember, AppUser, DirectoryReadRepo } from '../store/directory-read-repo.js';
import type { ChangeEvent, ChangeFeed } from './outbox.js';

/** An error of the downstream API, rendered as `{error: {code, message}}` with `status`. */
export class DownstreamError extends Error {
  override name = 'DownstreamError';
  constructor(
    readonly status: 400 | 401 | 404 | 410 | 429,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

/** `limit` is 1–1000, default 100 (issue #14). */
export function parseLimit(text: string | undefined): number {
  if (text === undefined) return DEFAULT_LIMIT;
  const n = /^\d{1,4}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_LIMIT)
    throw new DownstreamError(400, 'invalid_limit', `limit must be an integer from 1 to ${MAX_LIMIT}`);
  return n;
}

/** Keyset cursors of the read API are the last id of the page, opaque to clients. */
function parseKeyCursor(text: string | undefined): string {
  if (text === undefined) return '';
  if (text.length === 0 || text.length > 200) throw new DownstreamError(400, 'invalid_cursor', 'cursor is not one this API returned');
  return text;
}

export interface FeedPage {
  data: ChangeEvent[];
  nextCursor: string;
  hasMore: boolean;
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

const ROLE_FILTERS = new Set(['admin', 'publisher', 'member', 'none']);

/**
 * What an application reads with an app token: the change feed and a keyset-paged view of the
 * directory. The consumer pattern it supports: take `position()`, read everything, then tail the
 * feed from that position (changes made meanwhile arrive again as events, which are idempotent to
 * apply because each carries the whole resource).
 */
export class DownstreamReadService {
  constructor(
    private readonly feed: ChangeFeed,
    private readonly read: DirectoryReadRepo,
  ) {}

  /** The current end of the feed: a cursor that returns only events after now. */
  position(): { cursor: string } {
    return { cursor: String(this.feed.newestId()) };
  }

  events(afterText: string | undefined, limitText: string | undefined): FeedPage {
    const limit = parseLimit(limitText);
    const newest = this.feed.newestId();
    let after = 0;
    if (afterText !== undefined) {
      if (!/^\d{1,15}$/.test(afterText)) throw new DownstreamError(400, 'invalid_cursor', 'after must be a cursor the feed returned');
      after = Number(afterText);
      if (after > newest)
        throw new DownstreamError(400, 'invalid_cursor', 'after is ahead of the feed: this cursor comes from another node or database');
      // Ids are contiguous (AUTOINCREMENT, one writer): a gap between the cursor and the oldest
      // retained event means events this consumer never saw were pruned.
      const oldest = this.feed.oldestId() ?? newest + 1;
      if (after + 1 < oldest) {
        throw new DownstreamError(
          410,
          'cursor_expired',
          'events after this cursor were pruned by retention: resync by reading /users and /groups (after noting GET /events/cursor), then tail the feed again',
        );
      }
    }
    const rows = this.feed.page(after, limit + 1);
    const hasMore = rows.length > limit;
    const data = hasMore ? rows.slice(0, limit) : rows;
    const last = data[data.length - 1];
    // An empty page keeps the caller where it is (or at the current end, when it started nowhere).
    const nextCursor = last ? String(last.id) : String(afterText === undefined ? newest : after);
    return { data, nextCursor, hasMore };
  }

  users(q: { limit?: string; cursor?: string; role?: string; active?: string }): Page<AppUser> {
    const limit = parseLimit(q.limit);
    const after = parseKeyCursor(q.cursor);
    if (q.role !== undefined && !ROLE_FILTERS.has(q.role))
      throw new DownstreamError(400, 'invalid_filter', 'role must be admin, publisher, member or none');
    if (q.active !== undefined && q.active !== 'true' && q.active !== 'false')
      throw new DownstreamError(400, 'invalid_filter', 'active must be true or false');
    const rows = this.read.userPage(after, limit + 1, { role: q.role, active: q.active === undefined ? undefined : q.active === 'true' });
    return pageOf(rows, limit, (u) => u.id);
  }

  user(id: string): AppUser {
    const u = this.read.users([id])[0];
    if (!u) throw new DownstreamError(404, 'not_found', `user "${id}" not found`);
    return u;
  }

  groups(q: { limit?: string; cursor?: string }): Page<AppGroup> {
    const limit = parseLimit(q.limit);
    return pageOf(this.read.groupPage(parseKeyCursor(q.cursor), limit + 1), limit, (g) => g.id);
  }

  group(id: string): AppGroup {
    const g = this.read.group(id);
    if (!g) throw new DownstreamError(404, 'not_found', `group "${id}" not found`);
    return g;
  }

  members(groupId: string, q: { limit?: string; cursor?: string }): Page<AppMember> {
    const limit = parseLimit(q.limit);
    const after = parseKeyCursor(q.cursor);
    // An existence check: the full view would count every member before the page is read.
    if (!this.read.groupRef(groupId)) throw new DownstreamError(404, 'not_found', `group "${groupId}" not found`);
    return pageOf(this.read.memberPage(groupId, after, limit + 1), limit, (m) => m.id);
  }
}

function pageOf<T>(rows: T[], limit: number, key: (t: T) => string): Page<T> {
  const more = rows.length > limit;
  const data = more ? rows.slice(0, limit) : rows;
  const last = data[data.length - 1];
  return { data, nextCursor: more && last ? key(last) : null };
}
