import type { AuditEntry, Conflict, ConflictSide, Role } from '../console/contract.js';
import type { RequestContext } from '../events/request-context.js';
import { uuidv7 } from '../ids.js';
import { InputError } from '../input-error.js';
import type { RoleDecision, RoleService } from '../mappings/roles.js';
import { checkUserName } from '../scim/caseless.js';
import { conflict, ScimError } from '../scim/errors.js';
import { isObject, type JsonObject } from '../scim/json.js';
import { PATCH_OP } from '../scim/messages.js';
import type { Conflict as StoredConflict } from '../store/conflicts-repo.js';
import { isUniqueViolation } from '../store/db.js';
import type { MemberRow, StoredUser } from '../store/users-repo.js';
import type { DirectoryDeps, UsersService } from './users.js';
import { writeTx } from './write-tx.js';

/** One row of the members list (console, `scimdesk members list --json`). */
export type MemberSummary = MemberRow;

export interface MemberDetail extends MemberSummary {
  explain: RoleDecision;
  history: AuditEntry[];
  resource: JsonObject;
  extensions: MemberExtension[];
}

/** One extension object of a member: its URN, whether it is declared, and its values. */
export interface MemberExtension {
  urn: string;
  declared: boolean;
  attributes: { name: string; value: unknown }[];
}

export interface MemberQuery {
  /** Case-insensitive prefix of userName, or substring of userName/displayName. */
  search?: string;
  role?: Role | 'none';
  active?: boolean;
  offset?: number;
  limit?: number;
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+$/;
const MAX_REASON = 500;

/**
 * Refused: the member already carries a different externalId, and replacing it re-points every
 * later IdP request (RFC 7643 §3.1: externalId is the IdP's identifier for the resource) while the
 * member keeps its role. Answered as 409 uniqueness until the caller confirms with `replace`.
 */
export class ExternalIdReplaceRefused extends ScimError {
  constructor(readonly change: string) {
    super(409, 'uniqueness', `${change}. Replacing an externalId that is already set needs explicit confirmation`);
  }
}

/**
 * Admin-side member operations: members created before SCIM, the conflict queue and its "link",
 * suspension from the console. They reuse the SCIM service paths so roles, audit and the event
 * log see the same changes whoever makes them.
 */
export class MembersService {
  constructor(
    private readonly d: DirectoryDeps,
    private readonly roles: RoleService,
    /** The same users service the SCIM API uses, so admin changes take the same path. */
    private readonly users: UsersService,
    /** When an IdP last touched the member successfully (the event log), for the conflict review. */
    private readonly lastIdpActivity: (userId: string) => string | null = () => null,
  ) {}

  add(input: { email: string; displayName?: string }, ctx: RequestContext): MemberSummary {
    const email = input.email.trim();
    if (!EMAIL_RE.test(email)) throw new InputError(`"${input.email}" is not an email address`);
    checkUserName(email);
    const now = this.d.now().toISOString();
    const data: JsonObject = { userName: email, emails: [{ value: email, type: 'work', primary: true }] };
    if (input.displayName?.trim()) data.displayName = input.displayName.trim();
    const user: StoredUser = {
      id: uuidv7(),
      userName: email,
      externalId: null,
      active: true,
      data,
      created: now,
      lastModified: now,
      version: 1,
    };
    writeTx(this.d, ctx, () => {
      try {
        this.d.users.insert(user, null, 'admin');
      } catch (e) {
        if (isUniqueViolation(e)) throw conflict(`a member with userName "${email}" already exists`);
        throw e;
      }
      ctx.changes.push({ kind: 'user.created', userId: user.id, userName: email });
      this.d.access.lifecycle('user.created', user, ctx, { origin: 'admin' });
    });
    return this.summary(user.id);
  }

  list(q: MemberQuery = {}): { total: number; items: MemberSummary[] } {
    return this.d.users.members(q);
  }

  summary(id: string): MemberSummary {
    const page = this.d.users.members({ id, limit: 1 });
    const m = page.items[0];
    if (!m) throw new ScimError(404, undefined, `member "${id}" not found`);
    return m;
  }

  detail(id: string, base: string): MemberDetail {
    const summary = this.summary(id);
    const explain = this.roles.explain(id);
    if (!explain) throw new ScimError(404, undefined, `member "${id}" not found`);
    const resource = this.users.get(id, base).resource;
    return { ...summary, explain, history: this.roles.history(id), resource, extensions: this.extensionsOf(resource) };
  }

