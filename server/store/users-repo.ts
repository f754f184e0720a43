import type { JsonObject } from '../scim/json.js';
import type { Db } from './db.js';
import type { TableSpec } from './filter-sql.js';
import { type SqlFragment, StatementCache } from './sql.js';

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

export const USER_TABLE: TableSpec = {
  alias: 'u',
  columns: {
    id: { expr: 'u.id' },
    userName: { expr: 'u.user_name', nocase: true },
    externalId: { expr: 'u.external_id' },
    active: { expr: 'u.active' },
    'meta.created': { expr: 'u.created' },
    'meta.lastModified': { expr: 'u.last_modified' },
  },
  related: {
    groups: (op) =>
      op === 'pr'
        ? 'EXISTS (SELECT 1 FROM group_users gu WHERE gu.user_id = u.id)'
        : 'EXISTS (SELECT 1 FROM group_users gu WHERE gu.user_id = u.id AND gu.group_id = ?)',
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

  constructor(db: Db) {
    this.dynamic = new StatementCache(db);
    this.byId = db.prepare<[string], UserRow>(`SELECT ${COLS} FROM users u WHERE u.id = ?`);
    this.byUserName = db.prepare<[string], UserRow>(`SELECT ${COLS} FROM users u WHERE u.user_name = ?`);
    this.existsStmt = db.prepare<[string], { one: number }>('SELECT 1 AS one FROM users WHERE id = ?');
    this.insertStmt = db.prepare(
      `INSERT INTO users (id, user_name, external_id, active, data, password_hash, created, last_modified, version)
       VALUES (@id, @userName, @externalId, @active, @data, @passwordHash, @created, @lastModified, @version)`,
    );
    this.updateStmt = db.prepare(
      `UPDATE users SET user_name = @userName, external_id = @externalId, active = @active, data = @data,
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
    const row = this.byUserName.get(userName);
    return row && toUser(row);
  }

  insert(u: StoredUser, passwordHash: string | null): void {
    this.insertStmt.run({
      id: u.id,
      userName: u.userName,
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

  count(where: SqlFragment | null): number {
    const stmt = this.dynamic.get(`SELECT count(*) AS n FROM users u${where ? ` WHERE ${where.sql}` : ''}`);
    return (stmt.get(...(where?.params ?? [])) as { n: number }).n;
  }

  list(where: SqlFragment | null, orderBy: string | null, descending: boolean, limit: number, offset: number): StoredUser[] {
    // rowid breaks ties so pages stay stable under equal sort keys (RFC 7644 §3.4.2.4).
    const order = orderBy ? `${orderBy} ${descending ? 'DESC' : 'ASC'}, u.rowid` : 'u.rowid';
    const text = `SELECT ${COLS} FROM users u${where ? ` WHERE ${where.sql}` : ''} ORDER BY ${order} LIMIT ? OFFSET ?`;
    const rows = this.dynamic.get(text).all(...(where?.params ?? []), limit, offset) as UserRow[];
    return rows.map(toUser);
  }
}
