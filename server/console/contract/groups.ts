/**
 * Groups as the console lists them, and their members.
 * Part of the console contract: types only, re-exported by ../contract.ts (the one entry point).
 */
import type { Role } from './mappings.js';

export interface GroupSummary {
  id: string;
  displayName: string;
  externalId: string | null;
  memberCount: number;
  /** The role a mapping gives this exact displayName, if any. */
  role: Role | null;
}

export interface GroupMemberItem {
  value: string;
  type: 'User' | 'Group';
  display: string;
  /** For a user member: its userName and whether it is active (null for a nested group). */
  userName: string | null;
  active: boolean | null;
}
