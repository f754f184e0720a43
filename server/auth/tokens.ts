import { hash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
import type { CreatedToken, HygieneEntry, TokenSummary } from '../console/contract.js';
import { InputError } from '../input-error.js';
import type { StoredToken, TokensRepo } from '../store/tokens-repo.js';

/**
 * Provisioning tokens: `scimdesk_<prefix>_<secret>`. Only the prefix (for lookup) and a SHA-256 of
 * the whole token are stored; the plaintext exists once, in the create response. SHA-256 is enough
 * here because the secret carries 256 bits of entropy, so there is nothing to brute-force.
 */
export const TOKEN_PREFIX = 'scimdesk_';
const TOKEN_RE = /^scimdesk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export type { CreatedToken, HygieneEntry, TokenSummary };
export type HygieneIssue = HygieneEntry['issues'][number]['kind'];

const hashToken = (token: string): Buffer => hash('sha256', token, 'buffer');

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
  rateLimitedCount: t.rateLimitedCount,
  allowedCidrs: t.allowedCidrs,
  rotatesId: t.rotatesId,
});

const DURATION_RE = /^(\d+)\s*(m|h|d|w|y)$/;
const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 };
const DAY = 86_400_000;

/** Parses "90d", "12h", "2w", "1y", "30m"; returns milliseconds or throws a readable error. */
export function parseDuration(text: string): number {
  const m = DURATION_RE.exec(text.trim());
  const n = m ? Number(m[1]) : Number.NaN;
  const unit = m?.[2];
  if (!unit || !Number.isSafeInteger(n) || n <= 0) {
    throw new InputError(`invalid duration "${text}": use a positive number followed by m, h, d, w or y (for example 90d)`);
  }
  return n * (UNIT_MS[unit] ?? 0);
}

/** Validates an allowlist entry ("10.0.0.0/8", "2001:db8::/32", "192.0.2.7") into a BlockList rule. */
function addRule(list: BlockList, entry: string): void {
  const [addr = '', bits] = entry.trim().split('/');
  const family = isIP(addr);
  if (!family) throw new InputError(`"${entry}" is not an IP address or CIDR range`);
  const type = family === 6 ? 'ipv6' : 'ipv4';
  if (bits === undefined) {
    list.addAddress(addr, type);
    return;
  }
  const prefix = Number(bits);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 6 ? 128 : 32))
    throw new InputError(`"${entry}" has an invalid prefix length`);
  list.addSubnet(addr, prefix, type);
}

/** Is `ip` inside the allowlist? IPv4-mapped IPv6 addresses ("::ffff:10.0.0.1") are read as IPv4. */
export function ipAllowed(ip: string | null, cidrs: string[] | null): boolean {
  if (!cidrs) return true;
  if (!ip) return false;
  const list = new BlockList();
  for (const c of cidrs) addRule(list, c);
  const plain = ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
  return list.check(plain, isIP(plain) === 6 ? 'ipv6' : 'ipv4');
}

export type AuthFailure = 'missing' | 'malformed' | 'unknown' | 'revoked' | 'expired' | 'source-not-allowed';

export class TokenService {
  constructor(
    private readonly repo: TokensRepo,
    private readonly now: () => Date = () => new Date(),
    /** Writes queued usage counters first, so listings show every finished request. */
    private readonly beforeRead: () => void = () => {},
  ) {}

