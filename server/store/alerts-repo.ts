import type { Alert } from '../console/contract.js';
import type { Db } from './db.js';

interface AlertRow {
  id: number;
  time: string;
  kind: string;
  severity: Alert['severity'];
  message: string;
  data: string | null;
  acknowledged_at: string | null;
}

const toAlert = (r: AlertRow): Alert => ({
  id: r.id,
  time: r.time,
  kind: r.kind,
  severity: r.severity,
  message: r.message,
  data: r.data ? (JSON.parse(r.data) as unknown) : null,
  acknowledgedAt: r.acknowledged_at,
});

export class AlertsRepo {
  private readonly insertStmt;
  private readonly listStmt;
  private readonly lastOfKind;
  private readonly ackStmt;

  constructor(db: Db) {
    this.insertStmt = db.prepare('INSERT INTO alerts (time, kind, severity, message, data) VALUES (?, ?, ?, ?, ?)');
    this.listStmt = db.prepare<[number], AlertRow>('SELECT * FROM alerts ORDER BY id DESC LIMIT ?');
    this.lastOfKind = db.prepare<[string], { time: string }>('SELECT time FROM alerts WHERE kind = ? ORDER BY time DESC LIMIT 1');
    this.ackStmt = db.prepare('UPDATE alerts SET acknowledged_at = ? WHERE id = ? AND acknowledged_at IS NULL');
  }

  insert(a: Omit<Alert, 'id' | 'acknowledgedAt'>): Alert {
    const id = Number(
      this.insertStmt.run(a.time, a.kind, a.severity, a.message, a.data === null ? null : JSON.stringify(a.data)).lastInsertRowid,
    );
    return { ...a, id, acknowledgedAt: null };
  }

  list(limit: number): Alert[] {
    return this.listStmt.all(limit).map(toAlert);
  }

  lastTime(kind: string): string | undefined {
    return this.lastOfKind.get(kind)?.time;
  }

  acknowledge(id: number, at: string): boolean {
    return this.ackStmt.run(at, id).changes > 0;
  }
}
