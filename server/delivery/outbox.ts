import type { Change, RequestContext } from '../events/request-context.js';
import type { ChangeEventsRepo, StoredChangeEvent } from '../store/change-events-repo.js';
import type { AppGroup, AppGroupRef, AppUser, DirectoryReadRepo } from '../store/directory-read-repo.js';

export const CHANGE_EVENT_TYPES = [
  'user.created',
  'user.updated',
  'user.deactivated',
  'user.reactivated',
  'user.deleted',
  'user.role_changed',
  'group.created',
  'group.updated',
  'group.deleted',
  'group.member_added',
  'group.member_removed',
] as const;
export type ChangeEventType = (typeof CHANGE_EVENT_TYPES)[number];

export type ActorKind = 'scim' | 'console' | 'cli';

/** One event of the feed, exactly as the feed and a webhook delivery carry it. */
export interface ChangeEvent {
  id: number;
  type: string;
  occurredAt: string;
  requestId: string | null;
  actor: { kind: ActorKind; tokenId?: string };
  data: unknown;
  previous?: unknown;
  /** user.role_changed only: the mapped group and mapping that decided it. */
  cause?: unknown;
}

/** A role change made outside a SCIM request context (a mapping edit). */
export interface RoleChange {
  userId: string;
  from: string | null;
  to: string | null;
  group: string | null;
}

export interface ChangeActor {
  kind: ActorKind | 'auto';
  requestId: string | null;
  tokenId: string | null;
}

/** What the directory and the role service need: append inside their own write transaction. */
export interface ChangeSink {
  /** Must run inside the write transaction that made `changes`. */
  append(ctx: RequestContext, changes: readonly Change[]): void;
  /** Keeps how a resource looked before it is deleted, for the `*.deleted` event's data. */
  capture(ctx: RequestContext, kind: 'user' | 'group', id: string): void;
  /** Role changes of a mapping edit; must run inside its transaction. */
  roleChanges(changes: readonly RoleChange[], actor: ChangeActor): void;
}

type Draft = Omit<ChangeEvent, 'id' | 'occurredAt' | 'requestId' | 'actor'>;

export function toWire(e: StoredChangeEvent): ChangeEvent {
  const out: ChangeEvent = {
    id: e.id,
    type: e.type,
    occurredAt: e.occurredAt,
    requestId: e.requestId,
    actor: e.tokenId ? { kind: e.actorKind as ActorKind, tokenId: e.tokenId } : { kind: e.actorKind as ActorKind },
    data: e.data,
  };
  if (e.previous !== null) out.previous = e.previous;
  if (e.cause !== null) out.cause = e.cause;
  return out;
}

/**
 * The transactional outbox: turns the derived changes a write made into change events and appends
 * them in the same transaction. Driving it from `ctx.changes` (the list the event log already
 * keeps) means a write path that records a change cannot forget its event. `data` is read at the end
 * of the transaction, so it is the resource as the committed write leaves it.
 */
export class ChangeFeed implements ChangeSink {
  private readonly snapshots = new WeakMap<RequestContext, Map<string, AppUser | AppGroup>>();

  constructor(
    private readonly repo: ChangeEventsRepo,
    private readonly read: DirectoryReadRepo,
    private readonly now: () => Date,
    /** Called after each append (the delivery service wakes up on the next turn). */
    private readonly appended: () => void = () => {},
  ) {}

  capture(ctx: RequestContext, kind: 'user' | 'group', id: string): void {
    const view = kind === 'user' ? this.read.users([id])[0] : this.read.group(id);
    if (!view) return;
    let map = this.snapshots.get(ctx);
    if (!map) {
      map = new Map();
      this.snapshots.set(ctx, map);
    }
    map.set(id, view);
  }

  append(ctx: RequestContext, changes: readonly Change[]): void {
    if (changes.length === 0) return;
    const snaps = this.snapshots.get(ctx);
    const drafts = this.draft(changes, snaps);
    this.write(drafts, { kind: ctx.actor, requestId: ctx.requestId, tokenId: ctx.tokenId });
  }

  roleChanges(changes: readonly RoleChange[], actor: ChangeActor): void {
    if (changes.length === 0) return;
    const users = this.usersById(
      changes.map((c) => c.userId),
      undefined,
    );
    const drafts: Draft[] = changes.flatMap((c) => {
      const user = users.get(c.userId);
      return user ? [roleDraft(user, c.from, c.to, c.group)] : [];
    });
    this.write(drafts, actor);
  }

  private write(drafts: Draft[], actor: ChangeActor): void {
    if (drafts.length === 0) return;
    const occurredAt = this.now().toISOString();
    // 'auto' (a system step) has no caller of its own; it reads as the console that configured it.
    const kind: ActorKind = actor.kind === 'auto' ? 'console' : actor.kind;
    for (const d of drafts) {
      this.repo.append({
        type: d.type,
        occurredAt,
        requestId: actor.requestId,
        actorKind: kind,
        tokenId: actor.tokenId,
        data: d.data,
        previous: d.previous ?? null,
        cause: d.cause ?? null,
      });
    }
    this.appended();
  }

