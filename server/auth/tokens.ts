import { hash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { CreatedToken, HygieneEntry, TokenSummary } from '../console/contract.js';
import { InputError } from '../input-error.js';
import type { StoredToken, TokensRepo } from '../store/tokens-repo.js';
import { inList, ipList } from './ip-list.js';

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
/** How long a new, never-used token stays out of the hygiene report's "unused". */
const UNUSED_GRACE_MS = DAY;

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

/** Is `ip` inside the allowlist? IPv4-mapped IPv6 addresses ("::ffff:10.0.0.1") are read as IPv4. */
export function ipAllowed(ip: string | null, cidrs: string[] | null): boolean {
  if (!cidrs) return true;
  return inList(ipList(cidrs), ip);
}

/** A token reference (label, prefix or id) that names no token, or several. */
export class TokenRefError extends Error {
  override name = 'TokenRefError';
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
    /** The simulator's own token, deleted after its run (see SimulateService). */
    simulated?: boolean;
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
      simulated: input.simulated === true,
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

  /**
   * One name for a token everywhere: the id, the prefix (with or without `scimdesk_`, or as the
   * console shows it, `prefix…`) or the label (case-insensitive). A reference that matches nothing,
   * or a label several tokens share, is an error that names the candidates, never an empty answer.
   */
  resolveRef(ref: string): TokenSummary {
    const text = ref.trim();
    if (!text) throw new TokenRefError('a token reference is empty: give its label, prefix or id');
    const all = this.repo.list();
    const prefix = text
      .replace(/^scimdesk_/, '')
      .replace(/(…|\.\.\.)$/, '')
      .toLowerCase();
    const exact = all.find((t) => t.id === text) ?? all.find((t) => t.prefix === prefix);
    if (exact) return summarize(exact);
    const byLabel = all.filter((t) => t.label.toLowerCase() === text.toLowerCase());
    const [only] = byLabel;
    if (only && byLabel.length === 1) return summarize(only);
    const name = (t: StoredToken) => `"${t.label}" ${t.prefix}… (${t.id}${t.revokedAt ? ', revoked' : ''})`;
    if (byLabel.length > 1)
      throw new TokenRefError(`${byLabel.length} tokens are labelled "${text}": ${byLabel.map(name).join(', ')}; give the prefix or id`);
    throw new TokenRefError(`no token has the label, prefix or id "${text}"`);
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

  /** Deletes a token outright (the simulator's temporary one); its events keep the id. */
  remove(id: string): boolean {
    this.invalidate();
    return this.repo.delete(id);
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
  /** Prefixes of tokens the node is testing on itself right now (guided rotation's "test it"). */
  private readonly probing = new Map<string, number>();

  /**
   * Runs `send`, the node's own test request with `token`. While it runs, a request with that token
   * is the node's, not the IdP's: it does not count as the token's first use (so a rotation's grace
   * period still starts at the IdP's first use) and it is labelled simulated in the event log.
   */
  async selfTest<T>(token: string, send: () => Promise<T>): Promise<T> {
    const prefix = TOKEN_RE.exec(token)?.[1];
    if (!prefix) return send();
    this.probing.set(prefix, (this.probing.get(prefix) ?? 0) + 1);
    try {
      return await send();
    } finally {
      const n = (this.probing.get(prefix) ?? 1) - 1;
      if (n > 0) this.probing.set(prefix, n);
      else this.probing.delete(prefix);
    }
  }
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
  ): { ok: true; token: StoredToken; selfTest: boolean } | { ok: false; reason: AuthFailure; tokenId?: string } {
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
    const selfTest = this.probing.has(m[1]);
    if (!stored.lastUsedAt && !selfTest) {
      // The successor's first use starts the predecessor's grace period.
      if (stored.rotatesId) {
        this.repo.retireAt(stored.rotatesId, new Date(now.getTime() + (stored.graceMs ?? 0)).toISOString());
        this.invalidate();
      }
      // The recorder writes last use a moment later; the cached row learns it now.
      this.cache.set(m[1], { ...stored, lastUsedAt: now.toISOString() });
    }
    return { ok: true, token: seen, selfTest };
  }

  /** Tokens an admin should look at: old, expired, unused, or recently used from a new address. */
  hygiene(): HygieneEntry[] {
    this.beforeRead();
    const now = this.now().getTime();
    const out: HygieneEntry[] = [];
    for (const t of this.repo.list()) {
      if (t.revokedAt || t.simulated) continue;
      const issues: HygieneEntry['issues'] = [];
      const age = Math.floor((now - Date.parse(t.createdAt)) / DAY);
      if (age > 90) issues.push({ kind: 'older-than-90-days', detail: `created ${age} days ago; rotate it` });
      if (t.expiresAt && Date.parse(t.expiresAt) <= now) issues.push({ kind: 'expired', detail: `expired ${t.expiresAt}; revoke it` });
      // A token created for an IdP that has not connected yet is not news: a day of grace first.
      if (!t.lastUsedAt) {
        if (now - Date.parse(t.createdAt) > UNUSED_GRACE_MS)
          issues.push({ kind: 'unused', detail: `never used since it was created ${age} ${age === 1 ? 'day' : 'days'} ago` });
      } else if (now - Date.parse(t.lastUsedAt) > 30 * DAY) issues.push({ kind: 'unused', detail: `not used since ${t.lastUsedAt}` });
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
