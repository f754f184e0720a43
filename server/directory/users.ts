import type { ChangeSink } from '../delivery/outbox.js';
import type { Change, RequestContext } from '../events/request-context.js';
import { uuidv7 } from '../ids.js';
import type { AccessHooks } from '../mappings/access.js';
import { checkUserName } from '../scim/caseless.js';
import { conflict, notFound, ScimError } from '../scim/errors.js';
import { isObject, type JsonObject } from '../scim/json.js';
import { listResponse, type Paging } from '../scim/messages.js';
import { parsePatchRequest } from '../scim/patch-parse.js';
import { ALL, type Projection, project, wants } from '../scim/projection.js';
import { normalizeResource } from '../scim/resource.js';
import { USER_SCHEMA } from '../scim/schemas.js';
import type { UndeclaredOptions } from '../scim/undeclared.js';
import type { Settings } from '../settings/settings.js';
import type { ConflictsRepo } from '../store/conflicts-repo.js';
import { type Db, inTransaction, isUniqueViolation } from '../store/db.js';
import type { GroupsRepo } from '../store/groups-repo.js';
import { type StoredUser, USER_TABLE, type UserGroupRef, type UsersRepo } from '../store/users-repo.js';
import type { CursorCodec } from './cursor.js';
import { cursorPage } from './cursor.js';
import { diffData } from './diff.js';
import type { ExtensionsService } from './extensions.js';
import { hashPassword } from './password.js';
import { patchStored } from './patch-stored.js';
import { compileQuery, type ListParams } from './query.js';
import { checkIfMatch, etag } from './versions.js';
import { writeTx } from './write-tx.js';

export interface DirectoryDeps {
  db: Db;
  users: UsersRepo;
  groups: GroupsRepo;
  conflicts: ConflictsRepo;
  paging: Paging;
  /** Signs and checks RFC 9865 cursors. */
  cursors: CursorCodec;
  now: () => Date;
  access: AccessHooks;
  settings: () => Settings;
  /** Redacts an IdP payload before it is kept in the conflict queue. */
  redact: (body: unknown) => unknown;
  /** Declared extension schemas: the registry requests are validated against. */
  extensions: ExtensionsService;
  /** The change feed's outbox, appended inside each write transaction (see write-tx.ts). */
  outbox: ChangeSink;
}

export interface ReadOptions {
  projection?: Projection;
}

function takePassword(doc: JsonObject): string | undefined {
  const p = doc.password;
  delete doc.password;
  return typeof p === 'string' ? p : undefined;
}

export class UsersService {
  constructor(private readonly d: DirectoryDeps) {}

  toScim(u: StoredUser, base: string, groups: UserGroupRef[] | null): JsonObject {
    // RFC 7643 §3: "schemas" lists the core schema and every extension the resource carries data for,
    // declared or not (undeclared data is returned as it was kept).
    const schemas = [USER_SCHEMA, ...Object.keys(u.data).filter((k) => k.startsWith('urn:') && isObject(u.data[k]))];
    const out: JsonObject = { schemas, id: u.id, ...u.data };
    if (groups?.length) {
      out.groups = groups.map((g) => ({
        value: g.id,
        $ref: `${base}/Groups/${g.id}`,
        display: g.displayName,
        type: g.direct ? 'direct' : 'indirect',
      }));
    }
    out.meta = {
      resourceType: 'User',
      created: u.created,
      lastModified: u.lastModified,
      location: `${base}/Users/${u.id}`,
      version: etag(u.version),
    };
    return out;
  }

  private render(u: StoredUser, base: string, projection: Projection): JsonObject {
    // groups is derived by a join; skip it when the client excluded it.
    const groups = wants(projection, 'groups') ? this.d.users.groupsOf(u.id) : null;
    const requested = (urn: string, name: string): boolean => {
      const sel = projection.mode === 'include' ? projection.keys.get(urn) : undefined;
      return sel !== undefined && sel !== 'whole' && sel.has(name);
    };
    return project(this.d.extensions.registry().withhold(this.toScim(u, base, groups), requested), projection);
  }

