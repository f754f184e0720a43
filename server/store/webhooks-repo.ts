import type { DeadLetterItem, WebhookAttemptItem } from '../console/contract.js';
import { type Db, inTransaction } from './db.js';

interface EndpointRow {
  id: string;
  label: string;
  url: string;
  events: string;
  enabled: number;
  failing: number;
  created_at: string;
  cursor: number;
  attempts: number;
  first_failure_at: string | null;
  next_attempt_at: string | null;
  last_delivery_at: string | null;
  last_status: number | null;
}

export interface StoredEndpoint {
  id: string;
  label: string;
  url: string;
  /** Type patterns: "user.*", "group.member_added", "*". */
  events: string[];
  enabled: boolean;
  failing: boolean;
  createdAt: string;
  /** The last event id this endpoint received or skipped past. */
  cursor: number;
  /** Failed attempts of the event at the head of the queue. */
  attempts: number;
  firstFailureAt: string | null;
  nextAttemptAt: string | null;
  lastDeliveryAt: string | null;
  lastStatus: number | null;
}

const toEndpoint = (r: EndpointRow): StoredEndpoint => ({
  id: r.id,
  label: r.label,
  url: r.url,
  events: JSON.parse(r.events) as string[],
  enabled: r.enabled === 1,
  failing: r.failing === 1,
  createdAt: r.created_at,
  cursor: r.cursor,
  attempts: r.attempts,
  firstFailureAt: r.first_failure_at,
  nextAttemptAt: r.next_attempt_at,
  lastDeliveryAt: r.last_delivery_at,
  lastStatus: r.last_status,
});

interface AttemptRow {
  id: number;
  endpoint_id: string;
  event_id: number;
  event_type: string;
  time: string;
  status: number | null;
  latency_ms: number;
  error: string | null;
  response_excerpt: string | null;
}

const toAttempt = (r: AttemptRow): WebhookAttemptItem => ({
  id: r.id,
  endpointId: r.endpoint_id,
  eventId: r.event_id,
  eventType: r.event_type,
  time: r.time,
  status: r.status,
  latencyMs: r.latency_ms,
  error: r.error,
  responseExcerpt: r.response_excerpt,
});

interface DeadRow {
  endpoint_id: string;
  event_id: number;
  event_type: string;
  dead_at: string;
  attempts: number;
  last_error: string | null;
  requeued: number;
}

const toDead = (r: DeadRow): DeadLetterItem => ({
  endpointId: r.endpoint_id,
  eventId: r.event_id,
  eventType: r.event_type,
  deadAt: r.dead_at,
  attempts: r.attempts,
  lastError: r.last_error,
  requeued: r.requeued === 1,
});

/** Webhook endpoints, their secrets, delivery state, attempts and dead letters. */
export class WebhooksRepo {
  private readonly s;