  /** The resource's extension objects (RFC 7643 §3.3: keyed by schema URN), for the member detail. */
  private extensionsOf(resource: JsonObject): MemberExtension[] {
    const registry = this.d.extensions.registry();
    return Object.entries(resource).flatMap(([urn, value]) =>
      urn.startsWith('urn:') && isObject(value)
        ? [{ urn, declared: registry.isExtensionUrn(urn), attributes: Object.entries(value).map(([name, v]) => ({ name, value: v })) }]
        : [],
    );
  }

  /** Suspend or restore a member from the console: the same path as an IdP's `active` PATCH. */
  async setActive(id: string, active: boolean, base: string, ctx: RequestContext): Promise<MemberSummary> {
    await this.users.patch(id, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active } }] }, base, ctx);
    return this.summary(id);
  }

  /** The queue with both sides of each conflict, for a side-by-side review before anything changes. */
  conflicts(status: Conflict['status'] = 'open', limit = 200): Conflict[] {
    return this.d.conflicts.list(status, limit).map((c) => this.review(c));
  }

  private review(c: StoredConflict): Conflict {
    const member = this.d.users.members({ id: c.existingUserId, limit: 1 }).items[0];
    const payload = c.payload as { active?: unknown } | null;
    const existing: ConflictSide | null = member
      ? {
          userName: member.userName,
          externalId: member.externalId,
          active: member.active,
          role: member.role,
          lastIdpActivity: this.lastIdpActivity(member.id),
        }
      : null;
    const incoming: ConflictSide = {
      userName: c.userName,
      externalId: c.externalId,
      active: typeof payload?.active === 'boolean' ? payload.active : null,
      role: null,
      lastIdpActivity: c.time,
    };
    return { ...c, existing, incoming };
  }

  /**
   * "Link": the existing member takes the IdP's externalId, so the IdP's next lookup (`userName eq`,
   * `externalId eq`) finds it and updates it; a repeated create stays a 409 (RFC 7644 §3.3). A member
   * that already has a different externalId is only re-pointed with `replace` (the admin confirmed what changes).
   */
  async link(
    target: { conflictId: number } | { userId: string; externalId: string },
    base: string,
    ctx: RequestContext,
    opts: { replace?: boolean } = {},
  ): Promise<MemberSummary> {
    const c = 'conflictId' in target ? this.d.conflicts.get(target.conflictId) : undefined;
    if ('conflictId' in target && c?.status !== 'open')
      throw new ScimError(404, undefined, `no open conflict with id ${target.conflictId}`);
    const userId = c ? c.existingUserId : 'userId' in target ? target.userId : '';
    const externalId = c ? c.externalId : 'externalId' in target ? target.externalId : null;
    if (!externalId) throw new ScimError(400, 'invalidValue', 'linking needs the externalId the IdP sent');
    const member = this.d.users.members({ id: userId, limit: 1 }).items[0];
    if (!member) throw new ScimError(404, undefined, `member "${userId}" no longer exists${c ? '; dismiss the conflict instead' : ''}`);
    if (member.externalId !== null && member.externalId !== externalId && !opts.replace) {
      throw new ExternalIdReplaceRefused(
        `externalId ${member.externalId} → ${externalId} for ${member.userName}; role ${member.role ?? 'none'} stays`,
      );
    }
    const holder = this.d.users.findByExternalId(externalId);
    if (holder && holder.id !== userId) throw conflict(`externalId "${externalId}" already belongs to ${holder.userName}`);
    await this.users.patch(
      userId,
      { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'externalId', value: externalId }] },
      base,
      ctx,
    );
    const user = this.d.users.get(userId);
    writeTx(this.d, ctx, () => {
      if (user)
        this.d.access.lifecycle('member.linked', user, ctx, {
          externalId,
          replaced: member.externalId,
          conflictId: c?.id ?? null,
        });
      if (c) this.d.conflicts.resolve(c.id, 'linked', this.d.now().toISOString());
    });
    return this.summary(userId);
  }

  /** Closes a conflict without linking (a different person, a test account, a deleted member), with the admin's reason. */
  dismiss(conflictId: number, reason: string): Conflict {
    const why = reason.trim();
    if (!why) throw new ScimError(400, 'invalidValue', 'dismissing a conflict needs a reason');
    if (why.length > MAX_REASON) throw new ScimError(400, 'invalidValue', `a reason is at most ${MAX_REASON} characters`);
    if (!this.d.conflicts.resolve(conflictId, 'dismissed', this.d.now().toISOString(), why))
      throw new ScimError(404, undefined, `no open conflict with id ${conflictId}`);
    const c = this.d.conflicts.get(conflictId);
    if (!c) throw new ScimError(404, undefined, `no conflict with id ${conflictId}`);
    return this.review(c);
  }
}