  /** The User resource type with the declared extensions, as requests see it now. */
  private rt() {
    return this.d.extensions.registry().user;
  }

  /** How this request treats undeclared extension data (the undeclaredExtensions setting). */
  private undeclared(): UndeclaredOptions {
    return { policy: this.d.settings().undeclaredExtensions, seen: [] };
  }

  /** A unique-index violation on a declared extension attribute is a 409 uniqueness naming it. */
  private extensionConflict(e: unknown): never {
    const attr = this.d.extensions.conflictAttribute(e);
    if (attr) throw conflict(`attribute "${attr}" must be unique, and another user already has this value`);
    throw e;
  }

  private load(id: string): StoredUser {
    const u = this.d.users.get(id);
    if (!u) throw notFound(`User "${id}" not found`);
    return u;
  }

  get(id: string, base: string, opts: ReadOptions = {}): { resource: JsonObject; version: number } {
    // Two statements only: a snapshot's BEGIN/COMMIT costs more than the read lock it would share.
    const u = this.load(id);
    return { resource: this.render(u, base, opts.projection ?? ALL), version: u.version };
  }

  list(params: ListParams, base: string, ctx?: RequestContext): JsonObject {
    const q = compileQuery(params, this.rt(), USER_TABLE, this.d.paging, this.d.cursors);
    // An IdP's `userName eq "x"` lookup is findable in the event log by that userName.
    if (ctx && q.lookup) ctx.userName = q.lookup;
    if (q.cursor) {
      const c = q.cursor;
      return cursorPage(
        this.d.cursors,
        c,
        q.count,
        (n) => this.d.users.listAfter(q.where, q.orderBy, q.descending, n, c.after),
        () => this.d.users.count(q.where),
        (rows) =>
          rows.length > 1
            ? inTransaction(this.d.db, () => rows.map((u) => this.render(u, base, q.projection)))
            : rows.map((u) => this.render(u, base, q.projection)),
      );
    }
    const rows = q.count > 0 ? this.d.users.list(q.where, q.orderBy, q.descending, q.count, q.startIndex - 1) : [];
    // A page that is not full ends the result set, so it tells the total without a COUNT query:
    // every IdP lookup (`userName eq`, `externalId eq`, hit or miss) is one indexed read.
    const ended = rows.length < q.count && (rows.length > 0 || q.startIndex === 1);
    const total = ended ? q.startIndex - 1 + rows.length : this.d.users.count(q.where);
    const render = () => rows.map((u) => this.render(u, base, q.projection));
    // Each row reads its groups: for a page of several, one transaction takes the read lock once.
    // A lookup's single row is cheaper without the BEGIN/COMMIT.
    return listResponse(rows.length > 1 ? inTransaction(this.d.db, render) : render(), total, q.startIndex);
  }

  async create(body: unknown, base: string, ctx: RequestContext): Promise<JsonObject> {
    const undeclared = this.undeclared();
    const doc = normalizeResource(body, this.rt(), 'create', undeclared);
    checkUserName(String(doc.userName));
    const password = takePassword(doc);
    const passwordHash = password === undefined ? null : await hashPassword(password);
    const now = this.d.now().toISOString();
    const user: StoredUser = {
      id: uuidv7(),
      userName: String(doc.userName),
      externalId: typeof doc.externalId === 'string' ? doc.externalId : null,
      active: doc.active !== false,
      data: doc,
      created: now,
      lastModified: now,
      version: 1,
    };
    ctx.resourceType = 'User';
    ctx.userName = user.userName;
    try {
      writeTx(this.d, ctx, () => {
        this.d.users.insert(user, passwordHash, 'scim');
        this.d.extensions.record(undeclared.seen);
        ctx.resourceId = user.id;
        ctx.changes.push({ kind: 'user.created', userId: user.id, userName: user.userName });
        this.d.access.lifecycle('user.created', user, ctx);
        if (!user.active) ctx.changes.push({ kind: 'user.deactivated', userId: user.id, userName: user.userName });
        this.d.access.changed([user.id], ctx);
      });
      // RFC 7643 §2.2 "returned": the create response withholds "never" and "request" attributes too.
      return this.d.extensions.registry().withhold(this.toScim(user, base, []), () => false);
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      if (this.d.extensions.conflictAttribute(e)) this.extensionConflict(e);
    }
    return this.resolveConflict(user, body, base, ctx, passwordHash);
  }

