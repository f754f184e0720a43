import { caselessKey } from '../scim/caseless.js';
import type { JsonObject } from '../scim/json.js';
import type { Db } from './db.js';
import type { TableSpec } from './filter-sql.js';
import { type KeysetPageArgs, type KeysetPosition, keysetPage, limit, type SqlFragment, StatementCache } from './sql.js';

interface GroupRow {
  id: string;
  display_name: string;
  external_id: string | null;
  data: string;
  created: string;
  last_modified: string;
  version: number;
}

export interface StoredGroup {
  id: string;
  displayName: string;
  externalId: string | null;
  /** Canonical SCIM attributes without id/meta/members. */
  data: JsonObject;
  created: string;
  lastModified: string;
  version: number;
}

export interface GroupMember {
  value: string;
  type: 'User' | 'Group';
  display: string;
}

export const GROUP_TABLE: TableSpec = {
  alias: 'g',
  columns: {
    id: { expr: 'g.id' },
    displayName: { expr: 'g.display_name', nocase: true, caselessKey: 'g.display_name_key' },
    externalId: { expr: 'g.external_id' },
    'meta.created': { expr: 'g.created' },
    'meta.lastModified': { expr: 'g.last_modified' },
    'meta.resourceType': { expr: "'Group'" },
  },
  related: {
    members: (op) =>
      op === 'pr'
        ? '(EXISTS (SELECT 1 FROM group_users m WHERE m.group_id = g.id) OR EXISTS (SELECT 1 FROM group_groups m WHERE m.group_id = g.id))'
        : '(g.id IN (SELECT m.group_id FROM group_users m WHERE m.user_id = ?) OR g.id IN (SELECT m.group_id FROM group_groups m WHERE m.member_group_id = ?))',
  },
};

const COLS = 'g.id, g.display_name, g.external_id, g.data, g.created, g.last_modified, g.version';

const toGroup = (r: GroupRow): StoredGroup => ({
  id: r.id,
  displayName: r.display_name,
  externalId: r.external_id,
  data: JSON.parse(r.data) as JsonObject,
  created: r.created,
  lastModified: r.last_modified,
  version: r.version,
});

export class GroupsRepo {
  private readonly dynamic: StatementCache;
  private readonly byId;
  private readonly existsStmt;
  private readonly insertStmt;
  private readonly updateStmt;
  private readonly deleteStmt;
  private readonly membersStmt;
  private readonly addUser;
  private readonly addGroup;
  private readonly removeUser;
  private readonly removeGroup;
  private readonly clearUsers;
  private readonly clearGroups;
  private readonly isAncestor;
  private readonly descendantUsers;
  private readonly allMembershipsStmt;

  constructor(db: Db) {
    this.dynamic = new StatementCache(db);
    this.byId = db.prepare<[string], GroupRow>(`SELECT ${COLS} FROM groups g WHERE g.id = ?`);
    this.existsStmt = db.prepare<[string], { one: number }>('SELECT 1 AS one FROM groups WHERE id = ?');
    this.insertStmt = db.prepare(
      `INSERT INTO groups (id, display_name, display_name_key, external_id, data, created, last_modified, version)
       VALUES (@id, @displayName, @displayNameKey, @externalId, @data, @created, @lastModified, @version)`,
    );
    this.updateStmt = db.prepare(
      `UPDATE groups SET display_name = @displayName, display_name_key = @displayNameKey, external_id = @externalId, data = @data,
       last_modified = @lastModified, version = @version WHERE id = @id`,
    );
    this.deleteStmt = db.prepare('DELETE FROM groups WHERE id = ?');
    this.membersStmt = db.prepare<[string, string], { value: string; type: 'User' | 'Group'; display: string }>(
      `SELECT u.id AS value, 'User' AS type, coalesce(nullif(json_extract(u.data, '$.displayName'), ''), u.user_name) AS display
         FROM group_users m JOIN users u ON u.id = m.user_id WHERE m.group_id = ?
       UNION ALL
       SELECT c.id, 'Group', c.display_name FROM group_groups m JOIN groups c ON c.id = m.member_group_id WHERE m.group_id = ?`,
    );
    this.addUser = db.prepare('INSERT OR IGNORE INTO group_users (group_id, user_id) VALUES (?, ?)');
    this.addGroup = db.prepare('INSERT OR IGNORE INTO group_groups (group_id, member_group_id) VALUES (?, ?)');
    this.removeUser = db.prepare('DELETE FROM group_users WHERE group_id = ? AND user_id = ?');
    this.removeGroup = db.prepare('DELETE FROM group_groups WHERE group_id = ? AND member_group_id = ?');
    this.clearUsers = db.prepare('DELETE FROM group_users WHERE group_id = ? RETURNING user_id');
    this.clearGroups = db.prepare('DELETE FROM group_groups WHERE group_id = ?');
    // Users in the group or in any group nested inside it: whose access a change to it can move.
    this.descendantUsers = db.prepare<[string], { user_id: string }>(
      `WITH RECURSIVE d(id) AS (SELECT ? UNION SELECT gg.member_group_id FROM group_groups gg JOIN d ON gg.group_id = d.id)
       SELECT DISTINCT gu.user_id FROM group_users gu JOIN d ON gu.group_id = d.id`,
    );
    this.allMembershipsStmt = db.prepare<[], { groupId: string; memberId: string; memberType: 'User' | 'Group' }>(
      `SELECT group_id AS groupId, user_id AS memberId, 'User' AS memberType FROM group_users
       UNION ALL SELECT group_id, member_group_id, 'Group' FROM group_groups`,
    );
    // Would adding `child` under `parent` close a cycle? True when parent already descends from child.
    this.isAncestor = db.prepare<[string, string], { one: number }>(
      `WITH RECURSIVE d(id) AS (SELECT ? UNION SELECT gg.member_group_id FROM group_groups gg JOIN d ON gg.group_id = d.id)
       SELECT 1 AS one FROM d WHERE id = ? LIMIT 1`,
    );
  }