  create(input: {
    label: string;
    expiresInMs?: number | null;
    allowedCidrs?: string[] | null;
    rotates?: { id: string; graceMs: number };
  }): CreatedToken {
    const label = input.label.trim();
    if (!label) throw new InputError('a token needs a label');
    if (label.length > 200) throw new InputError('a token label is at most 200 characters');
    const cidrs = input.allowedCidrs?.length ? input.allowedCidrs.map((c) => c.trim()) : null;
    if (cidrs) ipAllowed('127.0.0.1', cidrs); // validates every entry, with a clear error
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
      rotatesId: input.rotates?.id ?? null,
      graceMs: input.rotates?.graceMs ?? null,
      allowedCidrs: cidrs,
    };
    this.repo.insert(row);
    return {
      ...summarize({ ...row, revokedAt: null, lastUsedAt: null, lastUsedIp: null, requestCount: 0, rateLimitedCount: 0 }),
      token,
    };
  }

  /**
   * Guided rotation: a successor with the same label, expiry length and allowlist. The old token
   * keeps working until it is revoked, or until the successor's first use plus `graceMs`.
   */
  rotate(id: string, graceMs: number): CreatedToken {
    const old = this.repo.get(id);
    if (!old || old.revokedAt) throw new InputError(`no active token with id ${id}`);
    const lifetime = old.expiresAt ? Date.parse(old.expiresAt) - Date.parse(old.createdAt) : null;
    return this.create({ label: old.label, expiresInMs: lifetime, allowedCidrs: old.allowedCidrs, rotates: { id, graceMs } });
  }

  /** Counts a request the per-token rate limit refused (shown as the token's usage). */
  countRateLimited(id: string): void {
    this.repo.countRateLimited(id);
  }

  /** A token's state by the node's clock; an expiry equal to now is expired, as authentication sees it. */
  state(t: Pick<TokenSummary, 'revokedAt' | 'expiresAt'>): 'active' | 'expired' | 'revoked' {
    if (t.revokedAt) return 'revoked';
    return t.expiresAt && Date.parse(t.expiresAt) <= this.now().getTime() ? 'expired' : 'active';
  }

  list(): TokenSummary[] {
    this.beforeRead();
    return this.repo.list().map(summarize);
  }

  get(id: string): TokenSummary | undefined {
    this.beforeRead();
    const t = this.repo.get(id);
    return t && summarize(t);
  }

  revoke(id: string): boolean {
    this.invalidate();
    return this.repo.revoke(id, this.now().toISOString());
  }

  setAllowedCidrs(id: string, cidrs: string[] | null): TokenSummary {
    const list = cidrs?.length ? cidrs.map((c) => c.trim()) : null;
    if (list) ipAllowed('127.0.0.1', list);
    this.invalidate();
    if (!this.repo.setAllowedCidrs(id, list)) throw new InputError(`no token with id ${id}`);
    return summarize(this.repo.get(id) as StoredToken);
  }

  /**
   * Token rows by prefix, valid while no other connection has written the database: SQLite bumps
   * `PRAGMA data_version` on every outside commit, so a `scimdesk token revoke` from the CLI still
   * applies on the very next request, and this process's own writes clear the cache directly.
   */
  private readonly cache = new Map<string, StoredToken>();
  private cacheVersion = -1;

  private invalidate(): void {
    this.cache.clear();
  }

  private lookup(prefix: string): StoredToken | undefined {
    const version = this.repo.dataVersion();
    if (version !== this.cacheVersion) {
      this.cache.clear();
      this.cacheVersion = version;
    }
    let stored = this.cache.get(prefix);
    if (!stored) {
      stored = this.repo.findByPrefix(prefix);
      if (stored) this.cache.set(prefix, stored);
    }
    return stored;
  }

  /** Checks a bearer token against the stored hash, in constant time, on every request. */
  verify(
    token: string | undefined,
    ip: string | null = null,
  ): { ok: true; token: StoredToken } | { ok: false; reason: AuthFailure; tokenId?: string } {
    if (!token) return { ok: false, reason: 'missing' };
    const m = TOKEN_RE.exec(token);
    if (!m?.[1]) return { ok: false, reason: 'malformed' };
    const stored = this.lookup(m[1]);
    // Hash even when the prefix is unknown so timing does not reveal which prefixes exist.
    const presented = hashToken(token);
    const expected = stored ? Buffer.from(stored.hash, 'hex') : hashToken(`${token}#absent`);
    if (!timingSafeEqual(presented, expected) || !stored) return { ok: false, reason: 'unknown' };
    const now = this.now();
    if (stored.revokedAt) return { ok: false, reason: 'revoked', tokenId: stored.id };
    if (stored.expiresAt && Date.parse(stored.expiresAt) <= now.getTime()) return { ok: false, reason: 'expired', tokenId: stored.id };
    if (!ipAllowed(ip, stored.allowedCidrs)) return { ok: false, reason: 'source-not-allowed', tokenId: stored.id };
    const seen = { ...stored };
    if (!stored.lastUsedAt) {
      // The successor's first use starts the predecessor's grace period.
      if (stored.rotatesId) {
        this.repo.retireAt(stored.rotatesId, new Date(now.getTime() + (stored.graceMs ?? 0)).toISOString());
        this.invalidate();
      }
      // The recorder writes last use a moment later; the cached row learns it now.
      this.cache.set(m[1], { ...stored, lastUsedAt: now.toISOString() });
    }
    return { ok: true, token: seen };
  }

  /** Tokens an admin should look at: old, expired, unused, or recently used from a new address. */
  hygiene(): HygieneEntry[] {
    this.beforeRead();
    const now = this.now().getTime();
    const out: HygieneEntry[] = [];
    for (const t of this.repo.list()) {
      if (t.revokedAt) continue;
      const issues: HygieneEntry['issues'] = [];
      const age = Math.floor((now - Date.parse(t.createdAt)) / DAY);
      if (age > 90) issues.push({ kind: 'older-than-90-days', detail: `created ${age} days ago; rotate it` });
      if (t.expiresAt && Date.parse(t.expiresAt) <= now) issues.push({ kind: 'expired', detail: `expired ${t.expiresAt}; revoke it` });
      if (!t.lastUsedAt) issues.push({ kind: 'unused', detail: 'never used' });
      else if (now - Date.parse(t.lastUsedAt) > 30 * DAY) issues.push({ kind: 'unused', detail: `not used since ${t.lastUsedAt}` });
      const ips = this.repo.ipsOf(t.id);
      for (const seen of ips.slice(1)) {
        if (now - Date.parse(seen.firstSeen) <= 7 * DAY)
          issues.push({ kind: 'new-ip', detail: `first used from ${seen.ip} at ${seen.firstSeen}` });
      }
      if (issues.length) out.push({ id: t.id, label: t.label, issues });
    }
    return out;
  }
}
