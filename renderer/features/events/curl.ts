import type { EventDetail } from '../../../server/console/contract';

/** Headers curl sets itself, or that must never be replayed from a log. */
const SKIP = new Set(['host', 'content-length', 'connection', 'cookie', 'accept-encoding', 'transfer-encoding', 'keep-alive']);

const quote = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;

/** Bearer or basic credentials anywhere in a string (e.g. a header another proxy added). */
const CREDENTIAL = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g;

/**
 * Rebuilds the request as a curl command. The Authorization header is always replaced by a
 * `$SCIM_TOKEN` placeholder, whatever the log holds, so a copied command never carries a secret.
 */
export function buildCurl(event: Pick<EventDetail, 'method' | 'path' | 'requestHeaders' | 'requestBody'>, origin: string): string {
  const parts = [`curl -X ${event.method.toUpperCase()} ${quote(`${origin.replace(/\/$/, '')}${event.path}`)}`];
  parts.push(`-H ${quote('Authorization: Bearer ')}"$SCIM_TOKEN"`);
  for (const [name, value] of Object.entries(event.requestHeaders)) {
    const lower = name.toLowerCase();
    if (SKIP.has(lower) || lower.startsWith('sec-') || lower === 'authorization' || lower === 'proxy-authorization') continue;
    parts.push(`-H ${quote(`${name}: ${value.replace(CREDENTIAL, '$1 <redacted>')}`)}`);
  }
  if (event.requestBody) parts.push(`--data-raw ${quote(event.requestBody)}`);
  return parts.join(' \\\n  ');
}

/** The origin SCIM clients call, taken from the node's SCIM base URL. */
export function originOf(scimUrl: string | undefined): string {
  if (!scimUrl) return typeof location === 'undefined' ? '' : location.origin;
  try {
    return new URL(scimUrl).origin;
  } catch {
    return '';
  }
}
