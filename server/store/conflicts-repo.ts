import type { Conflict as ContractConflict } from '../console/contract.js';
import type { Db } from './db.js';

interface ConflictRow {
  id: number;
  time: string;
  user_name: string;
  external_id: string | null;
  existing_user_id: string;
  payload: string;
  request_id: string | null;
  status: 'open' | 'linked' | 'dismissed';
  resolved_at: string | null;
  dismiss_reason: string | null;
}

/** A stored conflict: the contract's, without the member sides the service joins in. */
export type Conflict = Omit<ContractConflict, 'existing' | 'incoming'>;

const toConflict = (r: ConflictRow): Conflict => ({
  id: r.id,
  time: r.time,
  userName: r.user_name,
  externalId: r.external_id,
  existingUserId: r.existing_user_id,
  payload: JSON.parse(r.payload) as unknown,
  requestId: r.request_id,
  status: r.status,
  resolvedAt: r.resolved_at,
  dismissReason: r.dismiss_reason,
});

export class ConflictsRepo {
  private readonly insertStmt;
  private readonly openForUser;
  private readonly byId;
  private readonly listStmt;
  private readonly resolveStmt;
  private readonly countOpen;

  constructor(db: Db) {
    this.insertStmt = db.prepare(
      `INSERT INTO conflicts (time, user_name, external_id, existing_user_id, payload, request_id)
       VALUES (@time, @userName, @externalId, @existingUserId, @payload, @requestId)`,
    );
    this.openForUser = db.prepare<[string, string | null], { id: number }>(
      "SELECT id FROM conflicts WHERE status = 'open' AND existing_user_id = ? AND external_id IS ? LIMIT 1",
    );
    this.byId = db.prepare<[number], ConflictRow>('SELECT * FROM conflicts WHERE id = ?');
    this.listStmt = db.prepare<[string, number], ConflictRow>('SELECT * FROM conflicts WHERE status = ? ORDER BY id DESC LIMIT ?');
    this.resolveStmt = db.prepare("UPDATE conflicts SET status = ?, resolved_at = ?, dismiss_reason = ? WHERE id = ? AND status = 'open'");
    this.countOpen = db.prepare<[], { n: number }>("SELECT count(*) AS n FROM conflicts WHERE status = 'open'");
  }

  /** Records a conflict once: an IdP retrying the same create does not fill the queue. */
  record(c: Omit<Conflict, 'id' | 'status' | 'resolvedAt' | 'dismissReason'>): number {
    const existing = this.openForUser.get(c.existingUserId, c.externalId);
    if (existing) return existing.id;
    return Number(this.insertStmt.run({ ...c, payload: JSON.stringify(c.payload) }).lastInsertRowid);
  }

  get(id: number): Conflict | undefined {
    const r = this.byId.get(id);
    return r && toConflict(r);
  }

  list(status: Conflict['status'], limit: number): Conflict[] {
    return this.listStmt.all(status, limit).map(toConflict);
  }

  /** Closes an open conflict; a dismissal carries the admin's reason. False when it was not open. */
  resolve(id: number, status: 'linked' | 'dismissed', at: string, reason: string | null = null): boolean {
    return this.resolveStmt.run(status, at, reason, id).changes > 0;
  }

  openCount(): number {
    return this.countOpen.get()?.n ?? 0;
  }
}
