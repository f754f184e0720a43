import type { AuditEntry, MappingRow, MappingWarning, Role, RoleCandidate, RoleDelta } from '../console/contract.js';
import type { ChangeSink } from '../delivery/outbox.js';
import type { RequestContext } from '../events/request-context.js';
import { InputError } from '../input-error.js';
import { type Db, inTransaction } from '../store/db.js';
import type { RolesRepo } from '../store/roles-repo.js';

/** admin > publisher > member (organization admin, can publish, read-only/install). */
export const ROLE_RANK: Record<Role, number> = { admin: 3, publisher: 2, member: 1 };
export const ROLES: readonly Role[] = ['admin', 'publisher', 'member'];
export const isRole = (v: unknown): v is Role => v === 'admin' || v === 'publisher' || v === 'member';

/** Who or what caused an access change, for the audit trail. */
export interface Actor {
  kind: 'scim' | 'console' | 'cli' | 'auto';
  requestId: string | null;
  tokenId: string | null;
}

export const actorOf = (ctx: RequestContext): Actor => ({ kind: ctx.actor, requestId: ctx.requestId, tokenId: ctx.tokenId });

export interface RoleDecision {
  role: Role | null;
  /** The mapped group that decided the role, when there is one. */
  group: string | null;
  candidates: RoleCandidate[];
  /** Why there is no role despite candidates. */
  suspended: boolean;
}

export type { MappingWarning, RoleDelta };

/** The highest-privilege mapped group wins; ties go to the alphabetically first name, so it is stable. */
export function decide(candidates: RoleCandidate[], active: boolean): RoleDecision {
  let best: RoleCandidate | undefined;
  for (const c of candidates) {
    if (!best || ROLE_RANK[c.role] > ROLE_RANK[best.role] || (c.role === best.role && c.groupName < best.groupName)) best = c;
  }
  if (!active) return { role: null, group: null, candidates, suspended: true };
  return { role: best?.role ?? null, group: best?.groupName ?? null, candidates, suspended: false };
}

class PreviewRollback extends Error {}

/** Case and whitespace folded: "Localskills-admins " and "localskills-admins" are near misses. */
const fold = (name: string): string => name.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * Role resolution. Every change that can alter access calls `recompute` inside its own write
 * transaction with just the users whose membership, activity or mapping changed, so the cost follows
 * the change and never the directory size. Each change writes an audit row with its cause.
 */
export class RoleService {
  constructor(
    private readonly db: Db,
    private readonly repo: RolesRepo,
    private readonly now: () => Date,
    /** The change feed: a mapping edit's role changes are events too (issue #14). */
    private readonly outbox?: Pick<ChangeSink, 'roleChanges'>,
  ) {}

  /** Must run inside a transaction. Returns the changes made. */
  recompute(userIds: Iterable<string>, actor: Actor): RoleDelta[] {
    const deltas: RoleDelta[] = [];
    const at = this.now().toISOString();
    for (const id of new Set(userIds)) {
      const cur = this.repo.currentRole(id);
      if (!cur) continue; // deleted in this request: it holds nothing any more
      const d = decide(this.repo.candidatesFor(id), cur.active);
      if (d.role === cur.role && d.group === cur.roleGroup) continue;
      this.repo.setUserRole(id, d.role, d.group);
      if (d.role === cur.role) continue; // same role, now decided by another group
      deltas.push({ userId: id, userName: cur.userName, from: cur.role, to: d.role, group: d.group ?? cur.roleGroup });
      this.repo.audit({
        time: at,
        kind: 'role.changed',
        userId: id,
        userName: cur.userName,
        oldRole: cur.role,
        newRole: d.role,
        groupName: d.group ?? cur.roleGroup,
        mapping: d.group ? `${d.group} → ${d.role}` : null,
        detail: cur.active ? null : { reason: 'suspended' },
        actor: actor.kind,
        requestId: actor.requestId,
        tokenId: actor.tokenId,
      });
    }
    return deltas;
  }