  constructor(private readonly db: Db) {
    this.s = {
      insert: db.prepare(
        `INSERT INTO webhook_endpoints (id, label, url, events, created_at, cursor)
         VALUES (@id, @label, @url, @events, @createdAt, @cursor)`,
      ),
      get: db.prepare<[string], EndpointRow>('SELECT * FROM webhook_endpoints WHERE id = ?'),
      list: db.prepare<[], EndpointRow>('SELECT * FROM webhook_endpoints ORDER BY created_at, id'),
      anyEnabled: db.prepare<[], { one: number }>('SELECT 1 AS one FROM webhook_endpoints WHERE enabled = 1 LIMIT 1'),
      remove: db.prepare('DELETE FROM webhook_endpoints WHERE id = ?'),
      setEnabled: db.prepare(
        'UPDATE webhook_endpoints SET enabled = ?, attempts = 0, first_failure_at = NULL, next_attempt_at = NULL WHERE id = ?',
      ),
      insertSecret: db.prepare('INSERT INTO webhook_secrets (endpoint_id, secret, created_at, expires_at) VALUES (?, ?, ?, NULL)'),
      expireSecrets: db.prepare(
        'UPDATE webhook_secrets SET expires_at = ? WHERE endpoint_id = ? AND (expires_at IS NULL OR expires_at > ?)',
      ),
      liveSecrets: db.prepare<[string, string], { secret: string }>(
        'SELECT secret FROM webhook_secrets WHERE endpoint_id = ? AND (expires_at IS NULL OR expires_at > ?) ORDER BY id DESC',
      ),
      delivered: db.prepare(
        `UPDATE webhook_endpoints SET cursor = MAX(cursor, @cursor), attempts = 0, first_failure_at = NULL, next_attempt_at = NULL,
         failing = 0, last_delivery_at = @at, last_status = @status WHERE id = @id`,
      ),
      skip: db.prepare('UPDATE webhook_endpoints SET cursor = MAX(cursor, ?) WHERE id = ? AND attempts = 0'),
      failed: db.prepare(
        `UPDATE webhook_endpoints SET attempts = attempts + 1, first_failure_at = COALESCE(first_failure_at, @at),
         next_attempt_at = @next, last_delivery_at = @at, last_status = @status WHERE id = @id`,
      ),
      giveUp: db.prepare(
        `UPDATE webhook_endpoints SET cursor = MAX(cursor, @cursor), attempts = 0, first_failure_at = NULL, next_attempt_at = NULL,
         failing = 1, last_delivery_at = @at, last_status = @status WHERE id = @id`,
      ),
      rewind: db.prepare(
        'UPDATE webhook_endpoints SET cursor = ?, attempts = 0, first_failure_at = NULL, next_attempt_at = NULL WHERE id = ?',
      ),
      attempt: db.prepare(
        `INSERT INTO webhook_attempts (endpoint_id, event_id, event_type, time, status, latency_ms, error, response_excerpt)
         VALUES (@endpointId, @eventId, @eventType, @time, @status, @latencyMs, @error, @responseExcerpt)`,
      ),
      attempts: db.prepare<[string, number], AttemptRow>('SELECT * FROM webhook_attempts WHERE endpoint_id = ? ORDER BY id DESC LIMIT ?'),
      attemptsOfEvent: db.prepare<[string, number], AttemptRow>(
        'SELECT * FROM webhook_attempts WHERE endpoint_id = ? AND event_id = ? ORDER BY id',
      ),
      pruneAttempts: db.prepare(
        'DELETE FROM webhook_attempts WHERE id IN (SELECT id FROM webhook_attempts WHERE time < ? ORDER BY id LIMIT ?)',
      ),
      dead: db.prepare(
        `INSERT INTO webhook_dead_letters (endpoint_id, event_id, event_type, dead_at, attempts, last_error, requeued)
         VALUES (?, ?, ?, ?, ?, ?, 0)
         ON CONFLICT (endpoint_id, event_id) DO UPDATE SET dead_at = excluded.dead_at, attempts = attempts + excluded.attempts,
           last_error = excluded.last_error, requeued = 0`,
      ),
      deadList: db.prepare<[string, number], DeadRow>('SELECT * FROM webhook_dead_letters WHERE endpoint_id = ? ORDER BY event_id LIMIT ?'),
      deadCount: db.prepare('SELECT COUNT(*) FROM webhook_dead_letters WHERE endpoint_id = ?').pluck(),
      requeueAll: db.prepare('UPDATE webhook_dead_letters SET requeued = 1 WHERE endpoint_id = ?'),
      nextRequeued: db.prepare<[string], DeadRow>(
        'SELECT * FROM webhook_dead_letters WHERE endpoint_id = ? AND requeued = 1 ORDER BY event_id LIMIT 1',
      ),
      undead: db.prepare('DELETE FROM webhook_dead_letters WHERE endpoint_id = ? AND event_id = ?'),
      minCursor: db.prepare('SELECT MIN(cursor) FROM webhook_endpoints').pluck(),
      settle: db.prepare(
        `UPDATE webhook_endpoints SET attempts = 0, first_failure_at = NULL, next_attempt_at = NULL, failing = @failing,
         last_delivery_at = @at, last_status = @status WHERE id = @id`,
      ),
    };
  }

  insert(e: { id: string; label: string; url: string; events: string[]; createdAt: string; cursor: number }, secret: string): void {
    inTransaction(this.db, () => {
      this.s.insert.run({ ...e, events: JSON.stringify(e.events) });
      this.s.insertSecret.run(e.id, secret, e.createdAt);
    });
  }

  get(id: string): StoredEndpoint | undefined {
    const r = this.s.get.get(id);
    return r && toEndpoint(r);
  }

  list(): StoredEndpoint[] {
    return this.s.list.all().map(toEndpoint);
  }

  /** Whether any endpoint would take a delivery (one indexed-free probe of a tiny table). */
  anyEnabled(): boolean {
    return this.s.anyEnabled.get() !== undefined;
  }

  remove(id: string): boolean {
    return this.s.remove.run(id).changes > 0;
  }

