import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { StoredToken, TokensRepo } from '../store/tokens-repo.js';

/**
 * Provisioning tokens: `scimdesk_<prefix>_<secret>`. Only the prefix (for lookup) and a SHA-256 of
 * the whole token are stored; the plaintext exists once, in the create response. SHA-256 is enough
 * here because the secret carries 256 bits of entropy, so there is nothing to brute-force.
 */
export const TOKEN_PREFIX = 'scimdesk_';
const TOKEN_RE = /^scimdesk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export interface TokenSummary {
  id: string;
  label: string;
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
  requestCount: number;
}

export interface CreatedToken extends TokenSummary {
  /** The plaintext secret; returned once and never stored. */
  token: string;
}

const hashToken = (token: string): Buffer => createHash('sha256').update(token).digest();

const summarize = (t: StoredToken): TokenSummary => ({
  id: t.id,
  label: t.label,
  prefix: t.prefix,
  createdAt: t.createdAt,
  expiresAt: t.expiresAt,
  revokedAt: t.revokedAt,
  lastUsedAt: t.lastUsedAt,
  lastUsedIp: t.lastUsedIp,
  requestCount: t.requestCount,
});

const DURATION_RE = /^(\d+)\s*(m|h|d|w|y)$/;
const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 };

/** Parses "90d", "12h", "2w", "1y", "30m"; returns milliseconds or throws a readable error. */
export function parseDuration(text: string): number {
  const m = DURATION_RE.exec(text.trim());
  const n = m ? Number(m[1]) : Number.NaN;
  const unit = m?.[2];
  if (!unit || !Number.isSafeInteger(n) || n <= 0) {
    throw new Error(`invalid duration "${text}": use a positive number followed by m, h, d, w or y (for example 90d)`);
  }
  return n * (UNIT_MS[unit] ?? 0);
}

export type AuthFailure = 'missing' | 'malformed' | 'unknown' | 'revoked' | 'expired';

export class TokenService {
  constructor(
    private readonly repo: TokensRepo,
    private readonly now: () => Date = () => new Date(),
  ) {}

  create(input: { label: string; expiresInMs?: number | null }): CreatedToken {
    const label = input.label.trim();
    if (!label) throw new Error('a token needs a label');
    if (label.length > 200) throw new Error('a token label is at most 200 characters');
    const prefix = randomBytes(6).toString('hex');
    const token = `${TOKEN_PREFIX}${prefix}_${randomBytes(32).toString('base64url')}`;
    const created = this.now();
    const row = {
      id: randomUUID(),
      label,
      prefix,
      hash: hashToken(token).toString('hex'),
      createdAt: created.toISOString(),
      expiresAt: input.expiresInMs ? new Date(created.getTime() + input.expiresInMs).toISOString() : null,
    };
    this.repo.insert(row);
    return { ...summarize({ ...row, revokedAt: null, lastUsedAt: null, lastUsedIp: null, requestCount: 0 }), token };
  }

  list(): TokenSummary[] {
    return this.repo.list().map(summarize);
  }

  revoke(id: string): boolean {
    return this.repo.revoke(id, this.now().toISOString());
  }

  /** Checks a bearer token; reads the database each time so a CLI revoke applies on the next request. */
  verify(token: string | undefined): { ok: true; token: StoredToken } | { ok: false; reason: AuthFailure } {
    if (!token) return { ok: false, reason: 'missing' };
    const m = TOKEN_RE.exec(token);
    if (!m?.[1]) return { ok: false, reason: 'malformed' };
    const stored = this.repo.findByPrefix(m[1]);
    // Hash even when the prefix is unknown so timing does not reveal which prefixes exist.
    const presented = hashToken(token);
    const expected = stored ? Buffer.from(stored.hash, 'hex') : hashToken(`${token}#absent`);
    if (!timingSafeEqual(presented, expected) || !stored) return { ok: false, reason: 'unknown' };
    if (stored.revokedAt) return { ok: false, reason: 'revoked' };
    if (stored.expiresAt && Date.parse(stored.expiresAt) <= this.now().getTime()) return { ok: false, reason: 'expired' };
    return { ok: true, token: stored };
  }
}
