import type { EventRow as ContractEventRow } from '../console/contract.js';
import type { Db } from './db.js';
import { limit, StatementCache } from './sql.js';

interface EventRow {
  id: number;
  time: string;
  request_id: string;
  method: string;
  path: string;
  status: number;
  latency_ms: number;
  token_id: string | null;
  source_ip: string | null;
  user_agent: string | null;
  resource_type: string | null;
  resource_id: string | null;
  user_name: string | null;
  notes: string | null;
  changes: string | null;
  simulated: number;
}

/** One recorded exchange as listed: the contract's row, with the simulator flag always present. */
export interface StoredEvent extends ContractEventRow {
  /** Sent by the simulator (its token was flagged); its token row is gone after the run. */
  simulated: boolean;
}

export interface EventPayloads {
  requestHeaders: Record<string, string>;
  /** The body as the node read it: after the dialect layer's corrections, redacted. */
  requestBody: string | null;
  /** The body as the IdP sent it (redacted); null when identical to `requestBody` or not recorded. */
  requestBodyReceived: string | null;
  responseHeaders: Record<string, string>;
  responseBody: string | null;
}

/** What the recorder writes: the row (its id comes from SQLite) plus its payloads. */
export type NewEvent = Omit<StoredEvent, 'id' | 'simulated'> &
  Omit<EventPayloads, 'requestBodyReceived' | 'responseHeaders'> &
  // Optional: writers that record no wire view (rejected requests, aggregates) leave them out.
  Partial<Pick<EventPayloads, 'requestBodyReceived' | 'responseHeaders'>> & { simulated?: boolean };

export interface EventQuery {
  /** Return events with id < before (cursor for "older"). */
  before?: number;
  /** Return events with id > after. */
  after?: number;
  statusClass?: 2 | 3 | 4 | 5;
  /** Exact codes; OR-ed with statusClass when both are given. */
  statuses?: number[];
  method?: string;
  resourceType?: string;
  resourceId?: string;
  userName?: string;
  tokenId?: string;
  requestId?: string;
  /** Substring searched in the stored request and response bodies. */
  text?: string;
  limit: number;
}

const toEvent = (r: EventRow): StoredEvent => ({
  id: r.id,
  time: r.time,
  requestId: r.request_id,
  method: r.method,
  path: r.path,
  status: r.status,
  latencyMs: r.latency_ms,
  tokenId: r.token_id,
  sourceIp: r.source_ip,
  userAgent: r.user_agent,
  resourceType: r.resource_type,
  resourceId: r.resource_id,
  userName: r.user_name,
  simulated: r.simulated === 1,
  notes: r.notes ? (JSON.parse(r.notes) as string[]) : [],
  changes: r.changes ? (JSON.parse(r.changes) as unknown[]) : [],
});

interface PayloadRow {
  request_headers: string;
  request_body: string | null;
  request_body_received: string | null;
  response_headers: string | null;
  response_body: string | null;
}

const PAYLOAD_COLUMNS = 'request_headers, request_body, request_body_received, response_headers, response_body';

const toPayloads = (p: PayloadRow | undefined): EventPayloads => ({
  requestHeaders: p ? (JSON.parse(p.request_headers) as Record<string, string>) : {},
  requestBody: p?.request_body ?? null,
  requestBodyReceived: p?.request_body_received ?? null,
  responseHeaders: p?.response_headers ? (JSON.parse(p.response_headers) as Record<string, string>) : {},
  responseBody: p?.response_body ?? null,
});

/**
 * The resources an event touched besides its own `resourceId`, read from its derived changes: the
 * members a group PATCH added or removed and the users whose role changed.
 */
function touchedBy(e: Pick<StoredEvent, 'resourceId' | 'changes'>): string[] {
  const out = new Set<string>();
  for (const c of e.changes as Record<string, unknown>[]) {
    for (const key of ['memberId', 'userId', 'groupId']) {
      const v = c[key];
      if (typeof v === 'string' && v !== e.resourceId) out.add(v);
    }
  }
  return [...out];
}

export class EventsRepo {
  private readonly insertEvent;
  private readonly insertPayload;
  private readonly insertTouch;
  private readonly byId;
  private readonly payloadStmt;
  private readonly payloadsIn;
  private readonly boundsStmt;
  private readonly firstAtOrAfterStmt;
  private readonly pruneOldStmt;
  private readonly pruneOldestStmt;
  private readonly bytesStmt;
  private readonly spanStmt;
  private readonly timelineStmt;
  private readonly dynamic: StatementCache;

