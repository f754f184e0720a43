import type { AlertsService } from '../events/alerts.js';
import type { RequestContext } from '../events/request-context.js';
import type { RolesRepo } from '../store/roles-repo.js';
import { actorOf, type RoleService } from './roles.js';

export type LifecycleKind = 'user.created' | 'user.deactivated' | 'user.reactivated' | 'user.deleted' | 'member.linked';

/** What the directory tells the access model, always inside the request's write transaction. */
export interface AccessHooks {
  /** Users whose effective membership or activity may have changed: recompute their roles. */
  changed(userIds: readonly string[], ctx: RequestContext): void;
  /** A user is about to be deleted; the audit keeps the role it loses. */
  deleting(userId: string, ctx: RequestContext): void;
  /** Lifecycle steps go to the access audit, which event-log retention never prunes. */
  lifecycle(kind: LifecycleKind, user: { id: string; userName: string }, ctx: RequestContext, detail?: unknown): void;
  /** A group's displayName changed: kept so a mapping on the old name can say where it went. */
  groupRenamed(from: string, to: string, ctx: RequestContext): void;
}

export class AccessModel implements AccessHooks {
  constructor(
    private readonly roles: RoleService,
    private readonly repo: RolesRepo,
    private readonly alerts: AlertsService,
    private readonly now: () => Date,
  ) {}

  changed(userIds: readonly string[], ctx: RequestContext): void {
    for (const d of this.roles.recompute(userIds, actorOf(ctx))) {
      ctx.changes.push({
        kind: 'role.changed',
        userId: d.userId,
        from: d.from,
        to: d.to,
        group: d.group,
        mapping: d.group && d.to ? `${d.group} → ${d.to}` : null,
      });
    }
  }

  deleting(userId: string, ctx: RequestContext): void {
    const cur = this.repo.currentRole(userId);
    if (!cur?.role) return;
    this.roles.auditDeleted(userId, cur.userName, cur.role, actorOf(ctx));
    ctx.changes.push({ kind: 'role.changed', userId, from: cur.role, to: null, group: cur.roleGroup, mapping: null });
  }

  groupRenamed(from: string, to: string, ctx: RequestContext): void {
    this.audit('group.renamed', null, ctx, { from, to }, from);
  }

  lifecycle(kind: LifecycleKind, user: { id: string; userName: string }, ctx: RequestContext, detail: unknown = null): void {
    this.audit(kind, user, ctx, detail, null);
    // The simulator deletes what it created; that is not an IdP deprovisioning anyone.
    if ((kind === 'user.deactivated' || kind === 'user.deleted') && !ctx.simulated) this.alerts.deprovisioned();
  }

  private audit(
    kind: string,
    user: { id: string; userName: string } | null,
    ctx: RequestContext,
    detail: unknown,
    group: string | null,
  ): void {
    this.repo.audit({
      time: this.now().toISOString(),
      kind,
      userId: user?.id ?? null,
      userName: user?.userName ?? null,
      oldRole: null,
      newRole: null,
      groupName: group,
      mapping: null,
      detail,
      actor: ctx.actor,
      requestId: ctx.requestId,
      tokenId: ctx.tokenId,
    });
  }
}
