/**
 * The node's own state: the overview screen's status and traffic chart.
 * Part of the console contract: types only, re-exported by ../contract.ts (the one entry point).
 */
export interface NodeStatus {
  scimUrl: string;
  host: 'electron' | 'headless';
  version: string;
  startedAt: string;
  dataDir: string | null;
  users: number;
  activeUsers: number;
  groups: number;
  activeTokens: number;
  openConflicts: number;
  unacknowledgedAlerts: number;
}

/** One minute of SCIM traffic, for the requests-per-minute chart. */
export interface TrafficPoint {
  minute: string;
  s2xx: number;
  s3xx: number;
  s4xx: number;
  s5xx: number;
}
