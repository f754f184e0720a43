/**
 * The filter AST (RFC 7644 §3.4.2.2). Parsing produces it; it is evaluated in memory (PATCH value
 * paths) or compiled to parameterized SQL (list queries). Paths are kept as written; resolution
 * against the attribute tables happens where the resource type is known.
 */
export interface AttrPath {
  /** Schema URN prefix, e.g. "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User". */
  uri?: string;
  /** Attribute name as written (case preserved). */
  name: string;
  /** Sub-attribute name as written, e.g. "givenName" in "name.givenName". */
  sub?: string;
}

export type CompareOp = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';
export type CompValue = string | number | boolean | null;

export type Filter =
  | { kind: 'compare'; path: AttrPath; op: CompareOp; value: CompValue }
  | { kind: 'present'; path: AttrPath }
  | { kind: 'and'; left: Filter; right: Filter }
  | { kind: 'or'; left: Filter; right: Filter }
  | { kind: 'not'; filter: Filter }
  /** `emails[type eq "work"]`: inner paths name sub-attributes of `path` (which has no `sub`). */
  | { kind: 'valuePath'; path: AttrPath; filter: Filter };

/** A PATCH path (RFC 7644 §3.5.2): attrPath, or valuePath with an optional trailing sub-attribute. */
export interface PatchPath {
  attr: AttrPath;
  /** Present for `members[value eq "2819c223"]` style paths. */
  filter?: Filter;
  /** The sub-attribute after a value filter: `emails[type eq "work"].value` → "value". */
  subAfterFilter?: string;
}