  constructor(db: Db) {
    this.dynamic = new StatementCache(db);
    // Positional parameters: the recorder writes thousands of these a second, and binding by
    // position skips a property lookup per named parameter.
    this.insertEvent = db.prepare(
      `INSERT INTO events (time, request_id, method, path, status, latency_ms, token_id, source_ip, user_agent,
        resource_type, resource_id, user_name, notes, changes, simulated)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertPayload = db.prepare(
      `INSERT INTO event_payloads (event_id, request_headers, request_body, request_body_received, response_headers, response_body)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.insertTouch = db.prepare<[string, number]>('INSERT OR IGNORE INTO event_touches (resource_id, event_id) VALUES (?, ?)');
    this.byId = db.prepare<[number], EventRow>('SELECT * FROM events WHERE id = ?');
    this.payloadStmt = db.prepare<[number], PayloadRow>(`SELECT ${PAYLOAD_COLUMNS} FROM event_payloads WHERE event_id = ?`);
    // One read per page of ids (a JSON array), so an export never looks payloads up one by one.
    this.payloadsIn = db.prepare<[string], PayloadRow & { event_id: number }>(
      `SELECT event_id, ${PAYLOAD_COLUMNS} FROM event_payloads
       WHERE event_id IN (SELECT value FROM json_each(?))`,
    );
    this.boundsStmt = db.prepare<[], { lo: number | null; hi: number | null }>('SELECT min(id) AS lo, max(id) AS hi FROM events');
    this.firstAtOrAfterStmt = db.prepare<[number], { id: number; time: string }>(
      'SELECT id, time FROM events WHERE id >= ? ORDER BY id LIMIT 1',
    );
    // Payload rows go with their events (ON DELETE CASCADE); the access audit lives elsewhere.
    this.pruneOldStmt = db.prepare<[string, number]>(
      'DELETE FROM events WHERE id IN (SELECT id FROM events WHERE time < ? ORDER BY id LIMIT ?)',
    );
    this.pruneOldestStmt = db.prepare<[number]>('DELETE FROM events WHERE id IN (SELECT id FROM events ORDER BY id LIMIT ?)');
    // The event log's own b-trees (tables and their indexes), not the whole file: a directory larger
    // than the event budget must not empty the log. dbstat's aggregate mode gives one row per b-tree.
    this.bytesStmt = db.prepare<[], { bytes: number }>(
      `SELECT coalesce(sum(pgsize - unused), 0) AS bytes FROM dbstat('main', 1)
       WHERE name IN (SELECT name FROM sqlite_schema WHERE tbl_name IN ('events', 'event_payloads'))`,
    );
    this.spanStmt = db.prepare<[], { rows: number }>('SELECT coalesce(max(id) - min(id) + 1, 0) AS rows FROM events');
    this.timelineStmt = db.prepare<[string, number, number, string, number, number, number], EventRow>(
      `SELECT * FROM (SELECT * FROM events WHERE resource_id = ? AND id < ? ORDER BY id DESC LIMIT ?)
       UNION
       SELECT * FROM (SELECT e.* FROM event_touches t JOIN events e ON e.id = t.event_id
                      WHERE t.resource_id = ? AND t.event_id < ? ORDER BY t.event_id DESC LIMIT ?)
       ORDER BY id DESC LIMIT ?`,
    );
  }

  insert(e: NewEvent): number {
    const info = this.insertEvent.run(
      e.time,
      e.requestId,
      e.method,
      e.path,
      e.status,
      e.latencyMs,
      e.tokenId,
      e.sourceIp,
      e.userAgent,
      e.resourceType,
      e.resourceId,
      e.userName,
      e.notes.length ? JSON.stringify(e.notes) : null,
      e.changes.length ? JSON.stringify(e.changes) : null,
      e.simulated ? 1 : 0,
    );
    const id = Number(info.lastInsertRowid);
    const headers = e.responseHeaders && Object.keys(e.responseHeaders).length ? JSON.stringify(e.responseHeaders) : null;
    this.insertPayload.run(id, JSON.stringify(e.requestHeaders), e.requestBody, e.requestBodyReceived ?? null, headers, e.responseBody);
    // Only membership and role changes touch other resources: most events add no row here.
    if (e.changes.length) for (const r of touchedBy(e)) this.insertTouch.run(r, id);
    return id;
  }

  get(id: number): (StoredEvent & EventPayloads) | undefined {
    const row = this.byId.get(id);
    if (!row) return undefined;
    return { ...toEvent(row), ...toPayloads(this.payloadStmt.get(id)) };
  }

  /** The payloads of many events in one read, keyed by event id (events without a payload row are absent). */
  payloads(ids: readonly number[]): Map<number, EventPayloads> {
    const out = new Map<number, EventPayloads>();
    if (ids.length === 0) return out;
    for (const r of this.payloadsIn.all(JSON.stringify(ids))) out.set(r.event_id, toPayloads(r));
    return out;
  }

  /** The smallest and largest event id, or nulls on an empty log. */
  bounds(): { lo: number | null; hi: number | null } {
    return this.boundsStmt.get() ?? { lo: null, hi: null };
  }

  /** The first event whose id is ≥ `id`. */
  firstAtOrAfter(id: number): { id: number; time: string } | undefined {
    return this.firstAtOrAfterStmt.get(id);
  }

  /** Deletes at most `batch` events older than `cutoff`, oldest first; returns how many went. */
  pruneOlderThan(cutoff: string, batch: number): number {
    return this.pruneOldStmt.run(cutoff, batch).changes;
  }

  /** Deletes the oldest `batch` events; returns how many went. */
  pruneOldest(batch: number): number {
    return this.pruneOldestStmt.run(batch).changes;
  }

  /** Bytes used by the event tables and their indexes (reads every page of them: call once per pass). */
  eventBytes(): number {
    return this.bytesStmt.get()?.bytes ?? 0;
  }

  /** Approximate row count without a scan: ids grow by one and are pruned oldest first. */
  approxRows(): number {
    return this.spanStmt.get()?.rows ?? 0;
  }

  /** Newest first, keyset-paged on id so a page costs the same at any depth. */
  list(q: EventQuery): StoredEvent[] {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: string, ...values: unknown[]) => {
      where.push(clause);
      params.push(...values);
    };
    if (q.before !== undefined) add('e.id < ?', q.before);
    if (q.after !== undefined) add('e.id > ?', q.after);
    if (q.method) add('e.method = ?', q.method.toUpperCase());
    if (q.resourceType) add('e.resource_type = ?', q.resourceType);
    if (q.resourceId) add('e.resource_id = ?', q.resourceId);
    if (q.userName) add('e.user_name = ?', q.userName);
    if (q.tokenId) add('e.token_id = ?', q.tokenId);
    if (q.requestId) add('e.request_id = ?', q.requestId);
    if (q.text) {
      add(
        'e.id IN (SELECT p.event_id FROM event_payloads p WHERE instr(p.request_body, ?) > 0 OR instr(p.response_body, ?) > 0)',
        q.text,
        q.text,
      );
    }
    // A class is a range on the id scan ("+e.status" keeps it off ix_events_status, through which it
    // would sort every 4xx). Exact codes are one index range each, already newest first: a page of
    // "400,409" costs a few index seeks at any depth, where "status IN (…)" would sort every match.
    // Both given: either matches (codes inside the class add nothing).
    const cls = q.statusClass;
    const codes = [...new Set(q.statuses ?? [])].filter((c) => Number.isInteger(c) && (cls === undefined || Math.floor(c / 100) !== cls));
    const range = cls === undefined ? null : { clause: '+e.status >= ? AND +e.status < ?', values: [cls * 100, cls * 100 + 100] };
    if (codes.length === 0)
      return range ? this.page([range.clause, ...where], [...range.values, ...params], q.limit) : this.page(where, params, q.limit);
    const parts = codes.map(() => `SELECT * FROM (${this.pageSql(['e.status = ?', ...where], q.limit)})`);
    const all: unknown[] = codes.flatMap((c) => [c, ...params]);
    if (range) {
      parts.push(`SELECT * FROM (${this.pageSql([range.clause, ...where], q.limit)})`);
      all.push(...range.values, ...params);
    }
    const text = `${parts.join(' UNION ALL ')} ORDER BY id DESC ${limit(q.limit)}`;
    return (this.dynamic.get(text).all(...all) as EventRow[]).map(toEvent);
  }

  private pageSql(where: readonly string[], n: number): string {
    return `SELECT e.* FROM events e${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY e.id DESC ${limit(n)}`;
  }

  private page(where: readonly string[], params: readonly unknown[], n: number): StoredEvent[] {
    return (this.dynamic.get(this.pageSql(where, n)).all(...params) as EventRow[]).map(toEvent);
  }

  /**
   * Every event that touched a resource, newest first and keyset-paged: its own requests (failed ones
   * included: a 409 or a failed PATCH names the resource too) and the group changes that named it.
   * Both halves are index ranges (ix_events_resource_id, event_touches' primary key).
   */
  timeline(resourceId: string, before: number | undefined, n: number): StoredEvent[] {
    const upper = before ?? Number.MAX_SAFE_INTEGER;
    return this.timelineStmt.all(resourceId, upper, n, resourceId, upper, n, n).map(toEvent);
  }
}
