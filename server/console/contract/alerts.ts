/**
 * Alerts the node raises (deprovisioning alarm, token hygiene …).
 * Part of the console contract: types only, re-exported by ../contract.ts (the one entry point).
 */
export interface Alert {
  id: number;
  time: string;
  kind: string;
  severity: 'info' | 'warning' | 'critical';
  message: string;
  data: unknown;
  acknowledgedAt: string | null;
}
