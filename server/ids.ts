import { randomBytes } from 'node:crypto';

/**
 * UUIDv7 (RFC 9562 §5.7): a millisecond timestamp followed by randomness. New ids sort after old
 * ones, so inserting them into a B-tree index appends at its right edge instead of touching a random
 * page — the users/groups primary keys and the event log's request-id and resource-id indexes stay
 * cheap to write at any size. They are still opaque, unguessable identifiers to clients.
 */
export function uuidv7(now: number = Date.now()): string {
  const b = randomBytes(16);
  b.writeUIntBE(now, 0, 6);
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x70;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
