/**
 * Run-time settings and the listener configuration.
 * Part of the console contract: types only, re-exported by ../contract.ts (the one entry point).
 */
/** Run-time settings of a node (server/settings/settings.ts validates them and holds the defaults). */
export interface Settings {
  /** 'retain' keeps a tombstone of deleted users for audit (the API never returns it); 'hard' erases. */
  deletePolicy: 'retain' | 'hard';
  /** Link an IdP create to an existing member with no externalId instead of answering 409. */
  autoLink: boolean;
  /** Per-token limit: sustained requests per second and burst size. */
  rateLimit: { perSecond: number; burst: number };
  /** Event-log retention: events older than this many days are pruned. */
  eventRetentionDays: number;
  /** Event-log retention by size: prune the oldest events above this many MiB of database. */
  eventRetentionMaxMb: number;
  /**
   * Reverse proxies (addresses or CIDR ranges) whose X-Forwarded-For is believed; empty trusts none.
   * The legacy `true` is read as loopback (127.0.0.0/8, ::1), `false` as none.
   */
  trustProxy: string[];
  /** Alert when more than `percent`% of active users, or more than `count`, are deprovisioned within the window. */
  deprovisionAlarm: { percent: number; count: number; windowMinutes: number };
  /** Lifetime of OAuth access tokens from the token endpoint, in seconds (5 minutes to 6 hours). */
  oauthTokenTtlSeconds: number;
  /** Provisioning health: an IdP whose error rate over the last cycle reaches this share warns… */
  healthWarnPercent: number;
  /** …and reaches critical at this share. */
  healthCriticalPercent: number;
  /**
   * Extension data no declaration covers (an Okta or Entra custom attribute nobody declared): 'keep'
   * stores and returns it and lists it under "undeclared attributes seen"; 'reject' answers 400
   * invalidSyntax naming the URN.
   */
  undeclaredExtensions: 'keep' | 'reject';
  /** The desktop app raises an OS notification for each new alert (rate-limited). */
  desktopNotifications: boolean;
  /** Change feed retention in days (independent of the request log); events an endpoint has not received are kept. */
  changeEventRetentionDays: number;
  /** How long a webhook event is retried before it is dead-lettered, in hours. */
  webhookRetryHours: number;
}

/** Where and how the node listens. These apply when the node (re)starts. */
export interface ListenerConfig {
  host: string;
  port: number;
  consolePort: number | null;
  tlsCert: string | null;
  tlsKey: string | null;
}

export interface SettingsView {
  settings: Settings;
  /** The listener as it runs now (from flags, env, the config file and defaults). */
  server: ListenerConfig;
  /** The data dir's config.json, which console edits write; null when the host has no data dir. */
  configFile: string | null;
  /** The listener keys config.json sets; flags and env vars still win over them at start. */
  configured: Partial<ListenerConfig>;
  /** config.json asks for a listener that differs from the running one: restart to apply. */
  restartRequired: boolean;
}
