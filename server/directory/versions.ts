import { ScimError } from '../scim/errors.js';

/** Weak ETags from the row version (RFC 7644 §3.14); meta.version and the ETag header match. */
export const etag = (version: number): string => `W/"${version}"`;

/** If-Match: any listed tag (or "*") must match the current version, else 412 Precondition Failed. */
export function checkIfMatch(ifMatch: string | undefined, version: number): void {
  if (!ifMatch) return;
  const tags = ifMatch.split(',').map((t) => t.trim());
  const current = etag(version);
  const strip = (t: string) => t.replace(/^W\//, '');
  if (tags.includes('*') || tags.some((t) => strip(t) === strip(current))) return;
  throw new ScimError(412, undefined, `version ${current} does not match If-Match ${ifMatch}`);
}

/** If-None-Match on a read: true when the client's copy is current (answer 304). */
export function notModified(ifNoneMatch: string | undefined, version: number): boolean {
  if (!ifNoneMatch) return false;
  const current = etag(version).replace(/^W\//, '');
  return ifNoneMatch.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag.replace(/^W\//, '') === current;
  });
}
