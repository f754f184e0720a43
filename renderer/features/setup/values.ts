/**
 * What an admin pastes into each IdP, derived from this node's SCIM base URL. Entra's
 * `aadOptscim062020` flag opts the app into its SCIM 2.0-compliant behaviour (PATCH with proper
 * `op` casing and boolean values, RFC 7644 §3.5.2), which this node expects.
 */
export function entraTenantUrl(scimUrl: string): string {
  return `${scimUrl}${scimUrl.includes('?') ? '&' : '?'}aadOptscim062020`;
}

/** A cloud IdP cannot reach a node that listens on loopback only. */
export function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === 'localhost' || host === '[::1]' || /^127\./.test(host);
  } catch {
    return false;
  }
}
