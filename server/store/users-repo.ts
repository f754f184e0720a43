import { caselessKey } from '../scim/caseless.js';
import type { JsonObject } from '../scim/json.js';
import type { Db } from './db.js';
import type { TableSpec } from './filter-sql.js';
import {
  type KeysetPageArgs,
  type KeysetPosition,
  keysetPage,
  limit,
  type SqlFragment,
  StatementCache,
  sql,
  USER_NAME_SQL,
} from './sql.js';

/** Raw row shape; private to the store. */
interface UserRow {
  id: string;
  user_name: string;
  external_id: string | null;
  active: number;
  data: string;
  created: string;
  last_modified: string;
  version: number;
}

export interface StoredUser {
  id: string;
  userName: string;
  externalId: string | null;
  active: boolean;
  /** Canonical SCIM attributes (userName, name, emails, extension under its URN …) without id/meta/groups/password. */
  data: JsonObject;
  created: string;
  lastModified: string;
  version: number;
}

export interface UserGroupRef {
  id: string;
  displayName: string;
  direct: boolean;
}

interface MemberDbRow {
  id: string;
  user_name: string;
  external_id: string | null;
  active: number;
  role: 'admin' | 'publisher' | 'member' | null;
  role_group: string | null;
  origin: 'scim' | 'admin';
  display_name: string | null;
}

export interface MemberRow {
  id: string;
  userName: string;
  displayName: string | null;
  externalId: string | null;
  active: boolean;
  role: 'admin' | 'publisher' | 'member' | null;
  groups: string[];
  roleSource: string | null;
  origin: 'scim' | 'admin';
}

export const USER_TABLE: TableSpec = {
  alias: 'u',
  columns: {
    id: { expr: 'u.id' },
    userName: { expr: 'u.user_name', nocase: true, caselessKey: 'u.user_name_key' },
    externalId: { expr: 'u.external_id' },
    active: { expr: 'u.active' },
    'meta.created': { expr: 'u.created' },
    'meta.lastModified': { expr: 'u.last_modified' },
    // Not stored, but a filter on it (root /.search) must see what meta.resourceType shows.
    'meta.resourceType': { expr: "'User'" },
  },
  related: {
    groups: (op) =>
      op === 'pr'
        ? 'EXISTS (SELECT 1 FROM group_users gu WHERE gu.user_id = u.id)'
        : // User.groups lists indirect memberships too (RFC 7643 §4.1.2), so the filter follows nesting:
          // members of the group or of any group nested in it, computed once per query.
          `u.id IN (WITH RECURSIVE sub(id) AS (SELECT ? UNION SELECT gg.member_group_id FROM group_groups gg JOIN sub ON gg.group_id = sub.id)
             SELECT gu.user_id FROM group_users gu JOIN sub ON gu.group_id = sub.id)`,
  },
};

const COLS = 'u.id, u.user_name, u.external_id, u.active, u.data, u.created, u.last_modified, u.version';

const toUser = (r: UserRow): StoredUser => ({
  id: r.id,
  userName: r.user_name,
  externalId: r.external_id,
  active: r.active === 1,
  data: JSON.parse(r.data) as JsonObject,
  created: r.created,
  lastModified: r.last_modified,
  version: r.version,
});

export class UsersRepo {
  private readonly dynamic: StatementCache;
  private readonly byId;
  private readonly byUserName;
  private readonly insertStmt;
  private readonly updateStmt;
  private readonly setPassword;
  private readonly deleteStmt;
  private readonly tombstoneStmt;
  private readonly groupsStmt;
  private readonly existsStmt;
  private readonly byExternalId;
  private readonly pageGroups;

