/**
 * Per-IdP provisioning health, from the event log.
 * Part of the console contract: types only, re-exported by ../contract.ts (the one entry point).
 */
export type HealthLevel = 'ok' | 'warning' | 'critical';

type AuthErrorKind = 'token-expired' | 'token-revoked' | 'unauthorized' | 'token-request-failed';
type RequestErrorKind = 'conflict' | 'invalid-filter' | 'bad-request' | 'not-found' | 'precondition-failed';
export type HealthErrorKind = AuthErrorKind | RequestErrorKind | 'rate-limited' | 'server-error' | 'other';

export interface HealthWindow {
  requests: number;
  errors: number;
  errorRate: number; // errors / requests, from 0 to 1 (0 without requests)
}

export interface HealthErrorSummary {
  kind: HealthErrorKind;
  label: string;
  /** In the last 24 h, and in the last cycle. */
  count: number;
  cycleCount: number;
  /** The newest event of this kind, to open in the event log. */
  exampleEventId: number;
  lastAt: string;
}

/** One IdP: the credential it uses (token, OAuth client, or none that matched) and its user agent family. */
export interface IdpHealth {
  key: string;
  principal: { kind: 'token' | 'oauth' | 'unidentified'; id: string | null; label: string };
  agent: { family: 'okta' | 'entra' | 'other'; name: string };
  cycle: HealthWindow;
  day: HealthWindow;
  topErrors: HealthErrorSummary[];
  lastSuccessAt: string | null;
  secondsSinceSuccess: number | null;
  level: HealthLevel;
  likelyCause: string | null;
}

export interface HealthReport {
  generatedAt: string;
  cycleMinutes: number; // "the last cycle": Entra's 40-minute provisioning cycle
  thresholds: { warnPercent: number; criticalPercent: number; minRequests: number };
  /** The worst level of any IdP. */
  level: HealthLevel;
  idps: IdpHealth[];
}
