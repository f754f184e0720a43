/**
 * RFC 9865 cursors: opaque to the client, self-contained on the node. A cursor holds where the next
 * page resumes (the last row's sort key and rowid: keyset paging, so the last page of 100k costs what
 * the first does), a digest of the query it belongs to, and when it was issued. It is signed with a
 * key held in memory by this process, so a client cannot forge a position or carry a cursor over to
 * another query (400 invalidCursor), and one older than `cursorTimeout` is refused (400
 * expiredCursor, RFC 9865 §2.3). A restart of the node invalidates open cursors; clients start over.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { badRequest } from '../scim/errors.js';
import type { JsonObject } from '../scim/json.js';
import { cursorListResponse } from '../scim/messages.js';
import type { KeysetPosition } from '../store/sql.js';

interface Payload {
  /** Which query (resource type, filter, sortBy, sortOrder) the cursor continues. */
  q: string;
  /** Issued at, seconds since the epoch. */
  t: number;
  k: string | number | null;
  r: number;
}

const MAC_BYTES = 16;

export class CursorCodec {
  private readonly key: Buffer;

  constructor(
    private readonly now: () => Date,
    /** RFC 9865 `cursorTimeout`: seconds a cursor stays valid after it was issued. */
    readonly timeoutSeconds: number,
    key: Buffer = randomBytes(32),
  ) {
    this.key = key;
  }

  /** A digest of the query a cursor is bound to; any change of filter or sort makes it another query. */
  static queryDigest(parts: (string | undefined)[]): string {
    return createHash('sha256')
      .update(JSON.stringify(parts.map((p) => p ?? null)))
      .digest('base64url')
      .slice(0, 22);
  }

  private mac(body: string): Buffer {
    return createHmac('sha256', this.key).update(body).digest().subarray(0, MAC_BYTES);
  }

  encode(query: string, at: KeysetPosition): string {
    const payload: Payload = { q: query, t: Math.floor(this.now().getTime() / 1000), k: at.key, r: at.rowid };
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${body}.${this.mac(body).toString('base64url')}`;
  }

  /** The position a cursor resumes from; 400 invalidCursor or expiredCursor when it cannot be used. */
  decode(cursor: string, query: string): KeysetPosition {
    const invalid = () =>
      badRequest('invalidCursor', 'the cursor is not one this node issued for this query; start again with an empty cursor');
    const [body, mac, extra] = cursor.split('.');
    if (!body || !mac || extra !== undefined) throw invalid();
    const given = Buffer.from(mac, 'base64url');
    if (given.length !== MAC_BYTES || !timingSafeEqual(given, this.mac(body))) throw invalid();
    let p: Payload;
    try {
      p = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Payload;
    } catch {
      throw invalid();
    }
    if (p.q !== query) throw invalid();
    const age = this.now().getTime() / 1000 - p.t;
    if (age > this.timeoutSeconds) {
      throw badRequest('expiredCursor', `the cursor expired (cursorTimeout is ${this.timeoutSeconds} s); start again with an empty cursor`);
    }
    return { key: p.k, rowid: p.r };
  }
}

/**
 * One cursor page: `count + 1` rows after the position, so a next page is known without a second
 * query; nextCursor resumes after the last row returned (RFC 9865 §2.2) and is absent on the last page.
 */
export function cursorPage<T>(
  codec: CursorCodec,
  req: { after: KeysetPosition | null; digest: string },
  count: number,
  fetch: (n: number) => { item: T; at: KeysetPosition }[],
  total: () => number,
  render: (items: T[]) => JsonObject[],
): JsonObject {
  const rows = count > 0 ? fetch(count + 1) : [];
  const page = rows.slice(0, count);
  const last = page[page.length - 1];
  const next = rows.length > count && last ? codec.encode(req.digest, last.at) : undefined;
  return cursorListResponse(render(page.map((r) => r.item)), total(), next);
}
