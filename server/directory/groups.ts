import type { RequestContext } from '../events/request-context.js';
import { uuidv7 } from '../ids.js';
import { badRequest, conflict, notFound, ScimError } from '../scim/errors.js';
import { compileElementFilter } from '../scim/filter-eval.js';
import { isObject, type JsonObject } from '../scim/json.js';
import { MAX_FILTER_VALUE_PATHS } from '../scim/limits.js';
import { listResponse } from '../scim/messages.js';
import { type MemberOp, memberValues } from '../scim/patch-members.js';
import { type PatchOperation, parsePatchRequest } from '../scim/patch-parse.js';
import { ALL, type Projection, parseProjection, project, wants } from '../scim/projection.js';
import { type MemberRef, normalizeResource } from '../scim/resource.js';
import { findAttr, GROUP_RESOURCE, GROUP_SCHEMA } from '../scim/schemas.js';
import { isUniqueViolation } from '../store/db.js';
import { GROUP_TABLE, type StoredGroup } from '../store/groups-repo.js';
import { cursorPage } from './cursor.js';
import { diffData } from './diff.js';
import { patchStored } from './patch-stored.js';
import { compileQuery, type ListParams } from './query.js';
import type { DirectoryDeps } from './users.js';
import { checkIfMatch, etag } from './versions.js';
import { writeTx } from './write-tx.js';

const MEMBERS_DEF = findAttr(GROUP_RESOURCE.schema.attributes, 'members');

/**
 * A `remove` of `members[<filter>]` other than `value eq …` reads every member of the group, so a
 * request may hold only a few of them (issue #15 item 7): 1,000 of them on a large group would hold
 * the event loop for seconds.
 */
function checkMemberScans(ops: PatchOperation[]): void {
  const scans = ops.filter(
    (o) => o.op === 'remove' && o.path?.filter && o.path.attr.name.toLowerCase() === 'members' && !memberValues(o.path.filter),
  ).length;
  if (scans > MAX_FILTER_VALUE_PATHS) {
    throw badRequest('invalidSyntax', `"Operations" has ${scans} member removals by filter; at most ${MAX_FILTER_VALUE_PATHS} are allowed`);
  }
}

function takeMembers(doc: JsonObject): MemberRef[] | undefined {
  const m = doc.members;
  delete doc.members;
  if (!Array.isArray(m)) return undefined;
  return m.filter(isObject).map((e) => ({ value: String(e.value), ...(typeof e.type === 'string' ? { type: e.type } : {}) }));
}

export class GroupsService {
  constructor(private readonly d: DirectoryDeps) {}

  private toScim(g: StoredGroup, base: string, withMembers: boolean): JsonObject {
    const out: JsonObject = { schemas: [GROUP_SCHEMA], id: g.id, ...g.data };
    if (withMembers) {
      out.members = this.d.groups.members(g.id).map((m) => ({
        value: m.value,
        $ref: `${base}/${m.type === 'User' ? 'Users' : 'Groups'}/${m.value}`,
        display: m.display,
        type: m.type,
      }));
    }
    out.meta = {
      resourceType: 'Group',
      created: g.created,
      lastModified: g.lastModified,
      location: `${base}/Groups/${g.id}`,
      version: etag(g.version),
    };
    return out;
  }

  private render(g: StoredGroup, base: string, projection: Projection): JsonObject {
    // Members are a join; a client that excludes them (Entra does) never pays for the read.
    return project(this.toScim(g, base, wants(projection, 'members')), projection);
  }

  private load(id: string): StoredGroup {
    const g = this.d.groups.get(id);
    if (!g) throw notFound(`Group "${id}" not found`);
    return g;
  }

  get(id: string, base: string, projection: Projection = ALL): { resource: JsonObject; version: number } {
    const g = this.load(id);
    return { resource: this.render(g, base, projection), version: g.version };
  }