  /**
   * A create whose userName is taken is a 409 uniqueness (RFC 7644 §3.3), also when the holder
   * already carries this externalId: a repeated create is a duplicate, which Okta's spec test
   * ("recreating user with same values") and Microsoft's validator check. After an admin links the
   * externalId, the IdP finds the member by its own lookup (`userName eq`, `externalId eq`) and
   * updates it. Only with the opt-in auto-link is a holder without externalId linked and returned.
   */
  private resolveConflict(user: StoredUser, body: unknown, base: string, ctx: RequestContext, passwordHash: string | null): JsonObject {
    const existing = this.d.users.findByUserName(user.userName);
    if (!existing) throw conflict(`userName "${user.userName}" is already taken`);
    const incoming = user.externalId;
    if (incoming !== null && existing.externalId === null && this.d.settings().autoLink) {
      ctx.notes.push(`userName "${user.userName}" existed without externalId: auto-linked to externalId "${incoming}" and reconciled`);
      return writeTx(this.d, ctx, () => {
        const prev = this.load(existing.id);
        this.d.access.lifecycle('member.linked', prev, ctx, { externalId: incoming, automatic: true });
        const next = this.commit(prev, user.data, ctx, passwordHash ?? undefined);
        ctx.resourceId = next.id;
        return this.render(next, base, ALL);
      });
    }
    ctx.resourceId = existing.id;
    if (existing.externalId !== null && existing.externalId === incoming) {
      // The IdP's own resource: nothing for an admin to link, so nothing is queued.
      throw conflict(`userName "${user.userName}" already exists with externalId "${incoming}" as ${existing.id}`);
    }
    // The simulator's deliberate duplicate create answers 409 like any other, but queues nothing.
    if (!ctx.simulated)
      this.d.conflicts.record({
        time: this.d.now().toISOString(),
        userName: user.userName,
        externalId: incoming,
        existingUserId: existing.id,
        payload: this.d.redact(body),
        requestId: ctx.requestId,
      });
    throw conflict(
      `userName "${user.userName}" is already taken by an existing member${existing.externalId === null ? ' with no externalId' : ''}; ` +
        'an admin can link it to this externalId in SCIM Desk',
    );
  }

  async replace(id: string, body: unknown, base: string, ctx: RequestContext, ifMatch?: string): Promise<JsonObject> {
    const undeclared = this.undeclared();
    const doc = normalizeResource(body, this.rt(), 'replace', undeclared);
    const password = takePassword(doc);
    const passwordHash = password === undefined ? undefined : await hashPassword(password);
    ctx.resourceType = 'User';
    ctx.resourceId = id;
    return writeTx(this.d, ctx, () => {
      const prev = this.load(id);
      checkIfMatch(ifMatch, prev.version);
      // PUT replaces what the client may write; readOnly values such as "groups" were already
      // dropped by normalizeResource (RFC 7644 §3.5.1), so Okta's `"groups": []` wipes nothing.
      const next = this.commit(prev, doc, ctx, passwordHash);
      this.d.extensions.record(undeclared.seen);
      return this.render(next, base, ALL);
    });
  }

