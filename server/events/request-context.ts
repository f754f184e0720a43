/**
 * What one SCIM request accumulates on its way through the node, for the event log: dialect notes,
 * the resource it touched and the derived changes. Services append; the recorder stores it once.
 */
export type Change =
  | { kind: 'user.created' | 'user.deleted' | 'user.deactivated' | 'user.reactivated'; userId: string; userName: string }
  | { kind: 'user.updated'; userId: string; attribute: string; from: unknown; to: unknown }
  | { kind: 'group.created' | 'group.deleted'; groupId: string; displayName: string }
  | { kind: 'group.updated'; groupId: string; attribute: string; from: unknown; to: unknown }
  | { kind: 'member.added' | 'member.removed'; groupId: string; memberId: string; memberType: 'User' | 'Group' }
  | { kind: 'role.changed'; userId: string; from: string | null; to: string | null; group: string | null; mapping: string | null };

export type ActorKind = 'scim' | 'console' | 'cli';

export interface RequestContext {
  requestId: string;
  /** Who made the request: an IdP over SCIM, an admin in the console, or the CLI. */
  actor: ActorKind;
  tokenId: string | null;
  /** The client's address (behind a trusted proxy, the one it reports); null outside HTTP. */
  sourceIp: string | null;
  /** Corrections the dialect layer applied, e.g. `op "Replace" read as "replace"`. */
  notes: string[];
  changes: Change[];
  resourceType: 'User' | 'Group' | null;
  resourceId: string | null;
  userName: string | null;
  /** Made with the simulator's token: kept out of alarms, health, hygiene and the conflict queue. */
  simulated: boolean;
}

export function newContext(requestId: string, actor: ActorKind = 'scim', sourceIp: string | null = null): RequestContext {
  return {
    requestId,
    actor,
    tokenId: null,
    sourceIp,
    notes: [],
    changes: [],
    resourceType: null,
    resourceId: null,
    userName: null,
    simulated: false,
  };
}
