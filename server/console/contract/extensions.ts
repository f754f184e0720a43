/**
 * Extension schemas (RFC 7643 §3.3, §7): declarations, their violations and undeclared attributes seen.
 * Part of the console contract: types only, re-exported by ../contract.ts (the one entry point).
 */
/** An attribute of a declared extension schema (RFC 7643 §7), plus the node's `indexed` flag. */
export interface ExtensionAttribute {
  name: string;
  type: 'string' | 'boolean' | 'decimal' | 'integer' | 'dateTime' | 'reference' | 'complex' | 'binary';
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact: boolean;
  mutability: 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
  returned: 'always' | 'never' | 'default' | 'request';
  uniqueness: 'none' | 'server' | 'global';
  canonicalValues?: string[];
  referenceTypes?: string[];
  subAttributes?: ExtensionAttribute[];
  indexed?: boolean;
}

/** A declared extension schema, as `scimdesk schema list --json` prints it. */
export interface ExtensionSchema {
  id: string;
  name: string;
  description: string;
  attributes: ExtensionAttribute[];
}

/** Stored data a declaration would not accept: which user, which attribute, what is wrong. */
export interface DeclarationViolation {
  userId: string;
  userName: string;
  attribute: string;
  problem: 'type' | 'required' | 'duplicate';
  value?: unknown;
  detail: string;
}

export interface DeclareOutcome {
  /** False when the stored data violates the declaration; then nothing changed. */
  applied: boolean;
  declaration: ExtensionSchema;
  /** The first 100 violations; `total` counts all of them. */
  violations: DeclarationViolation[];
  total: number;
}

/** An extension attribute received without a declaration (kept unless undeclaredExtensions is 'reject'). */
export interface UndeclaredAttribute {
  urn: string;
  attribute: string;
  /** The JSON types seen ("string", "integer", "boolean", "dateTime", "array", "object"); never the values. */
  valueTypes: string[];
  firstSeen: string;
  lastSeen: string;
  count: number;
}

/** A declaration proposed from what was seen, for the admin to review before declaring it. */
export interface DeclarationProposal {
  id: string;
  name: string;
  description: string;
  attributes: (ExtensionAttribute | { name: string; type: string; multiValued: boolean })[];
}
