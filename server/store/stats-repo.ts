import type { GroupMemberItem, GroupSummary } from '../console/contract.js';
import type { Db } from './db.js';
import { USER_NAME_SQL } from './sql.js';

export interface Counts {
  users: number;
  activeUsers: number;
  groups: number;
  activeTokens: number;
  openConflicts: number;
  unacknowledgedAlerts: number;
}

/** The directory sizes the Prometheus gauges report at scrape time. */
export interface MetricCounts {
  users: number;
  groups: number;
  tokens: number;
  events: number;
}

/** Read-only aggregates for the console overview and lists. */
export class StatsRepo {
  private readonly countsStmt;
  private readonly metricCountsStmt;
  private readonly trafficStmt;
  private readonly groupsStmt;
  private readonly groupsCount;
  private readonly membersPage;
  private readonly membersCount;

  constructor(db: Db) {
    this.countsStmt = db.prepare<[string], Counts>(
      `SELECT (SELECT count(*) FROM users) AS users,
              (SELECT count(*) FROM users WHERE active = 1) AS activeUsers,
              (SELECT count(*) FROM groups) AS groups,
              (SELECT count(*) FROM tokens WHERE revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)) AS activeTokens,
              (SELECT count(*) FROM conflicts WHERE status = 'open') AS openConflicts,
              (SELECT count(*) FROM alerts WHERE acknowledged_at IS NULL) AS unacknowledgedAlerts`,
    );
    // max-min+1 is exact without pruning gaps and never scans: events are pruned oldest-first.
    this.metricCountsStmt = db.prepare<[string], MetricCounts>(
      `SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM groups) AS groups,
              (SELECT count(*) FROM tokens WHERE revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)) AS tokens,
              (SELECT coalesce(max(id) - min(id) + 1, 0) FROM events) AS events`,
    );
    // Minutes are the first 16 characters of an ISO time ("2026-11-29T12:34").
    this.trafficStmt = db.prepare<[number], { minute: string; s2xx: number; s3xx: number; s4xx: number; s5xx: number }>(
      `SELECT substr(time, 1, 16) AS minute,
              sum(status BETWEEN 200 AND 299) AS s2xx, sum(status BETWEEN 300 AND 399) AS s3xx,
              sum(status BETWEEN 400 AND 499) AS s4xx, sum(status >= 500) AS s5xx
       FROM events WHERE id >= ? GROUP BY minute ORDER BY minute`,
    );
    const groupWhere = "WHERE (@search = '' OR instr(lower(g.display_name), lower(@search)) > 0)";
    this.groupsStmt = db.prepare<
      [{ search: string; limit: number; offset: number }],
      { id: string; display_name: string; external_id: string | null; member_count: number; role: GroupSummary['role'] }
    >(
      `SELECT g.id, g.display_name, g.external_id,
              (SELECT count(*) FROM group_users m WHERE m.group_id = g.id) + (SELECT count(*) FROM group_groups m WHERE m.group_id = g.id) AS member_count,
              (SELECT role FROM mappings mp WHERE mp.group_name = g.display_name COLLATE BINARY) AS role
       FROM groups g ${groupWhere} ORDER BY g.display_name LIMIT @limit OFFSET @offset`,
    );
    this.groupsCount = db.prepare<[{ search: string }], { n: number }>(`SELECT count(*) AS n FROM groups g ${groupWhere}`);
    this.membersPage = db.prepare<
      [{ id: string; limit: number; offset: number }],
      { value: string; type: 'User' | 'Group'; display: string; userName: string | null; active: number | null }
    >(
      `SELECT * FROM (
         SELECT u.id AS value, 'User' AS type, coalesce(${USER_NAME_SQL}, u.user_name) AS display, u.user_name AS userName, u.active
           FROM group_users m JOIN users u ON u.id = m.user_id WHERE m.group_id = @id
         UNION ALL
         SELECT c.id, 'Group', c.display_name, NULL, NULL FROM group_groups m JOIN groups c ON c.id = m.member_group_id WHERE m.group_id = @id
       ) ORDER BY display, value LIMIT @limit OFFSET @offset`,
    );
    this.membersCount = db.prepare<[{ id: string }], { n: number }>(
      'SELECT (SELECT count(*) FROM group_users WHERE group_id = @id) + (SELECT count(*) FROM group_groups WHERE group_id = @id) AS n',
    );
  }

  counts(now: string): Counts {
    return this.countsStmt.get(now) as Counts;
  }

  metricCounts(now: string): MetricCounts {
    return this.metricCountsStmt.get(now) as MetricCounts;
  }

  /** Requests per minute by status class, from the first event id of the window onwards. */
  traffic(fromId: number): { minute: string; s2xx: number; s3xx: number; s4xx: number; s5xx: number }[] {
    return this.trafficStmt.all(fromId);
  }

  groups(search: string, limit: number, offset: number): { total: number; items: GroupSummary[] } {
    const total = this.groupsCount.get({ search })?.n ?? 0;
    const items = this.groupsStmt.all({ search, limit, offset }).map((r) => ({
      id: r.id,
      displayName: r.display_name,
      externalId: r.external_id,
      memberCount: r.member_count,
      role: r.role,
    }));
    return { total, items };
  }

  groupMembers(groupId: string, limit: number, offset: number): { total: number; items: GroupMemberItem[] } {
    const items = this.membersPage
      .all({ id: groupId, limit, offset })
      .map((r) => ({ ...r, active: r.active === null ? null : r.active === 1 }));
    return { total: this.membersCount.get({ id: groupId })?.n ?? 0, items };
  }
}
