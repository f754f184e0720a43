import { randomUUID } from 'node:crypto';

/**
 * UUIDv7 (RFC 9562 §5.7): a millisecond timestamp followed by randomness. New ids sort after old
 * ones, so inserting them into a B-tree index appends at its right edge instead of touching a random
 * page — the users/groups primary keys and the event log's request-id and resource-id indexes stay
 * cheap to write at any size. They are still opaque, unguessable identifiers to clients.
 * The random part comes from randomUUID(), which draws on Node's pooled entropy (about ten times
 * cheaper per call than randomBytes(16)).
 */
export function uuidv7(now: number = Date.now()): string {
  const r = randomUUID();
  const ts = now.toString(16).padStart(12, '0');
  // r is xxxxxxxx-xxxx-4xxx-Nxxx-xxxxxxxxxxxx: keep its variant nibble and 74 random bits.
  return `${ts.slice(0, 8)}-${ts.slice(8, 12)}-7${r.slice(15, 18)}-${r.slice(19, 23)}-${r.slice(24)}`;
}
