/**
 * A router-relative SCIM path split into its segments, the one reading of URLs that both the SCIM
 * router and the dialect layer use. Resource type names match case-insensitively (RFC 7644 §3.1 does
 * not make endpoint paths case-sensitive, and IdPs differ), and one trailing slash is ignored.
 */
export interface ScimPathParts {
  /** The first segment, lower-cased: "users", "groups", "schemas", ".search", "" for "/". */
  type: string;
  /** The second segment as sent (still percent-encoded), when there is one. */
  sub?: string;
}

/** "/Users/abc/" → { type: 'users', sub: 'abc' }; undefined for a deeper or empty second segment. */
export function splitScimPath(path: string): ScimPathParts | undefined {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(1, -1) : path.slice(1);
  const slash = trimmed.indexOf('/');
  if (slash === -1) return { type: trimmed.toLowerCase() };
  const sub = trimmed.slice(slash + 1);
  if (sub === '' || sub.includes('/')) return undefined;
  return { type: trimmed.slice(0, slash).toLowerCase(), sub };
}
