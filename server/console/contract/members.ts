/**
 * Members (SCIM users) as the console lists and opens them, with their role explanation and audit.
 * Part of the console contract: types only, re-exported by ../contract.ts (the one entry point).
 */
import type { Role } from './mappings.js';

export interface MemberSummary {
  id: string;
  userName: string;
  displayName: string | null;
  externalId: string | null;
  active: boolean;
  role: Role | null;
  groups: string[];
  roleSource: string | null;
  origin: 'scim' | 'admin';
}

export interface RoleCandidate {
  groupId: string;
  groupName: string;
  role: Role;
  direct: boolean;
}

export interface AuditEntry {
  id: number;
  time: string;
  kind: string;
  userId: string | null;
  userName: string | null;
  oldRole: Role | null;
  newRole: Role | null;
  groupName: string | null;
  mapping: string | null;
  detail: unknown;
  actor: string;
  requestId: string | null;
  tokenId: string | null;
}

export interface MemberDetail extends MemberSummary {
  explain: { role: Role | null; group: string | null; candidates: RoleCandidate[]; suspended: boolean };
  history: AuditEntry[];
  /** The SCIM resource as an IdP would read it. */
  resource: Record<string, unknown>;
  /** Extension values (EnterpriseUser, declared and undeclared custom extensions), one entry per schema URN. */
  extensions: MemberExtension[];
}

export interface MemberExtension {
  urn: string;
  /** False for data kept without a declaration (see the "Undeclared attributes seen" list). */
  declared: boolean;
  attributes: { name: string; value: unknown }[];
}