  /** Roles of users deleted in this request: audit the loss (the row is gone, so recompute can't). */
  auditDeleted(userId: string, userName: string, role: Role | null, actor: Actor): void {
    if (!role) return;
    this.repo.audit({
      time: this.now().toISOString(),
      kind: 'role.changed',
      userId,
      userName,
      oldRole: role,
      newRole: null,
      groupName: null,
      mapping: null,
      detail: { reason: 'deleted' },
      actor: actor.kind,
      requestId: actor.requestId,
      tokenId: actor.tokenId,
    });
  }

  explain(userId: string): RoleDecision | undefined {
    const cur = this.repo.currentRole(userId);
    if (!cur) return undefined;
    return decide(this.repo.candidatesFor(userId), cur.active);
  }

  mappings(): MappingRow[] {
    return this.repo.mappings();
  }

  /** Every group display name in the directory, for the mapping editor's suggestions. */
  allGroupNames(): string[] {
    return this.repo.allGroupNames();
  }

  /** Sets (role) or removes (null) a mapping and recomputes the users it can affect, in one transaction. */
  setMapping(groupName: string, role: Role | null, actor: Actor): RoleDelta[] {
    return inTransaction(this.db, () => this.applyMapping(groupName, role, actor));
  }

  /** What `setMapping` would do, computed by doing it and rolling back. */
  preview(groupName: string, role: Role | null): RoleDelta[] {
    let deltas: RoleDelta[] = [];
    try {
      inTransaction(this.db, () => {
        deltas = this.applyMapping(groupName, role, { kind: 'console', requestId: null, tokenId: null });
        throw new PreviewRollback();
      });
    } catch (e) {
      if (!(e instanceof PreviewRollback)) throw e;
    }
    return deltas;
  }

  private applyMapping(groupName: string, role: Role | null, actor: Actor): RoleDelta[] {
    if (!groupName) throw new InputError('a mapping needs a group displayName');
    const before = this.repo.mapping(groupName);
    const at = this.now().toISOString();
    if (role) this.repo.putMapping(groupName, role, at);
    else if (!this.repo.removeMapping(groupName)) throw new InputError(`no mapping for group "${groupName}"`);
    this.repo.audit({
      time: at,
      kind: role ? 'mapping.set' : 'mapping.removed',
      userId: null,
      userName: null,
      oldRole: before?.role ?? null,
      newRole: role,
      groupName,
      mapping: role ? `${groupName} → ${role}` : null,
      detail: null,
      actor: actor.kind,
      requestId: actor.requestId,
      tokenId: actor.tokenId,
    });
    // Sorted so previews and CLI output read the same on every run.
    const deltas = this.recompute(this.repo.userIdsInGroupNamed(groupName), actor).sort((a, b) => a.userName.localeCompare(b.userName));
    this.outbox?.roleChanges(deltas, actor);
    return deltas;
  }

  /**
   * Mappings that grant nothing they look like they should: a group that differs only by case or
   * whitespace (matching is exact, so it grants nothing), a mapped group that does not exist, or one
   * the IdP renamed away from the mapped name.
   */
  warnings(): MappingWarning[] {
    const groups = this.repo.allGroupNames();
    const exact = new Set(groups);
    const out: MappingWarning[] = [];
    for (const m of this.repo.mappings()) {
      for (const g of groups) {
        if (g !== m.groupName && fold(g) === fold(m.groupName)) {
          out.push({
            kind: 'near-miss',
            mapping: m.groupName,
            group: g,
            message: `group "${g}" differs from mapping "${m.groupName}" only by case or spacing; it grants no role`,
          });
        }
      }
      if (exact.has(m.groupName)) continue;
      const to = this.repo.renamedFrom(m.groupName);
      if (to !== undefined)
        out.push({
          kind: 'renamed',
          mapping: m.groupName,
          group: to,
          message: `mapped group "${m.groupName}" was renamed to "${to}" by the IdP`,
        });
      else out.push({ kind: 'missing', mapping: m.groupName, message: `no group named "${m.groupName}" has been pushed by the IdP` });
    }
    return out;
  }

  history(userId: string, limit = 100): AuditEntry[] {
    return this.repo.auditOf(userId, limit);
  }
}