  constructor(db: Db) {
    this.dynamic = new StatementCache(db);
    this.byId = db.prepare<[string], UserRow>(`SELECT ${COLS} FROM users u WHERE u.id = ?`);
    this.byUserName = db.prepare<[string], UserRow>(`SELECT ${COLS} FROM users u WHERE u.user_name_key = ?`);
    this.existsStmt = db.prepare<[string], { one: number }>('SELECT 1 AS one FROM users WHERE id = ?');
    this.byExternalId = db.prepare<[string], UserRow>(`SELECT ${COLS} FROM users u WHERE u.external_id = ? LIMIT 1`);
    this.pageGroups = db.prepare<[string], { user_id: string; display_name: string }>(
      `SELECT gu.user_id, g.display_name FROM group_users gu JOIN groups g ON g.id = gu.group_id
       WHERE gu.user_id IN (SELECT value FROM json_each(?)) ORDER BY g.display_name`,
    );
    this.insertStmt = db.prepare(
      `INSERT INTO users (id, user_name, user_name_key, external_id, active, data, password_hash, created, last_modified, version, origin)
       VALUES (@id, @userName, @userNameKey, @externalId, @active, @data, @passwordHash, @created, @lastModified, @version, @origin)`,
    );
    this.updateStmt = db.prepare(
      `UPDATE users SET user_name = @userName, user_name_key = @userNameKey, external_id = @externalId, active = @active, data = @data,
       last_modified = @lastModified, version = @version WHERE id = @id`,
    );
    this.setPassword = db.prepare('UPDATE users SET password_hash = ? WHERE id = ?');
    this.deleteStmt = db.prepare('DELETE FROM users WHERE id = ?');
    this.tombstoneStmt = db.prepare(
      `INSERT OR REPLACE INTO user_tombstones (id, user_name, external_id, data, created, deleted_at, deleted_by_request)
       SELECT id, user_name, external_id, data, created, ?, ? FROM users WHERE id = ?`,
    );
    // Direct groups from the join table, then every ancestor through nested groups (RFC 7643 §4.1.2).
    this.groupsStmt = db.prepare<[string], { id: string; display_name: string; direct: number }>(
      `WITH RECURSIVE anc(id, direct) AS (
         SELECT group_id, 1 FROM group_users WHERE user_id = ?
         UNION
         SELECT gg.group_id, 0 FROM group_groups gg JOIN anc ON gg.member_group_id = anc.id
       )
       SELECT g.id, g.display_name, MAX(anc.direct) AS direct FROM anc JOIN groups g ON g.id = anc.id
       GROUP BY g.id ORDER BY g.display_name`,
    );
  }

  get(id: string): StoredUser | undefined {
    const row = this.byId.get(id);
    return row && toUser(row);
  }

  exists(id: string): boolean {
    return this.existsStmt.get(id) !== undefined;
  }

  findByUserName(userName: string): StoredUser | undefined {
    const row = this.byUserName.get(caselessKey(userName));
    return row && toUser(row);
  }

  insert(u: StoredUser, passwordHash: string | null, origin: 'scim' | 'admin'): void {
    this.insertStmt.run({
      origin,
      id: u.id,
      userName: u.userName,
      userNameKey: caselessKey(u.userName),
      externalId: u.externalId,
      active: u.active ? 1 : 0,
      data: JSON.stringify(u.data),
      passwordHash,
      created: u.created,
      lastModified: u.lastModified,
      version: u.version,
    });
  }

  /** `passwordHash` undefined leaves the stored hash as it is. */
  update(u: StoredUser, passwordHash?: string): void {
    this.updateStmt.run({
      id: u.id,
      userName: u.userName,
      userNameKey: caselessKey(u.userName),
      externalId: u.externalId,
      active: u.active ? 1 : 0,
      data: JSON.stringify(u.data),
      lastModified: u.lastModified,
      version: u.version,
    });
    if (passwordHash !== undefined) this.setPassword.run(passwordHash, u.id);
  }

  delete(id: string, tombstone: { at: string; requestId: string | null } | null): boolean {
    if (tombstone) this.tombstoneStmt.run(tombstone.at, tombstone.requestId, id);
    return this.deleteStmt.run(id).changes > 0;
  }

  groupsOf(userId: string): UserGroupRef[] {
    return this.groupsStmt.all(userId).map((r) => ({ id: r.id, displayName: r.display_name, direct: r.direct === 1 }));
  }

