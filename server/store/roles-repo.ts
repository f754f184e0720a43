import type { AuditEntry, MappingRow, Role, RoleCandidate } from '../console/contract.js';
import type { Db } from './db.js';

export type NewAudit = Omit<AuditEntry, 'id'>;

interface AuditRow {
  id: number;
  time: string;
  kind: string;
  user_id: string | null;
  user_name: string | null;
  old_role: Role | null;
  new_role: Role | null;
  group_name: string | null;
  mapping: string | null;
  detail: string | null;
  actor: string;
  request_id: string | null;
  token_id: string | null;
}

const toAudit = (r: AuditRow): AuditEntry => ({
  id: r.id,
  time: r.time,
  kind: r.kind,
  userId: r.user_id,
  userName: r.user_name,
  oldRole: r.old_role,
  newRole: r.new_role,
  groupName: r.group_name,
  mapping: r.mapping,
  detail: r.detail ? (JSON.parse(r.detail) as unknown) : null,
  actor: r.actor,
  requestId: r.request_id,
  tokenId: r.token_id,
});

export class RolesRepo {
  private readonly candidates;
  private readonly current;
  private readonly setRole;
  private readonly listMappings;
  private readonly getMapping;
  private readonly upsertMapping;
  private readonly deleteMapping;
  private readonly insertAudit;
  private readonly auditForUser;
  private readonly usersInGroupNamed;
  private readonly groupNames;
  private readonly lastRename;

  constructor(db: Db) {
    // Every group the user is in, directly or through nesting, that a mapping names exactly.
    this.candidates = db.prepare<[string], { group_id: string; group_name: string; role: Role; direct: number }>(
      `WITH RECURSIVE anc(id, direct) AS (
         SELECT group_id, 1 FROM group_users WHERE user_id = ?
         UNION
         SELECT gg.group_id, 0 FROM group_groups gg JOIN anc ON gg.member_group_id = anc.id
       )
       SELECT g.id AS group_id, g.display_name AS group_name, m.role, MAX(anc.direct) AS direct
       FROM anc JOIN groups g ON g.id = anc.id JOIN mappings m ON m.group_name = g.display_name COLLATE BINARY
       GROUP BY g.id`,
    );
    this.current = db.prepare<[string], { user_name: string; active: number; role: Role | null; role_group: string | null }>(
      'SELECT user_name, active, role, role_group FROM users WHERE id = ?',
    );
    this.setRole = db.prepare('UPDATE users SET role = ?, role_group = ? WHERE id = ?');
    this.listMappings = db.prepare<[], { group_name: string; role: Role; created_at: string; updated_at: string }>(
      'SELECT group_name, role, created_at, updated_at FROM mappings ORDER BY group_name',
    );
    this.getMapping = db.prepare<[string], { group_name: string; role: Role; created_at: string; updated_at: string }>(
      'SELECT group_name, role, created_at, updated_at FROM mappings WHERE group_name = ?',
    );
    this.upsertMapping = db.prepare(
      `INSERT INTO mappings (group_name, role, created_at, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (group_name) DO UPDATE SET role = excluded.role, updated_at = excluded.updated_at`,
    );
    this.deleteMapping = db.prepare('DELETE FROM mappings WHERE group_name = ?');
    this.insertAudit = db.prepare(
      `INSERT INTO audit (time, kind, user_id, user_name, old_role, new_role, group_name, mapping, detail, actor, request_id, token_id)
       VALUES (@time, @kind, @userId, @userName, @oldRole, @newRole, @groupName, @mapping, @detail, @actor, @requestId, @tokenId)`,
    );
    this.auditForUser = db.prepare<[string, number], AuditRow>('SELECT * FROM audit WHERE user_id = ? ORDER BY id DESC LIMIT ?');
    // Users in the exactly-named group or any group nested inside it.
    this.usersInGroupNamed = db.prepare<[string], { user_id: string }>(
      `WITH RECURSIVE d(id) AS (
         SELECT id FROM groups WHERE display_name = ? COLLATE BINARY
         UNION SELECT gg.member_group_id FROM group_groups gg JOIN d ON gg.group_id = d.id
       )
       SELECT DISTINCT gu.user_id FROM group_users gu JOIN d ON gu.group_id = d.id`,
    );
    this.groupNames = db.prepare<[], { display_name: string }>('SELECT display_name FROM groups ORDER BY display_name');
    this.lastRename = db.prepare<[string], { to_name: string | null }>(
      "SELECT json_extract(detail, '$.to') AS to_name FROM audit WHERE kind = 'group.renamed' AND group_name = ? COLLATE BINARY ORDER BY id DESC LIMIT 1",
    );
  }

  allGroupNames(): string[] {
    return this.groupNames.all().map((r) => r.display_name);
  }

  /** The newest rename away from `name`, if the audit has one. */
  renamedFrom(name: string): string | undefined {
    return this.lastRename.get(name)?.to_name ?? undefined;
  }

  candidatesFor(userId: string): RoleCandidate[] {
    return this.candidates.all(userId).map((r) => ({ groupId: r.group_id, groupName: r.group_name, role: r.role, direct: r.direct === 1 }));
  }

  currentRole(userId: string): { userName: string; active: boolean; role: Role | null; roleGroup: string | null } | undefined {
    const r = this.current.get(userId);
    return r && { userName: r.user_name, active: r.active === 1, role: r.role, roleGroup: r.role_group };
  }

  setUserRole(userId: string, role: Role | null, group: string | null): void {
    this.setRole.run(role, group, userId);
  }

  mappings(): MappingRow[] {
    return this.listMappings
      .all()
      .map((r) => ({ groupName: r.group_name, role: r.role, createdAt: r.created_at, updatedAt: r.updated_at }));
  }

  mapping(groupName: string): MappingRow | undefined {
    const r = this.getMapping.get(groupName);
    return r && { groupName: r.group_name, role: r.role, createdAt: r.created_at, updatedAt: r.updated_at };
  }

  putMapping(groupName: string, role: Role, at: string): void {
    this.upsertMapping.run(groupName, role, at, at);
  }

  removeMapping(groupName: string): boolean {
    return this.deleteMapping.run(groupName).changes > 0;
  }

  userIdsInGroupNamed(groupName: string): string[] {
    return this.usersInGroupNamed.all(groupName).map((r) => r.user_id);
  }

  audit(entry: NewAudit): void {
    this.insertAudit.run({ ...entry, detail: entry.detail === null || entry.detail === undefined ? null : JSON.stringify(entry.detail) });
  }

  auditOf(userId: string, limit: number): AuditEntry[] {
    return this.auditForUser.all(userId, limit).map(toAudit);
  }
}