  list(params: ListParams, base: string): JsonObject {
    const q = compileQuery(params, GROUP_RESOURCE, GROUP_TABLE, this.d.paging, this.d.cursors);
    if (q.cursor) {
      const c = q.cursor;
      return cursorPage(
        this.d.cursors,
        c,
        q.count,
        (n) => this.d.groups.listAfter(q.where, q.orderBy, q.descending, n, c.after),
        () => this.d.groups.count(q.where),
        (rows) => rows.map((g) => this.render(g, base, q.projection)),
      );
    }
    const rows = q.count > 0 ? this.d.groups.list(q.where, q.orderBy, q.descending, q.count, q.startIndex - 1) : [];
    // A page that is not full ends the result set, so it tells the total without a COUNT query:
    // every IdP lookup (`userName eq`, `externalId eq`, hit or miss) is one indexed read.
    const ended = rows.length < q.count && (rows.length > 0 || q.startIndex === 1);
    const total = ended ? q.startIndex - 1 + rows.length : this.d.groups.count(q.where);
    return listResponse(
      rows.map((g) => this.render(g, base, q.projection)),
      total,
      q.startIndex,
    );
  }

  create(body: unknown, base: string, ctx: RequestContext): JsonObject {
    const doc = normalizeResource(body, GROUP_RESOURCE, 'create');
    const members = takeMembers(doc) ?? [];
    const now = this.d.now().toISOString();
    const group: StoredGroup = {
      id: uuidv7(),
      displayName: String(doc.displayName),
      externalId: typeof doc.externalId === 'string' ? doc.externalId : null,
      data: doc,
      created: now,
      lastModified: now,
      version: 1,
    };
    ctx.resourceType = 'Group';
    return writeTx(this.d, ctx, () => {
      this.write(() => this.d.groups.insert(group), group.displayName);
      ctx.resourceId = group.id;
      ctx.changes.push({ kind: 'group.created', groupId: group.id, displayName: group.displayName });
      this.applyMembers(group.id, [{ kind: 'add', members }], ctx);
      return this.toScim(group, base, true);
    });
  }

  replace(id: string, body: unknown, base: string, ctx: RequestContext, ifMatch?: string): JsonObject {
    const doc = normalizeResource(body, GROUP_RESOURCE, 'replace');
    const members = takeMembers(doc) ?? [];
    ctx.resourceType = 'Group';
    ctx.resourceId = id;
    return writeTx(this.d, ctx, () => {
      const prev = this.load(id);
      checkIfMatch(ifMatch, prev.version);
      // PUT replaces the whole resource (RFC 7644 §3.5.1), members included.
      const current = new Set(this.d.groups.members(id).map((m) => m.value));
      const wanted = new Set(members.map((m) => m.value));
      const ops: MemberOp[] = [
        { kind: 'remove', values: [...current].filter((v) => !wanted.has(v)) },
        { kind: 'add', members: members.filter((m) => !current.has(m.value)) },
      ];
      this.applyMembers(id, ops, ctx);
      const next = this.commit(prev, doc, ctx);
      return this.render(next, base, ALL);
    });
  }

  /**
   * RFC 7644 §3.5.2: 200 with the resource, or 204. We answer 204 unless the client asked for
   * attributes, so a one-member change on a 10k-member group never serializes the member list.
   */
  patch(
    id: string,
    body: unknown,
    base: string,
    ctx: RequestContext,
    params: ListParams = {},
    ifMatch?: string,
  ): { resource: JsonObject | null; version: number } {
    const ops = parsePatchRequest(body);
    checkMemberScans(ops);
    const asked = Boolean(params.attributes?.trim() || params.excludedAttributes?.trim());
    const projection = parseProjection(GROUP_RESOURCE, params.attributes, params.excludedAttributes);
    ctx.resourceType = 'Group';
    ctx.resourceId = id;
    return writeTx(this.d, ctx, () => {
      const prev = this.load(id);
      checkIfMatch(ifMatch, prev.version);
      const result = patchStored(prev, ops, GROUP_RESOURCE);
      const membersChanged = this.applyMembers(id, result.members, ctx);
      const next = result.changed.length > 0 || membersChanged ? this.commit(prev, result.next, ctx) : prev;
      return { resource: asked ? this.render(next, base, projection) : null, version: next.version };
    });
  }

  delete(id: string, ctx: RequestContext, ifMatch?: string): void {
    ctx.resourceType = 'Group';
    ctx.resourceId = id;
    writeTx(this.d, ctx, () => {
      const prev = this.load(id);
      checkIfMatch(ifMatch, prev.version);
      const userIds = this.d.groups.descendantUserIds(id);
      this.d.outbox.capture(ctx, 'group', id);
      this.d.groups.delete(id);
      ctx.changes.push({ kind: 'group.deleted', groupId: id, displayName: prev.displayName });
      this.d.access.changed(userIds, ctx);
    });
  }

