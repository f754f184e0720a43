/**
 * userName conflicts (a 409 on create) kept for review.
 * Part of the console contract: types only, re-exported by ../contract.ts (the one entry point).
 */
import type { Role } from './mappings.js';

/** One side of a conflict review: the member who holds the userName, or the IdP's create that wanted it. */
export interface ConflictSide {
  userName: string;
  externalId: string | null;
  /** null when the incoming payload did not say (SCIM's default is active). */
  active: boolean | null;
  /** Roles come from group mappings, so the incoming side has none of its own. */
  role: Role | null;
  /** Existing side: the last successful IdP request that touched the member; incoming: the 409's time. */
  lastIdpActivity: string | null;
}

export interface Conflict {
  id: number;
  time: string;
  userName: string;
  externalId: string | null;
  existingUserId: string;
  payload: unknown;
  requestId: string | null;
  status: 'open' | 'linked' | 'dismissed';
  resolvedAt: string | null;
  dismissReason: string | null;
  /** null when the member was deleted since; the conflict can then only be dismissed. */
  existing: ConflictSide | null;
  incoming: ConflictSide;
}
