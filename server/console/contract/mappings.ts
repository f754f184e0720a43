/**
 * Roles and the group → role mappings that grant them.
 * Part of the console contract: types only, re-exported by ../contract.ts (the one entry point).
 */
export type Role = 'admin' | 'publisher' | 'member';

export interface MappingRow {
  groupName: string;
  role: Role;
  createdAt: string;
  updatedAt: string;
}

export type MappingWarning =
  | { kind: 'near-miss'; mapping: string; group: string; message: string }
  | { kind: 'missing'; mapping: string; message: string }
  | { kind: 'renamed'; mapping: string; group: string; message: string };

export interface RoleDelta {
  userId: string;
  userName: string;
  from: Role | null;
  to: Role | null;
  group: string | null;
}