  findByExternalId(externalId: string): StoredUser | undefined {
    const row = this.byExternalId.get(externalId);
    return row && toUser(row);
  }

  /**
   * A page of the members list with role, groups and the deciding mapping. The groups of the page
   * come from one batched query (no N+1), so a page costs the same at 100 or 100,000 users.
   */
  members(q: { id?: string; search?: string; role?: string; active?: boolean; offset?: number; limit?: number }): {
    total: number;
    items: MemberRow[];
  } {
    const where: string[] = [];
    const params: unknown[] = [];
    if (q.id) {
      where.push('u.id = ?');
      params.push(q.id);
    }
    if (q.search?.trim()) {
      const s = q.search.trim();
      where.push(`(u.user_name >= ? AND u.user_name < ? || char(1114111) OR instr(lower(coalesce(${USER_NAME_SQL}, '')), lower(?)) > 0)`);
      params.push(s, s, s);
    }
    if (q.role === 'none') where.push('u.role IS NULL');
    else if (q.role) {
      where.push('u.role = ?');
      params.push(q.role);
    }
    if (q.active !== undefined) {
      where.push('u.active = ?');
      params.push(q.active ? 1 : 0);
    }
    const clause = where.length ? ` WHERE ${where.join(' AND ')}` : '';
    const total = (this.dynamic.get(`SELECT count(*) AS n FROM users u${clause}`).get(...params) as { n: number }).n;
    const rows = this.dynamic
      .get(
        `SELECT u.id, u.user_name, u.external_id, u.active, u.role, u.role_group, u.origin,
                ${USER_NAME_SQL} AS display_name
         FROM users u${clause} ORDER BY u.user_name ${limit(Math.min(Math.max(Math.trunc(q.limit ?? 100), 1), 1000))} OFFSET ?`,
      )
      .all(...params, Math.max(q.offset ?? 0, 0)) as MemberDbRow[];
    const groups = new Map<string, string[]>();
    if (rows.length) {
      for (const g of this.pageGroups.all(JSON.stringify(rows.map((r) => r.id)))) {
        const list = groups.get(g.user_id) ?? [];
        list.push(g.display_name);
        groups.set(g.user_id, list);
      }
    }
    return {
      total,
      items: rows.map((r) => ({
        id: r.id,
        userName: r.user_name,
        displayName: r.display_name,
        externalId: r.external_id,
        active: r.active === 1,
        role: r.role,
        groups: groups.get(r.id) ?? [],
        roleSource: r.role_group,
        origin: r.origin,
      })),
    };
  }

  count(where: SqlFragment | null): number {
    const stmt = this.dynamic.get(`SELECT count(*) AS n FROM users u${where ? ` WHERE ${where.sql}` : ''}`);
    return (stmt.get(...(where?.params ?? [])) as { n: number }).n;
  }

  /** Users with active = true (the deprovisioning alarm's base). */
  countActive(): number {
    return this.count(sql('u.active = 1'));
  }

  list(where: SqlFragment | null, orderBy: string | null, descending: boolean, count: number, offset: number): StoredUser[] {
    // rowid breaks ties so pages stay stable under equal sort keys (RFC 7644 §3.4.2.4).
    const order = orderBy ? `${orderBy} ${descending ? 'DESC' : 'ASC'}, u.rowid` : 'u.rowid';
    const text = `SELECT ${COLS} FROM users u${where ? ` WHERE ${where.sql}` : ''} ORDER BY ${order} ${limit(count)} OFFSET ?`;
    const rows = this.dynamic.get(text).all(...(where?.params ?? []), offset) as UserRow[];
    return rows.map(toUser);
  }
  /** A cursor page (RFC 9865): `count` rows after `after`, each with the position the next page resumes from. */
  listAfter(...page: KeysetPageArgs): { item: StoredUser; at: KeysetPosition }[] {
    return keysetPage(this.dynamic, { cols: COLS, table: 'users', alias: 'u' }, toUser, ...page);
  }
}
