import type { EventFilter } from '../console/contract.js';
import type { EventPayloads, EventQuery, EventsRepo, StoredEvent } from '../store/events-repo.js';
import { csvCell } from './csv.js';

export type { EventFilter, StoredEvent };

export interface EventPage {
  items: StoredEvent[];
  /** Pass as `before` to get the next (older) page; null at the end. */
  nextCursor: number | null;
}

export type EventDetail = StoredEvent & EventPayloads;

const CSV_COLUMNS = [
  'id',
  'time',
  'requestId',
  'method',
  'path',
  'status',
  'latencyMs',
  'tokenId',
  'sourceIp',
  'userAgent',
  'resourceType',
  'resourceId',
  'userName',
  'notes',
  'changes',
  'requestBody',
  'responseBody',
  // Added later (migration 0009): appended, so existing CSV consumers keep their column positions.
  'requestBodyReceived',
  'responseHeaders',
] as const;

export class EventLogService {
  constructor(
    private readonly repo: EventsRepo,
    /** Writes queued exchanges first, so a read sees every request that has finished. */
    private readonly beforeRead: () => void = () => {},
    /** Resolves a token reference (label, prefix or id) to its id; throws when it names none or several. */
    private readonly resolveToken: (ref: string) => string = (ref) => ref,
  ) {}

  /**
   * The smallest id whose time is ≥ `time`: a binary search over the primary key, because ids grow
   * with time. Costs O(log n) point reads instead of an index on time that every insert would pay for.
   */
  idAtTime(time: string): number | null {
    this.beforeRead();
    const b = this.repo.bounds();
    if (b?.lo == null || b.hi == null) return null;
    let lo = b.lo;
    let hi = b.hi + 1;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      const row = this.repo.firstAtOrAfter(mid);
      if (!row) {
        hi = mid;
        continue;
      }
      if (row.time >= time) hi = Math.min(mid, row.id);
      else lo = row.id + 1;
    }
    return lo > b.hi ? null : lo;
  }

  private toQuery(f: EventFilter, before: number | undefined, limit: number): EventQuery | null {
    let upper = before;
    let lower: number | undefined;
    if (f.until) {
      const id = this.idAtTime(f.until);
      if (id !== null) upper = upper === undefined ? id : Math.min(upper, id);
    }
    if (f.since) {
      const id = this.idAtTime(f.since);
      if (id === null) return null; // nothing that recent
      lower = id;
    }
    return {
      before: upper,
      after: lower === undefined ? undefined : lower - 1,
      statusClass: f.statusClass,
      statuses: f.statuses,
      method: f.method,
      resourceType: f.resourceType,
      resourceId: f.resourceId,
      userName: f.userName,
      tokenId: f.tokenRef === undefined ? f.tokenId : this.resolveToken(f.tokenRef),
      requestId: f.requestId,
      text: f.text,
      limit,
    };
  }

  /** Newest first, keyset-paged: a page costs the same at any depth of a million-row log. */
  list(f: EventFilter = {}, opts: { before?: number; limit?: number } = {}): EventPage {
    this.beforeRead();
    const limit = Math.min(Math.max(Math.trunc(opts.limit ?? 100), 1), 1000);
    const q = this.toQuery(f, opts.before, limit + 1);
    if (!q) return { items: [], nextCursor: null };
    const rows = this.repo.list(q);
    const items = rows.slice(0, limit);
    return { items, nextCursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
  }

  /**
   * Every request that touched one user or group, failed ones included, with their derived changes:
   * newest first, keyset-paged like `list`.
   */
  timeline(resourceId: string, opts: { before?: number; limit?: number } = {}): EventPage {
    this.beforeRead();
    const limit = Math.min(Math.max(Math.trunc(opts.limit ?? 100), 1), 1000);
    const rows = this.repo.timeline(resourceId, opts.before, limit + 1);
    const items = rows.slice(0, limit);
    return { items, nextCursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
  }

  get(id: number): EventDetail | undefined {
    this.beforeRead();
    return this.repo.get(id);
  }

  /**
   * Streams every event matching the filter, newest first, in pages of 500: memory stays flat at any
   * size, and `progress` reports the count written so far.
   */
  async export(
    f: EventFilter,
    format: 'jsonl' | 'csv',
    write: (chunk: string) => Promise<void> | void,
    progress: (written: number) => void = () => {},
  ): Promise<number> {
    let before: number | undefined;
    let written = 0;
    if (format === 'csv') await write(`${CSV_COLUMNS.join(',')}\n`);
    for (;;) {
      const page = this.list(f, { before, limit: 500 });
      // One payload read per page, not one per event.
      const payloads = this.repo.payloads(page.items.map((e) => e.id));
      let chunk = '';
      for (const e of page.items) {
        const p = payloads.get(e.id);
        // Every event is written with its payload row; a missing one was pruned since the page was read.
        if (!p) continue;
        const full: EventDetail = { ...e, ...p };
        if (format === 'jsonl') chunk += `${JSON.stringify(full)}\n`;
        else chunk += `${CSV_COLUMNS.map((c) => csvCell(full[c])).join(',')}\n`;
      }
      if (chunk) await write(chunk);
      written += page.items.length;
      progress(written);
      if (page.nextCursor === null) return written;
      before = page.nextCursor;
      // Yield between pages so a large export never starves SCIM requests.
      await new Promise((r) => setImmediate(r));
    }
  }

  /**
   * One retention step: deletes at most `batch` events older than the age limit, or (when the
   * database is over its size budget) the oldest `batch` events. Returns how many went, so the caller
   * can keep stepping in small transactions without holding the write lock for long.
   */
  pruneStep(now: Date, maxAgeDays: number, maxBytes: number, batch = 500): number {
    const aged = this.pruneAged(now, maxAgeDays, batch);
    if (aged > 0) return aged;
    return this.excessRows(maxBytes) > 0 ? this.repo.pruneOldest(batch) : 0;
  }

  /** Deletes at most `batch` events older than the age limit; returns how many went. */
  pruneAged(now: Date, maxAgeDays: number, batch = 500): number {
    const cutoff = new Date(now.getTime() - maxAgeDays * 86_400_000).toISOString();
    return this.repo.pruneOlderThan(cutoff, batch);
  }

  /**
   * How many of the oldest events must go for the event tables (not the whole database) to fit in
   * `maxBytes`: measured once, so a pass pays for one walk of the event pages, not one per batch.
   */
  excessRows(maxBytes: number): number {
    this.beforeRead();
    const used = this.repo.eventBytes();
    if (used <= maxBytes) return 0;
    const rows = this.repo.approxRows();
    // Down to 90% of the budget: deleted rows leave part-filled pages, and the slack keeps the next
    // passes from pruning a few rows every time.
    return Math.max(1, Math.ceil((rows * (used - 0.9 * maxBytes)) / used));
  }

  /** Deletes the oldest `batch` events, whatever their age. */
  pruneOldestStep(batch = 500): number {
    return this.repo.pruneOldest(batch);
  }
}
