/**
 * The Okta/Entra replay simulator's steps and summary.
 * Part of the console contract: types only, re-exported by ../contract.ts (the one entry point).
 */
export interface SimStep {
  runId: string;
  index: number;
  name: string;
  method: string;
  path: string;
  status: number | null;
  ok: boolean;
  detail: string;
  /** The X-Request-Id the target answered with; on this node it finds the step in the event log. */
  requestId: string | null;
}

export interface SimSummary {
  runId: string;
  idp: 'okta' | 'entra';
  target: string;
  passed: number;
  failed: number;
  steps: SimStep[];
}