  private usersById(ids: string[], snaps: Map<string, AppUser | AppGroup> | undefined): Map<string, AppUser> {
    const out = new Map<string, AppUser>();
    for (const u of this.read.users([...new Set(ids)])) out.set(u.id, u);
    for (const id of ids) {
      const s = snaps?.get(id);
      if (!out.has(id) && s && 'userName' in s) out.set(id, s);
    }
    return out;
  }

  private groupOf(id: string, snaps: Map<string, AppUser | AppGroup> | undefined, cache: Map<string, AppGroup>): AppGroup | undefined {
    let g = cache.get(id);
    if (g) return g;
    const s = snaps?.get(id);
    g = this.read.group(id) ?? (s && !('userName' in s) ? s : undefined);
    if (g) cache.set(id, g);
    return g;
  }

  /**
   * A group as a member event names it (id and displayName). It never reads the full view: that
   * view's memberCount counts every member, which made a one-member PATCH on a 10,000-member group
   * cost ~600 µs more than on a 100-member one.
   */
  private groupRefOf(
    id: string,
    snaps: Map<string, AppUser | AppGroup> | undefined,
    full: Map<string, AppGroup>,
    cache: Map<string, AppGroupRef>,
  ): AppGroupRef | undefined {
    let g: AppGroupRef | undefined = full.get(id) ?? cache.get(id);
    if (g) return g;
    const s = snaps?.get(id);
    g = this.read.groupRef(id) ?? (s && !('userName' in s) ? s : undefined);
    if (g) cache.set(id, g);
    return g;
  }

  private draft(changes: readonly Change[], snaps: Map<string, AppUser | AppGroup> | undefined): Draft[] {
    const userIds = changes.flatMap((c) =>
      'userId' in c
        ? [c.userId]
        : c.kind === 'member.added' || c.kind === 'member.removed'
          ? c.memberType === 'User'
            ? [c.memberId]
            : []
          : [],
    );
    const users = this.usersById(userIds, snaps);
    const groups = new Map<string, AppGroup>();
    const refs = new Map<string, AppGroupRef>();
    const drafts: Draft[] = [];
    // Attribute-level updates of one resource in one write become one event with all of `previous`.
    const updates = new Map<string, Record<string, unknown>>();
    for (const c of changes) {
      switch (c.kind) {
        case 'user.created':
        case 'user.deactivated':
        case 'user.reactivated':
        case 'user.deleted': {
          const u = users.get(c.userId);
          if (u) drafts.push({ type: c.kind, data: c.kind === 'user.deleted' ? { ...u, active: false } : u });
          break;
        }
        case 'user.updated': {
          // The password is never part of what an application sees.
          if (c.attribute === 'password') break;
          const u = users.get(c.userId);
          if (!u) break;
          const key = `u:${c.userId}`;
          let prev = updates.get(key);
          if (!prev) {
            prev = {};
            updates.set(key, prev);
            drafts.push({ type: 'user.updated', data: u, previous: prev });
          }
          prev[c.attribute] = c.from;
          break;
        }
        case 'group.created':
        case 'group.deleted': {
          const g = this.groupOf(c.groupId, snaps, groups);
          if (g) drafts.push({ type: c.kind, data: g });
          break;
        }
        case 'group.updated': {
          const g = this.groupOf(c.groupId, snaps, groups);
          if (!g) break;
          const key = `g:${c.groupId}`;
          let prev = updates.get(key);
          if (!prev) {
            prev = {};
            updates.set(key, prev);
            drafts.push({ type: 'group.updated', data: g, previous: prev });
          }
          prev[c.attribute] = c.from;
          break;
        }
        case 'member.added':
        case 'member.removed': {
          const g = this.groupRefOf(c.groupId, snaps, groups, refs);
          const member =
            c.memberType === 'User'
              ? (() => {
                  const u = users.get(c.memberId);
                  return u && { type: 'user', id: u.id, userName: u.userName };
                })()
              : (() => {
                  const m = this.groupRefOf(c.memberId, snaps, groups, refs);
                  return m && { type: 'group', id: m.id, displayName: m.displayName };
                })();
          if (!g || !member) break;
          drafts.push({
            type: c.kind === 'member.added' ? 'group.member_added' : 'group.member_removed',
            data: { group: { id: g.id, displayName: g.displayName }, member },
          });
          break;
        }
        case 'role.changed': {
          const u = users.get(c.userId);
          if (u) drafts.push(roleDraft(u, c.from, c.to, c.group));
          break;
        }
      }
    }
    return drafts;
  }

  /** Events of the feed after `after`, oldest first. */
  page(after: number, limit: number): ChangeEvent[] {
    return this.repo.page(after, limit).map(toWire);
  }

  get(id: number): ChangeEvent | undefined {
    const e = this.repo.get(id);
    return e && toWire(e);
  }

  /** The downstream events one SCIM request (or console action) produced. */
  byRequest(requestId: string): ChangeEvent[] {
    return this.repo.byRequest(requestId).map(toWire);
  }

  oldestId(): number | null {
    return this.repo.oldestId();
  }

  newestId(): number {
    return this.repo.newestId();
  }
}

function roleDraft(user: AppUser, from: string | null, to: string | null, group: string | null): Draft {
  return {
    type: 'user.role_changed',
    data: { ...user, role: to },
    previous: { role: from },
    cause: { group, mapping: group && to ? `${group} → ${to}` : null },
  };
}
