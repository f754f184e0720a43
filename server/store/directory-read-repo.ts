import type Database from 'better-sqlite3';
import type { Db } from './db.js';

interface UserViewRow {
  id: string;
  user_name: string;
  external_id: string | null;
  active: number;
  data: string;
  role: string | null;
  role_group: string | null;
  last_modified: string;
}

interface GroupViewRow {
  id: string;
  display_name: string;
  external_id: string | null;
  last_modified: string;
  member_count: number;
}

/** A user as a downstream application sees it: the directory's answer, not the SCIM resource. */
export interface AppUser {
  id: string;
  userName: string;
  externalId: string | null;
  active: boolean;
  displayName: string | null;
  emails: { value: string; type: string | null; primary: boolean }[];
  role: string | null;
  /** The mapped group whose mapping decided the role. */
  roleSource: string | null;
  /** Direct and nested-through memberships, by name. */
  groups: { id: string; displayName: string }[];
  updatedAt: string;
}

export interface AppGroup {
  id: string;
  displayName: string;
  externalId: string | null;
  memberCount: number;
  updatedAt: string;
}

/** A group as an event names it: what a member event carries, read without counting members. */
export type AppGroupRef = Pick<AppGroup, 'id' | 'displayName'>;

export interface AppMember {
  type: 'user' | 'group';
  id: string;
  /** userName for a user, displayName for a group. */
  name: string;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function emailsOf(data: Record<string, unknown>): AppUser['emails'] {
  const list = Array.isArray(data.emails) ? data.emails : [];
  return list
    .filter(isObj)
    .flatMap((e) =>
      typeof e.value === 'string'
        ? [{ value: e.value, type: typeof e.type === 'string' ? e.type : null, primary: e.primary === true }]
        : [],
    );
}

const GROUP_COLS = `g.id, g.display_name, g.external_id, g.last_modified,
  (SELECT COUNT(*) FROM group_users gu WHERE gu.group_id = g.id) + (SELECT COUNT(*) FROM group_groups gg WHERE gg.group_id = g.id) AS member_count`;

const toGroup = (r: GroupViewRow): AppGroup => ({
  id: r.id,
  displayName: r.display_name,
  externalId: r.external_id,
  memberCount: r.member_count,
  updatedAt: r.last_modified,
});

/**
 * The read side for downstream applications (the read API and the change feed's `data`): keyset
 * pages ordered by id, never OFFSET, and the groups of a page of users in one batched query.
 */
export class DirectoryReadRepo {
  private readonly usersByIds;
  private readonly groupsOfUsers;
  private readonly groupById;
  private readonly groupRefById;
  private readonly membersStmt;
  private readonly pages = new Map<string, Database.Statement<unknown[]>>();
  private readonly groupPageStmt;

  constructor(private readonly db: Db) {
    this.usersByIds = db.prepare<[string], UserViewRow>(
      `SELECT id, user_name, external_id, active, data, role, role_group, last_modified FROM users
       WHERE id IN (SELECT value FROM json_each(?))`,
    );
    // Direct groups, then every ancestor through nesting (RFC 7643 §4.1.2), for a whole page at once.
    this.groupsOfUsers = db.prepare<[string], { user_id: string; id: string; display_name: string }>(
      `WITH RECURSIVE m(user_id, group_id) AS (
         SELECT user_id, group_id FROM group_users WHERE user_id IN (SELECT value FROM json_each(?))
         UNION
         SELECT m.user_id, gg.group_id FROM group_groups gg JOIN m ON gg.member_group_id = m.group_id
       )
       SELECT m.user_id, g.id, g.display_name FROM m JOIN groups g ON g.id = m.group_id ORDER BY g.display_name, g.id`,
    );
    this.groupPageStmt = db.prepare<[string, number], GroupViewRow>(
      `SELECT ${GROUP_COLS} FROM groups g WHERE g.id > ? ORDER BY g.id LIMIT ?`,
    );
    this.groupById = db.prepare<[string], GroupViewRow>(`SELECT ${GROUP_COLS} FROM groups g WHERE g.id = ?`);
    this.groupRefById = db.prepare<[string], AppGroupRef>('SELECT id, display_name AS displayName FROM groups WHERE id = ?');
    this.membersStmt = db.prepare<[string, string, string, number], { type: 'user' | 'group'; id: string; name: string }>(
      `SELECT * FROM (
         SELECT 'user' AS type, u.id, u.user_name AS name FROM group_users gu JOIN users u ON u.id = gu.user_id WHERE gu.group_id = ?
         UNION ALL
         SELECT 'group' AS type, g.id, g.display_name AS name FROM group_groups gg JOIN groups g ON g.id = gg.member_group_id WHERE gg.group_id = ?
       ) WHERE id > ? ORDER BY id LIMIT ?`,
    );
  }

  /** The application view of each id that exists, in the order given. */
  users(ids: readonly string[]): AppUser[] {
    if (ids.length === 0) return [];
    const json = JSON.stringify(ids);
    const rows = new Map(this.usersByIds.all(json).map((r) => [r.id, r]));
    const groups = new Map<string, AppUser['groups']>();
    for (const g of this.groupsOfUsers.all(json)) {
      const list = groups.get(g.user_id) ?? [];
      if (!list.some((x) => x.id === g.id)) list.push({ id: g.id, displayName: g.display_name });
      groups.set(g.user_id, list);
    }
    return ids.flatMap((id) => {
      const r = rows.get(id);
      if (!r) return [];
      const data = JSON.parse(r.data) as Record<string, unknown>;
      return [
        {
          id: r.id,
          userName: r.user_name,
          externalId: r.external_id,
          active: r.active === 1,
          displayName: typeof data.displayName === 'string' ? data.displayName : null,
          emails: emailsOf(data),
          role: r.role,
          roleSource: r.role_group,
          groups: groups.get(r.id) ?? [],
          updatedAt: r.last_modified,
        },
      ];
    });
  }

  /** The full view: its memberCount reads every member row, so its cost grows with the group. */
  group(id: string): AppGroup | undefined {
    const r = this.groupById.get(id);
    return r && toGroup(r);
  }

  /** id and displayName by primary key: the same cost at any group size (a member event, an existence check). */
  groupRef(id: string): AppGroupRef | undefined {
    return this.groupRefById.get(id);
  }

  /** A keyset page of user ids after `after` (exclusive), optionally by role ('none' = no role) and active. */
  userPage(after: string, limit: number, filter: { role?: string; active?: boolean }): AppUser[] {
    const where = ['id > ?'];
    const params: unknown[] = [after];
    if (filter.role === 'none') where.push('role IS NULL');
    else if (filter.role !== undefined) {
      where.push('role = ?');
      params.push(filter.role);
    }
    if (filter.active !== undefined) where.push(`active = ${filter.active ? 1 : 0}`);
    // A handful of shapes (role given or not, active given or not): the LIMIT stays a parameter.
    const text = `SELECT id FROM users WHERE ${where.join(' AND ')} ORDER BY id LIMIT ?`;
    const ids = this.statement(text)
      .pluck()
      .all(...params, limit) as string[];
    return this.users(ids);
  }

  groupPage(after: string, limit: number): AppGroup[] {
    return this.groupPageStmt.all(after, limit).map(toGroup);
  }

  memberPage(groupId: string, after: string, limit: number): AppMember[] {
    return this.membersStmt.all(groupId, groupId, after, limit);
  }

  private statement(text: string): Database.Statement<unknown[]> {
    let s = this.pages.get(text);
    if (!s) {
      s = this.db.prepare<unknown[]>(text);
      this.pages.set(text, s);
    }
    return s;
  }
}
