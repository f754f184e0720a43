import type { ExtensionsService } from '../directory/extensions.js';
import { isRole, type RoleService } from '../mappings/roles.js';
import type { DeclarationJson } from '../scim/extension-schema.js';
import { isObject, type JsonObject } from '../scim/json.js';
import { type Db, inTransaction } from '../store/db.js';
import type { GroupsRepo, StoredGroup } from '../store/groups-repo.js';
import type { RolesRepo } from '../store/roles-repo.js';
import type { StoredUser, UsersRepo } from '../store/users-repo.js';

/** One line of the JSON Lines export. Password hashes are deliberately not exported. */
export type TransferLine =
  | ({ type: 'user'; role: string | null } & StoredUser)
  | ({ type: 'group' } & StoredGroup)
  | { type: 'membership'; groupId: string; memberId: string; memberType: 'User' | 'Group' }
  | { type: 'mapping'; group: string; role: string }
  /** A declared extension schema (RFC 7643 §7 JSON); written first so the users after it validate against it. */
  | { type: 'schema'; definition: DeclarationJson };

export class ImportError extends Error {
  override name = 'ImportError';
}

const str = (o: JsonObject, k: string, line: number): string => {
  const v = o[k];
  if (typeof v !== 'string' || !v) throw new ImportError(`line ${line}: "${k}" must be a non-empty string`);
  return v;
};

export interface TransferDeps {
  db: Db;
  users: UsersRepo;
  groups: GroupsRepo;
  rolesRepo: RolesRepo;
  roles: RoleService;
  extensions: ExtensionsService;
  now: () => Date;
}

/** Moves a whole directory in and out of the node as JSON Lines (`scimdesk export` / `import`). */
export class TransferService {
  constructor(private readonly d: TransferDeps) {}

  /**
   * Exports the directory (extension declarations, users, groups, memberships, mappings and each user's role) as JSON Lines,
   * for migration off the node. Streams in pages; `write` may apply backpressure.
   */
  async exportDirectory(write: (line: string) => Promise<void> | void): Promise<Record<TransferLine['type'], number>> {
    const counts = { schema: 0, user: 0, group: 0, membership: 0, mapping: 0 };
    const emit = async (line: TransferLine) => {
      counts[line.type]++;
      await write(`${JSON.stringify(line)}\n`);
    };
    for (const definition of this.d.extensions.list()) await emit({ type: 'schema', definition });
    for (let offset = 0; ; offset += 500) {
      const page = this.d.users.list(null, null, false, 500, offset);
      for (const u of page) await emit({ type: 'user', ...u, role: this.d.rolesRepo.currentRole(u.id)?.role ?? null });
      if (page.length < 500) break;
    }
    for (let offset = 0; ; offset += 500) {
      const page = this.d.groups.list(null, null, false, 500, offset);
      for (const g of page) await emit({ type: 'group', ...g });
      if (page.length < 500) break;
    }
    for (const m of this.d.groups.allMemberships()) await emit({ type: 'membership', ...m });
    for (const m of this.d.roles.mappings()) await emit({ type: 'mapping', group: m.groupName, role: m.role });
    return counts;
  }

  /**
   * Imports an export into this node in one transaction: all of it or nothing. Roles are recomputed
   * from the imported mappings rather than trusted from the file.
   */
  importDirectory(text: string): Record<TransferLine['type'], number> {
    const { d } = this;
    const counts = { schema: 0, user: 0, group: 0, membership: 0, mapping: 0 };
    const lines = text.split('\n');
    const userIds: string[] = [];
    inTransaction(d.db, () => {
      lines.forEach((raw, i) => {
        const n = i + 1;
        if (!raw.trim()) return;
        let o: unknown;
        try {
          o = JSON.parse(raw);
        } catch {
          throw new ImportError(`line ${n}: not JSON`);
        }
        if (!isObject(o)) throw new ImportError(`line ${n}: not a JSON object`);
        const data = isObject(o.data) ? o.data : {};
        const stamp = (k: string) => (typeof o[k] === 'string' ? (o[k] as string) : d.now().toISOString());
        const version = typeof o.version === 'number' ? o.version : 1;
        try {
          applyLine(o, n, data, stamp, version);
        } catch (e) {
          if (e instanceof ImportError) throw e;
          throw new ImportError(`line ${n}: ${(e as Error).message}`);
        }
        counts[o.type as TransferLine['type']]++;
      });
      d.roles.recompute(userIds, { kind: 'cli', requestId: null, tokenId: null });
    });
    return counts;

    function applyLine(o: JsonObject, n: number, data: JsonObject, stamp: (k: string) => string, version: number): void {
      switch (o.type) {
        case 'user': {
          const id = str(o, 'id', n);
          const externalId = typeof o.externalId === 'string' ? o.externalId : null;
          d.users.insert(
            {
              id,
              userName: str(o, 'userName', n),
              externalId,
              active: o.active !== false,
              data,
              created: stamp('created'),
              lastModified: stamp('lastModified'),
              version,
            },
            null,
            'scim',
          );
          userIds.push(id);
          break;
        }
        case 'group':
          d.groups.insert({
            id: str(o, 'id', n),
            displayName: str(o, 'displayName', n),
            externalId: typeof o.externalId === 'string' ? o.externalId : null,
            data,
            created: stamp('created'),
            lastModified: stamp('lastModified'),
            version,
          });
          break;
        case 'membership':
          if (o.memberType === 'Group') d.groups.addGroupMember(str(o, 'groupId', n), str(o, 'memberId', n));
          else d.groups.addUserMember(str(o, 'groupId', n), str(o, 'memberId', n));
          break;
        case 'schema': {
          // The same validation and data check as `scimdesk schema add`; user values come in as stored data.
          const r = d.extensions.declare(o.definition);
          if (!r.applied) throw new ImportError(`line ${n}: the extension ${r.declaration.id} does not fit the data already here`);
          break;
        }
        case 'mapping': {
          const role = o.role;
          if (!isRole(role)) throw new ImportError(`line ${n}: "role" must be admin, publisher or member`);
          d.rolesRepo.putMapping(str(o, 'group', n), role, d.now().toISOString());
          break;
        }
        default:
          throw new ImportError(`line ${n}: unknown "type" ${JSON.stringify(o.type ?? null)}`);
      }
    }
  }
}
