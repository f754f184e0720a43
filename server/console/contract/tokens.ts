/**
 * SCIM bearer tokens: list, create, rotate and the hygiene report.
 * Part of the console contract: types only, re-exported by ../contract.ts (the one entry point).
 */
export interface TokenUsage {
  perSecond: number;
  burst: number;
  used: number;
}

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
  rateLimitedCount: number;
  allowedCidrs: string[] | null;
  rotatesId: string | null;
}

export interface TokenListItem extends TokenSummary {
  state: 'active' | 'expired' | 'revoked';
  usage: TokenUsage;
}

export interface CreatedToken extends TokenSummary {
  /** Shown once; never retrievable again. */
  token: string;
}

export interface HygieneEntry {
  id: string;
  label: string;
  issues: { kind: 'older-than-90-days' | 'expired' | 'unused' | 'new-ip'; detail: string }[];
}