  get(id: string): StoredGroup | undefined {
    const row = this.byId.get(id);
    return row && toGroup(row);
  }

  exists(id: string): boolean {
    return this.existsStmt.get(id) !== undefined;
  }

  insert(g: StoredGroup): void {
    this.insertStmt.run({ ...this.params(g), created: g.created });
  }

  update(g: StoredGroup): void {
    this.updateStmt.run(this.params(g));
  }

  private params(g: StoredGroup) {
    return {
      id: g.id,
      displayName: g.displayName,
      displayNameKey: caselessKey(g.displayName),
      externalId: g.externalId,
      data: JSON.stringify(g.data),
      lastModified: g.lastModified,
      version: g.version,
    };
  }

  delete(id: string): boolean {
    return this.deleteStmt.run(id).changes > 0;
  }

  members(groupId: string): GroupMember[] {
    return this.membersStmt.all(groupId, groupId);
  }

  descendantUserIds(groupId: string): string[] {
    return this.descendantUsers.all(groupId).map((r) => r.user_id);
  }

  /** Adds one member; returns false when the pair already existed. Cost is one index probe. */
  addUserMember(groupId: string, userId: string): boolean {
    return this.addUser.run(groupId, userId).changes > 0;
  }

  addGroupMember(groupId: string, childId: string): boolean {
    return this.addGroup.run(groupId, childId).changes > 0;
  }

  /** Every membership edge of the directory, streamed (the export reads it once, front to back). */
  allMemberships(): IterableIterator<{ groupId: string; memberId: string; memberType: 'User' | 'Group' }> {
    return this.allMembershipsStmt.iterate();
  }

  wouldCycle(parentId: string, childId: string): boolean {
    return this.isAncestor.get(childId, parentId) !== undefined;
  }

  removeMember(groupId: string, memberId: string): { user: boolean; group: boolean } {
    return {
      user: this.removeUser.run(groupId, memberId).changes > 0,
      group: this.removeGroup.run(groupId, memberId).changes > 0,
    };
  }

  /** Removes every member; returns the user ids that left, so their roles can be recomputed. */
  clearMembers(groupId: string): string[] {
    const users = (this.clearUsers.all(groupId) as { user_id: string }[]).map((r) => r.user_id);
    this.clearGroups.run(groupId);
    return users;
  }

  count(where: SqlFragment | null): number {
    const stmt = this.dynamic.get(`SELECT count(*) AS n FROM groups g${where ? ` WHERE ${where.sql}` : ''}`);
    return (stmt.get(...(where?.params ?? [])) as { n: number }).n;
  }

  list(where: SqlFragment | null, orderBy: string | null, descending: boolean, count: number, offset: number): StoredGroup[] {
    const order = orderBy ? `${orderBy} ${descending ? 'DESC' : 'ASC'}, g.rowid` : 'g.rowid';
    const text = `SELECT ${COLS} FROM groups g${where ? ` WHERE ${where.sql}` : ''} ORDER BY ${order} ${limit(count)} OFFSET ?`;
    return (this.dynamic.get(text).all(...(where?.params ?? []), offset) as GroupRow[]).map(toGroup);
  }
  /** A cursor page (RFC 9865): `count` rows after `after`, each with the position the next page resumes from. */
  listAfter(...page: KeysetPageArgs): { item: StoredGroup; at: KeysetPosition }[] {
    return keysetPage(this.dynamic, { cols: COLS, table: 'groups', alias: 'g' }, toGroup, ...page);
  }
}
