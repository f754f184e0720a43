import type { Db } from './db.js';

/** Raw row; private to the store. */
interface ChangeEventRow {
  id: number;
  type: string;
  occurred_at: string;
  request_id: string | null;
  actor_kind: string;
  token_id: string | null;
  data: string;
  previous: string | null;
  cause: string | null;
}

/** One row of the change feed, as stored. `data` and `previous` are JSON objects. */
export interface StoredChangeEvent {
  id: number;
  type: string;
  occurredAt: string;
  requestId: string | null;
  actorKind: string;
  tokenId: string | null;
  data: unknown;
  previous: unknown;
  /** user.role_changed: the group and mapping that decided it. */
  cause: unknown;
}

export type NewChangeEvent = Omit<StoredChangeEvent, 'id'>;

const toEvent = (r: ChangeEventRow): StoredChangeEvent => ({
  id: r.id,
  type: r.type,
  occurredAt: r.occurred_at,
  requestId: r.request_id,
  actorKind: r.actor_kind,
  tokenId: r.token_id,
  data: JSON.parse(r.data) as unknown,
  previous: r.previous === null ? null : (JSON.parse(r.previous) as unknown),
  cause: r.cause === null ? null : (JSON.parse(r.cause) as unknown),
});

/**
 * The outbox table. `append` runs inside the caller's write transaction (the directory's), so the
 * event commits or rolls back with the change. Pages are keyset reads on the integer primary key:
 * the cost of a page does not depend on how many events the feed holds.
 */
export class ChangeEventsRepo {
  private readonly insertStmt;
  private readonly pageStmt;
  private readonly oldestStmt;
  private readonly newestStmt;
  private readonly byRequestStmt;
  private readonly pruneStmt;
  private readonly countStmt;
  private readonly byIdStmt;
  private readonly afterTimeStmt;
  private readonly countTypesStmt;

  constructor(db: Db) {
    this.insertStmt = db.prepare(
      `INSERT INTO change_events (type, occurred_at, request_id, actor_kind, token_id, data, previous, cause)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.pageStmt = db.prepare<[number, number], ChangeEventRow>('SELECT * FROM change_events WHERE id > ? ORDER BY id LIMIT ?');
    this.oldestStmt = db.prepare('SELECT MIN(id) FROM change_events').pluck();
    // sqlite_sequence remembers the highest id ever handed out, even when every row was pruned.
    this.newestStmt = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'change_events'").pluck();
    this.byRequestStmt = db.prepare<[string, number], ChangeEventRow>(
      'SELECT * FROM change_events WHERE request_id = ? ORDER BY id LIMIT ?',
    );
    this.byIdStmt = db.prepare<[number], ChangeEventRow>('SELECT * FROM change_events WHERE id = ?');
    this.pruneStmt = db.prepare(
      `DELETE FROM change_events WHERE id IN (
         SELECT id FROM change_events WHERE id <= ? AND occurred_at < ? ORDER BY id LIMIT ?)`,
    );
    this.countStmt = db.prepare('SELECT COUNT(*) FROM change_events WHERE id > ? AND id <= ?').pluck();
    this.countTypesStmt = db
      .prepare('SELECT COUNT(*) FROM change_events WHERE id > ? AND type IN (SELECT value FROM json_each(?))')
      .pluck();
    this.afterTimeStmt = db.prepare<[number], { occurred_at: string }>(
      'SELECT occurred_at FROM change_events WHERE id > ? ORDER BY id LIMIT 1',
    );
  }

  append(e: NewChangeEvent): number {
    const r = this.insertStmt.run(
      e.type,
      e.occurredAt,
      e.requestId,
      e.actorKind,
      e.tokenId,
      JSON.stringify(e.data),
      e.previous === null || e.previous === undefined ? null : JSON.stringify(e.previous),
      e.cause === null || e.cause === undefined ? null : JSON.stringify(e.cause),
    );
    return Number(r.lastInsertRowid);
  }

  page(after: number, limit: number): StoredChangeEvent[] {
    return this.pageStmt.all(after, limit).map(toEvent);
  }

  get(id: number): StoredChangeEvent | undefined {
    const r = this.byIdStmt.get(id);
    return r && toEvent(r);
  }

  /** The smallest retained id, or null when the feed holds nothing. */
  oldestId(): number | null {
    return (this.oldestStmt.get() as number | null) ?? null;
  }

  /** The highest id ever assigned (0 before the first event), pruned or not. */
  newestId(): number {
    return (this.newestStmt.get() as number | undefined) ?? 0;
  }

  byRequest(requestId: string, limit = 1000): StoredChangeEvent[] {
    return this.byRequestStmt.all(requestId, limit).map(toEvent);
  }

  /** Events with after < id <= upTo. */
  countBetween(after: number, upTo: number): number {
    return this.countStmt.get(after, upTo) as number;
  }

  /** Events after `after` whose type is one of `types`. */
  countTypesAfter(after: number, types: readonly string[]): number {
    return this.countTypesStmt.get(after, JSON.stringify(types)) as number;
  }

  /** When the first event after `after` happened: an endpoint's lag in time. */
  firstTimeAfter(after: number): string | undefined {
    return this.afterTimeStmt.get(after)?.occurred_at;
  }

  /** Deletes up to `batch` events older than `before` whose id is at most `maxId`; returns how many. */
  prune(before: string, maxId: number, batch: number): number {
    return this.pruneStmt.run(maxId, before, batch).changes;
  }
}
