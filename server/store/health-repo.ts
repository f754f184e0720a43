import type { Db } from './db.js';

/**
 * The outcome kinds the SQL below produces. The console contract declares the same union
 * (HealthErrorKind); the health service hands these rows to it, so the compiler checks they agree.
 */
export type StoredErrorKind =
  | 'token-expired'
  | 'token-revoked'
  | 'unauthorized'
  | 'token-request-failed'
  | 'conflict'
  | 'invalid-filter'
  | 'bad-request'
  | 'not-found'
  | 'precondition-failed'
  | 'rate-limited'
  | 'server-error'
  | 'other';

/** One group of the health aggregate (simulated traffic, the console's "Test sync", is left out): a credential, a raw user agent and an outcome kind. */
export interface HealthGroup {
  tokenId: string | null;
  userAgent: string | null;
  kind: StoredErrorKind | 'ok';
  /** Requests in the whole window (24 h). */
  count: number;
  /** Of those, requests in the last cycle. */
  cycleCount: number;
  /** The newest event of the group. */
  exampleId: number;
  lastAt: string;
}

/**
 * Classifies a stored event in SQL, so the aggregate groups by outcome without moving rows to JS.
 * A GET answered 404 is an answer ("no such user"), not a failure; IdPs probe like that on purpose.
 * invalidFilter is read from the stored response body, only for the 400 rows of the window.
 */
const KIND = `CASE
  WHEN e.status < 400 OR (e.status = 404 AND e.method = 'GET') THEN 'ok'
  WHEN e.status = 429 THEN 'rate-limited'
  WHEN e.status >= 500 THEN 'server-error'
  WHEN substr(e.path, 1, length(@oauthPath)) = @oauthPath THEN 'token-request-failed'
  WHEN e.status = 401 AND instr(e.notes, 'authentication failed: expired') > 0 THEN 'token-expired'
  WHEN e.status = 401 AND instr(e.notes, 'authentication failed: revoked') > 0 THEN 'token-revoked'
  WHEN e.status IN (401, 403) THEN 'unauthorized'
  WHEN e.status = 409 THEN 'conflict'
  WHEN e.status = 400 AND (SELECT instr(p.response_body, '"scimType":"invalidFilter"') FROM event_payloads p WHERE p.event_id = e.id) > 0
    THEN 'invalid-filter'
  WHEN e.status = 400 THEN 'bad-request'
  WHEN e.status = 404 THEN 'not-found'
  WHEN e.status = 412 THEN 'precondition-failed'
  ELSE 'other'
END`;

/** Read-only aggregates over the event log for provisioning health; every query starts at a window's first id. */
export class HealthRepo {
  private readonly groupsStmt;
  private readonly lastOkStmt;
  private readonly recentAlertStmt;
  private readonly pingStmt;

  constructor(db: Db) {
    this.pingStmt = db.prepare('SELECT 1 AS ok');
    this.groupsStmt = db.prepare<
      { fromId: number; cycleId: number; oauthPath: string },
      {
        token_id: string | null;
        user_agent: string | null;
        kind: HealthGroup['kind'];
        n: number;
        n_cycle: number;
        example: number;
        last_at: string;
      }
    >(
      `SELECT token_id, user_agent, kind, count(*) AS n, sum(id >= @cycleId) AS n_cycle, max(id) AS example, max(time) AS last_at
       FROM (SELECT e.id, e.time, e.token_id, e.user_agent, ${KIND} AS kind FROM events e WHERE e.id >= @fromId AND e.simulated = 0)
       GROUP BY token_id, user_agent, kind`,
    );
    // Walks ix_events_token_id backwards from the window start and stops at the first success.
    this.lastOkStmt = db.prepare<[string, number], { time: string }>(
      'SELECT time FROM events WHERE token_id = ? AND id < ? AND status < 400 ORDER BY id DESC LIMIT 1',
    );
    this.recentAlertStmt = db.prepare<[string, string, string], { id: number }>(
      `SELECT id FROM alerts WHERE kind = 'provisioning-health' AND time > ? AND severity = ? AND json_extract(data, '$.idp') = ? LIMIT 1`,
    );
  }

  /** A trivial read: throws when the database cannot answer (the readiness probe). */
  ping(): void {
    this.pingStmt.get();
  }

  /** The window's events grouped by credential, user agent and outcome; `cycleId` splits off the last cycle. */
  groups(fromId: number, cycleId: number, oauthPath: string): HealthGroup[] {
    return this.groupsStmt.all({ fromId, cycleId, oauthPath }).map((r) => ({
      tokenId: r.token_id,
      userAgent: r.user_agent,
      kind: r.kind,
      count: r.n,
      cycleCount: r.n_cycle,
      exampleId: r.example,
      lastAt: r.last_at,
    }));
  }

  /** The credential's last success before `beforeId`, for IdPs with none inside the window. */
  lastSuccessBefore(tokenId: string, beforeId: number): string | null {
    return this.lastOkStmt.get(tokenId, beforeId)?.time ?? null;
  }

  /** Was a health alert of this severity raised for this IdP since `since`? */
  alertedSince(idp: string, severity: string, since: string): boolean {
    return this.recentAlertStmt.get(since, severity, idp) !== undefined;
  }
}