  async patch(id: string, body: unknown, base: string, ctx: RequestContext, ifMatch?: string): Promise<JsonObject> {
    const ops = parsePatchRequest(body);
    ctx.resourceType = 'User';
    ctx.resourceId = id;
    // A password set by PATCH (Okta's password sync) is hashed before the transaction.
    const current = this.load(id);
    checkIfMatch(ifMatch, current.version);
    const rt = this.rt();
    const undeclared = this.undeclared();
    const trial = patchStored(current, ops, rt, undeclared);
    const password = takePassword(trial.next);
    const passwordHash = password === undefined ? undefined : await hashPassword(password);
    return writeTx(this.d, ctx, () => {
      const prev = this.load(id);
      checkIfMatch(ifMatch, prev.version);
      // Re-apply on the row read inside the transaction: another write may have landed meanwhile.
      const result = prev.version === current.version ? trial : patchStored(prev, ops, rt, { ...undeclared, seen: [] });
      takePassword(result.next);
      const changed = result.changed.filter((c) => c !== 'password').length > 0;
      const next = changed || passwordHash !== undefined ? this.commit(prev, result.next, ctx, passwordHash) : prev;
      this.d.extensions.record(undeclared.seen);
      // The whole resource: the route projects it after reading the ETag from meta.
      return this.render(next, base, ALL);
    });
  }

  /** Writes a new version of a user, records derived changes and lets roles follow. */
  private commit(prev: StoredUser, doc: JsonObject, ctx: RequestContext, passwordHash?: string): StoredUser {
    if (typeof doc.userName !== 'string' || doc.userName === '') {
      throw new ScimError(400, 'invalidValue', 'userName is required and cannot be removed');
    }
    checkUserName(doc.userName);
    const next: StoredUser = {
      ...prev,
      userName: doc.userName,
      externalId: typeof doc.externalId === 'string' ? doc.externalId : null,
      active: doc.active !== false,
      data: doc,
      lastModified: this.d.now().toISOString(),
      version: prev.version + 1,
    };
    try {
      this.d.users.update(next, passwordHash);
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      if (this.d.extensions.conflictAttribute(e)) this.extensionConflict(e);
      throw conflict(`userName "${next.userName}" is already taken`);
    }
    ctx.userName = next.userName;
    const changes: Change[] = diffData(prev.data, next.data)
      .filter((d) => d.attribute !== 'active')
      .map((d) => ({ kind: 'user.updated', userId: prev.id, ...d }));
    if (passwordHash !== undefined) changes.push({ kind: 'user.updated', userId: prev.id, attribute: 'password', from: null, to: null });
    if (prev.active !== next.active) {
      changes.push({ kind: next.active ? 'user.reactivated' : 'user.deactivated', userId: prev.id, userName: next.userName });
    }
    ctx.changes.push(...changes);
    if (prev.active !== next.active) {
      this.d.access.lifecycle(next.active ? 'user.reactivated' : 'user.deactivated', next, ctx);
      this.d.access.changed([prev.id], ctx);
    }
    return next;
  }

  delete(id: string, ctx: RequestContext, ifMatch?: string): void {
    ctx.resourceType = 'User';
    ctx.resourceId = id;
    writeTx(this.d, ctx, () => {
      const prev = this.load(id);
      checkIfMatch(ifMatch, prev.version);
      ctx.userName = prev.userName;
      this.d.outbox.capture(ctx, 'user', id);
      const groupIds = this.d.users.groupsOf(id).filter((g) => g.direct);
      this.d.access.deleting(id, ctx);
      const keep = this.d.settings().deletePolicy === 'retain';
      this.d.users.delete(id, keep ? { at: this.d.now().toISOString(), requestId: ctx.requestId } : null);
      for (const g of groupIds) ctx.changes.push({ kind: 'member.removed', groupId: g.id, memberId: id, memberType: 'User' });
      ctx.changes.push({ kind: 'user.deleted', userId: id, userName: prev.userName });
      this.d.access.lifecycle('user.deleted', prev, ctx, { policy: keep ? 'retain' : 'hard' });
    });
  }
}
