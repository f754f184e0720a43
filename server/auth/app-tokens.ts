import { hash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { InputError } from '../input-error.js';
import type { AppTokensRepo, StoredAppToken } from '../store/app-tokens-repo.js';

/**
 * App tokens: read-only credentials for downstream applications (the change feed and the read API
 * at /api/directory/v1). `scimdesk_app_<prefix>_<secret>`: the shape never matches a SCIM token's
 * (`scimdesk_<12 hex>_…`), and they live in their own table, so neither surface can accept the
 * other's credential even by mistake. Stored as prefix + SHA-256, like SCIM tokens.
 */
export const APP_TOKEN_PREFIX = 'scimdesk_app_';
const APP_TOKEN_RE = /^scimdesk_app_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export interface AppTokenSummary {
  id: string;
  label: string;
  prefix: string;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

const sha = (s: string): Buffer => hash('sha256', s, 'buffer');

const summarize = (t: StoredAppToken): AppTokenSummary => ({
  id: t.id,
  label: t.label,
  prefix: t.prefix,
  createdAt: t.createdAt,
  revokedAt: t.revokedAt,
  lastUsedAt: t.lastUsedAt,
});

export class AppTokenService {
  /** Last-use writes are throttled to one a minute per token: the feed is polled often. */
  private readonly lastMarked = new Map<string, number>();

  constructor(
    private readonly repo: AppTokensRepo,
    private readonly now: () => Date = () => new Date(),
  ) {}

  create(label: string): AppTokenSummary & { token: string } {
    const l = label.trim();
    if (!l) throw new InputError('an app token needs a label');
    if (l.length > 200) throw new InputError('an app token label is at most 200 characters');
    const prefix = randomBytes(6).toString('hex');
    const token = `${APP_TOKEN_PREFIX}${prefix}_${randomBytes(32).toString('base64url')}`;
    const row = { id: randomUUID(), label: l, prefix, hash: sha(token).toString('hex'), createdAt: this.now().toISOString() };
    this.repo.insert(row);
    return { ...summarize({ ...row, revokedAt: null, lastUsedAt: null }), token };
  }

  list(): AppTokenSummary[] {
    return this.repo.list().map(summarize);
  }

  revoke(id: string): boolean {
    return this.repo.revoke(id, this.now().toISOString());
  }

  /** Constant-time check of a presented bearer; the id of the app token when it is valid and live. */
  verify(token: string | undefined): { ok: true; id: string } | { ok: false; reason: 'missing' | 'malformed' | 'unknown' | 'revoked' } {
    if (!token) return { ok: false, reason: 'missing' };
    const m = APP_TOKEN_RE.exec(token);
    if (!m?.[1]) return { ok: false, reason: 'malformed' };
    const stored = this.repo.findByPrefix(m[1]);
    const presented = sha(token);
    const expected = stored ? Buffer.from(stored.hash, 'hex') : sha(`${token}#absent`);
    if (!timingSafeEqual(presented, expected) || !stored) return { ok: false, reason: 'unknown' };
    if (stored.revokedAt) return { ok: false, reason: 'revoked' };
    const now = this.now().getTime();
    if (now - (this.lastMarked.get(stored.id) ?? 0) > 60_000) {
      this.lastMarked.set(stored.id, now);
      this.repo.markUsed(stored.id, new Date(now).toISOString());
    }
    return { ok: true, id: stored.id };
  }
}