  setEnabled(id: string, enabled: boolean): boolean {
    return this.s.setEnabled.run(enabled ? 1 : 0, id).changes > 0;
  }

  /** Adds a secret; the ones live until now expire at `graceUntil` (a rotation's overlap). */
  rotateSecret(id: string, secret: string, at: string, graceUntil: string): void {
    inTransaction(this.db, () => {
      this.s.expireSecrets.run(graceUntil, id, graceUntil);
      this.s.insertSecret.run(id, secret, at);
    });
  }

  liveSecrets(id: string, at: string): string[] {
    return this.s.liveSecrets.all(id, at).map((r) => r.secret);
  }

  /** Success: the cursor moves to `eventId`, or a requeued dead letter is settled. */
  delivered(
    id: string,
    eventId: number,
    fromDeadLetters: boolean,
    at: string,
    status: number,
    attempt: Omit<WebhookAttemptItem, 'id'>,
  ): void {
    inTransaction(this.db, () => {
      this.s.attempt.run(attempt);
      if (fromDeadLetters) {
        this.s.undead.run(id, eventId);
        this.s.settle.run({ id, failing: 0, at, status });
      } else this.s.delivered.run({ id, cursor: eventId, at, status });
    });
  }

  /** Several successes of the queue in one transaction: their attempts, then the cursor. */
  deliveredBatch(id: string, attempts: readonly Omit<WebhookAttemptItem, 'id'>[], cursor: number, at: string, status: number): void {
    inTransaction(this.db, () => {
      for (const a of attempts) this.s.attempt.run(a);
      this.s.delivered.run({ id, cursor, at, status });
    });
  }

  /** Events the endpoint's filter does not want: the cursor moves past them without a delivery. */
  skipTo(id: string, eventId: number): void {
    this.s.skip.run(eventId, id);
  }

  failed(id: string, next: string, at: string, status: number | null, attempt: Omit<WebhookAttemptItem, 'id'>): void {
    inTransaction(this.db, () => {
      this.s.attempt.run(attempt);
      this.s.failed.run({ id, next, at, status });
    });
  }

  /** The retry window ran out: the event becomes a dead letter and the endpoint is failing. */
  deadLetter(
    id: string,
    event: { id: number; type: string },
    fromDeadLetters: boolean,
    attempts: number,
    at: string,
    status: number | null,
    attempt: Omit<WebhookAttemptItem, 'id'>,
  ): void {
    inTransaction(this.db, () => {
      this.s.attempt.run(attempt);
      this.s.dead.run(id, event.id, event.type, at, attempts, attempt.error ?? (status === null ? null : `HTTP ${status}`));
      if (fromDeadLetters) this.s.settle.run({ id, failing: 1, at, status });
      else this.s.giveUp.run({ id, cursor: event.id, at, status });
    });
  }

  /** `redeliver --from`: the queue restarts just before `eventId`. */
  rewind(id: string, cursor: number): boolean {
    return this.s.rewind.run(cursor, id).changes > 0;
  }

  recordAttempt(attempt: Omit<WebhookAttemptItem, 'id'>): void {
    this.s.attempt.run(attempt);
  }

  attempts(id: string, limit: number): WebhookAttemptItem[] {
    return this.s.attempts.all(id, limit).map(toAttempt);
  }

  attemptsOfEvent(id: string, eventId: number): WebhookAttemptItem[] {
    return this.s.attemptsOfEvent.all(id, eventId).map(toAttempt);
  }

  pruneAttempts(before: string, batch: number): number {
    return this.s.pruneAttempts.run(before, batch).changes;
  }

  deadLetters(id: string, limit: number): DeadLetterItem[] {
    return this.s.deadList.all(id, limit).map(toDead);
  }

  deadCount(id: string): number {
    return this.s.deadCount.get(id) as number;
  }

  requeueDeadLetters(id: string): number {
    return this.s.requeueAll.run(id).changes;
  }

  nextRequeued(id: string): DeadLetterItem | undefined {
    const r = this.s.nextRequeued.get(id);
    return r && toDead(r);
  }

  /** Dead letters whose event was pruned meanwhile can never be redelivered. */
  dropDeadLetter(id: string, eventId: number): void {
    this.s.undead.run(id, eventId);
  }

  /** The lowest cursor of any endpoint: retention keeps every event after it. */
  minCursor(): number | null {
    return (this.s.minCursor.get() as number | null) ?? null;
  }
}