  private write(fn: () => void, displayName: string): void {
    try {
      fn();
    } catch (e) {
      if (isUniqueViolation(e)) throw conflict(`a group named "${displayName}" already exists`);
      throw e;
    }
  }

  private commit(prev: StoredGroup, doc: JsonObject, ctx: RequestContext): StoredGroup {
    if (typeof doc.displayName !== 'string' || doc.displayName === '') {
      throw new ScimError(400, 'invalidValue', 'displayName is required and cannot be removed');
    }
    const next: StoredGroup = {
      ...prev,
      displayName: doc.displayName,
      externalId: typeof doc.externalId === 'string' ? doc.externalId : null,
      data: doc,
      lastModified: this.d.now().toISOString(),
      version: prev.version + 1,
    };
    this.write(() => this.d.groups.update(next), next.displayName);
    for (const d of diffData(prev.data, next.data)) ctx.changes.push({ kind: 'group.updated', groupId: prev.id, ...d });
    // A rename can move users in or out of a role mapping, which matches on displayName.
    if (prev.displayName !== next.displayName) {
      this.d.access.groupRenamed(prev.displayName, next.displayName, ctx);
      this.d.access.changed(this.d.groups.descendantUserIds(prev.id), ctx);
    }
    return next;
  }

  /** Runs member operations as SQL set operations; returns whether membership changed. */
  private applyMembers(groupId: string, ops: MemberOp[], ctx: RequestContext): boolean {
    const touched = new Set<string>();
    let changed = false;
    const remove = (value: string) => {
      const r = this.d.groups.removeMember(groupId, value);
      if (r.user) touched.add(value);
      // A nested group leaving takes its users' indirect membership with it.
      if (r.group) for (const u of this.d.groups.descendantUserIds(value)) touched.add(u);
      if (r.user || r.group) {
        changed = true;
        ctx.changes.push({ kind: 'member.removed', groupId, memberId: value, memberType: r.user ? 'User' : 'Group' });
      }
    };
    for (const op of ops) {
      switch (op.kind) {
        case 'add':
          for (const m of op.members) changed = this.addMember(groupId, m, ctx, touched) || changed;
          break;
        case 'remove':
          for (const v of op.values) remove(v);
          break;
        case 'removeAll':
        case 'replace':
          for (const m of this.d.groups.members(groupId)) remove(m.value);
          if (op.kind === 'replace') for (const m of op.members) changed = this.addMember(groupId, m, ctx, touched) || changed;
          break;
        case 'removeWhere': {
          if (!MEMBERS_DEF) break;
          // Compiled once: one predicate call per member, not one compile per member.
          const test = compileElementFilter(op.filter, MEMBERS_DEF);
          for (const m of this.d.groups.members(groupId)) {
            if (test({ value: m.value, type: m.type, display: m.display })) remove(m.value);
          }
          break;
        }
      }
    }
    if (touched.size) this.d.access.changed([...touched], ctx);
    return changed;
  }

  private addMember(groupId: string, m: MemberRef, ctx: RequestContext, touched: Set<string>): boolean {
    // Ids are unique across resource types, so the id decides what the member is; a `type` hint that
    // contradicts it (a user sent as "Group") is corrected with a note rather than refused.
    const isUser = this.d.users.exists(m.value);
    const resolved = isUser ? 'User' : this.d.groups.exists(m.value) ? 'Group' : undefined;
    if (resolved && m.type !== undefined && m.type.toLowerCase() !== resolved.toLowerCase()) {
      ctx.notes.push(`member "${m.value}" has type "${m.type}" but is a ${resolved}: resolved by id`);
    }
    if (isUser) {
      if (!this.d.groups.addUserMember(groupId, m.value)) return false;
      touched.add(m.value);
      ctx.changes.push({ kind: 'member.added', groupId, memberId: m.value, memberType: 'User' });
      return true;
    }
    if (resolved === 'Group') {
      if (m.value === groupId || this.d.groups.wouldCycle(groupId, m.value)) {
        throw badRequest('invalidValue', `group "${m.value}" cannot be a member of itself, directly or through nesting`);
      }
      if (!this.d.groups.addGroupMember(groupId, m.value)) return false;
      ctx.changes.push({ kind: 'member.added', groupId, memberId: m.value, memberType: 'Group' });
      // Users of the nested group gain an indirect membership.
      for (const u of this.d.groups.descendantUserIds(m.value)) touched.add(u);
      return true;
    }
    throw badRequest('invalidValue', `member "${m.value}" does not exist`);
  }
}
