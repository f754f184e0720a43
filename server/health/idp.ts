import type { HealthErrorKind, IdpHealth } from '../console/contract.js';

export type Agent = IdpHealth['agent'];

const OKTA: Agent = { family: 'okta', name: 'Okta' };
const ENTRA: Agent = { family: 'entra', name: 'Microsoft Entra' };
const OTHER: Agent = { family: 'other', name: 'other' };

/**
 * The IdP family from the User-Agent: Okta sends "Okta SCIM Client …"; Entra has sent "Azure AD SCIM",
 * "Microsoft Azure AD SCIM …" and "Microsoft Entra …". Everything else is "other".
 *
 * The one classification of agents: the health report groups IdPs by it and the metrics label by it.
 * A User-Agent is caller-chosen text that needs no credential, so it never becomes a key or label
 * of its own: three families, whatever is sent (issue #15).
 */
export function agentOf(userAgent: string | null): Agent {
  const ua = (userAgent ?? '').trim();
  if (/^Okta SCIM Client/i.test(ua) || /\bOkta\b/.test(ua)) return OKTA;
  if (/Azure AD SCIM|Microsoft Entra/i.test(ua)) return ENTRA;
  return OTHER;
}

export const KIND_LABELS: Record<HealthErrorKind, string> = {
  'token-expired': '401 expired token',
  'token-revoked': '401 revoked token or client',
  unauthorized: '401 invalid or missing credentials',
  'token-request-failed': 'OAuth token request rejected',
  conflict: '409 uniqueness conflict',
  'invalid-filter': '400 invalidFilter',
  'bad-request': '400 bad request',
  'not-found': '404 on a write',
  'precondition-failed': '412 version mismatch (If-Match)',
  'rate-limited': '429 rate limited',
  'server-error': '5xx server error',
  other: 'other error',
};

/** What an admin should do about the dominant error kind. */
const CAUSES: Record<HealthErrorKind, string> = {
  'token-expired':
    'expired token: the IdP is still sending a token that has expired; create or rotate a token and update the IdP’s credentials',
  'token-revoked':
    'revoked credentials: the IdP uses a token, OAuth client or secret that was revoked; put the current credentials in the IdP',
  unauthorized: 'credentials not accepted: the IdP sends a wrong or missing token, or calls from a source outside the token’s allowlist',
  'token-request-failed':
    'the IdP cannot get an OAuth access token: check its client id and secret (a rotated secret may have been revoked)',
  conflict:
    'conflicts waiting: the IdP creates users whose userName already exists here (409); resolve the waiting conflicts, or turn on autoLink',
  'invalid-filter':
    'invalid filters: the IdP queries with filters this node rejects (400 invalidFilter); check the matching attribute in the IdP’s mappings',
  'bad-request': 'rejected requests: the IdP sends payloads this node refuses (400); open the example event for the detail',
  'not-found': 'the IdP updates resources that no longer exist here (404); it may need a full resync',
  'precondition-failed': 'version mismatches (412): the IdP writes with stale ETags; another writer is changing the same resources',
  'rate-limited':
    'rate limiting: the IdP sends more than the per-token limit allows (429); raise the rateLimit setting or lower the IdP’s concurrency',
  'server-error': 'server errors: the node itself fails these requests (5xx); see the node log',
  other: 'unclassified errors: open the example event for the detail',
};

export const causeOf = (kind: HealthErrorKind): string => CAUSES[kind];
