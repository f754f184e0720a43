/**
 * The console contract: every method the admin console can call and every event it can receive.
 * Declared once; the IPC handlers, the preload functions, the HTTP bridge and the renderer client are
 * all derived from it, and a parity test proves IPC and HTTP expose the same set.
 * Types only: this file imports nothing but the parameter types of schemas.ts, and only with
 * `import type`, so the renderer can `import type` it without pulling server code or valibot.
 */
import type { ConsoleParams } from './schemas.js';

export type Role = 'admin' | 'publisher' | 'member';

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

export interface MappingRow {
  groupName: string;
  role: Role;
  createdAt: string;
  updatedAt: string;
}

export type MappingWarning =
  | { kind: 'near-miss'; mapping: string; group: string; message: string }
  | { kind: 'missing'; mapping: string; message: string }
  | { kind: 'renamed'; mapping: string; group: string; message: string };

export interface RoleDelta {
  userId: string;
  userName: string;
  from: Role | null;
  to: Role | null;
  group: string | null;
}

export interface MemberSummary {
  id: string;
  userName: string;
  displayName: string | null;
  externalId: string | null;
  active: boolean;
  role: Role | null;
  groups: string[];
  roleSource: string | null;
  origin: 'scim' | 'admin';
}

export interface RoleCandidate {
  groupId: string;
  groupName: string;
  role: Role;
  direct: boolean;
}

export interface AuditEntry {
  id: number;
  time: string;
  kind: string;
  userId: string | null;
  userName: string | null;
  oldRole: Role | null;
  newRole: Role | null;
  groupName: string | null;
  mapping: string | null;
  detail: unknown;
  actor: string;
  requestId: string | null;
  tokenId: string | null;
}

export interface MemberDetail extends MemberSummary {
  explain: { role: Role | null; group: string | null; candidates: RoleCandidate[]; suspended: boolean };
  history: AuditEntry[];
  /** The SCIM resource as an IdP would read it. */
  resource: Record<string, unknown>;
  /** Extension values (EnterpriseUser, declared and undeclared custom extensions), one entry per schema URN. */
  extensions: MemberExtension[];
}

export interface MemberExtension {
  urn: string;
  /** False for data kept without a declaration (see the "Undeclared attributes seen" list). */
  declared: boolean;
  attributes: { name: string; value: unknown }[];
}

/** An attribute of a declared extension schema (RFC 7643 §7), plus the node's `indexed` flag. */
export interface ExtensionAttribute {
  name: string;
  type: 'string' | 'boolean' | 'decimal' | 'integer' | 'dateTime' | 'reference' | 'complex' | 'binary';
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact: boolean;
  mutability: 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
  returned: 'always' | 'never' | 'default' | 'request';
  uniqueness: 'none' | 'server' | 'global';
  canonicalValues?: string[];
  referenceTypes?: string[];
  subAttributes?: ExtensionAttribute[];
  indexed?: boolean;
}

/** A declared extension schema, as `scimdesk schema list --json` prints it. */
export interface ExtensionSchema {
  id: string;
  name: string;
  description: string;
  attributes: ExtensionAttribute[];
}

/** Stored data a declaration would not accept: which user, which attribute, what is wrong. */
export interface DeclarationViolation {
  userId: string;
  userName: string;
  attribute: string;
  problem: 'type' | 'required' | 'duplicate';
  value?: unknown;
  detail: string;
}

export interface DeclareOutcome {
  /** False when the stored data violates the declaration; then nothing changed. */
  applied: boolean;
  declaration: ExtensionSchema;
  /** The first 100 violations; `total` counts all of them. */
  violations: DeclarationViolation[];
  total: number;
}

/** An extension attribute received without a declaration (kept unless undeclaredExtensions is 'reject'). */
export interface UndeclaredAttribute {
  urn: string;
  attribute: string;
  /** The JSON types seen ("string", "integer", "boolean", "dateTime", "array", "object"); never the values. */
  valueTypes: string[];
  firstSeen: string;
  lastSeen: string;
  count: number;
}

/** A declaration proposed from what was seen, for the admin to review before declaring it. */
export interface DeclarationProposal {
  id: string;
  name: string;
  description: string;
  attributes: (ExtensionAttribute | { name: string; type: string; multiValued: boolean })[];
}

/** One side of a conflict review: the member who holds the userName, or the IdP's create that wanted it. */
export interface ConflictSide {
  userName: string;
  externalId: string | null;
  /** null when the incoming payload did not say (SCIM's default is active). */
  active: boolean | null;
  /** Roles come from group mappings, so the incoming side has none of its own. */
  role: Role | null;
  /** Existing side: the last successful IdP request that touched the member; incoming: the 409's time. */
  lastIdpActivity: string | null;
}

export interface Conflict {
  id: number;
  time: string;
  userName: string;
  externalId: string | null;
  existingUserId: string;
  payload: unknown;
  requestId: string | null;
  status: 'open' | 'linked' | 'dismissed';
  resolvedAt: string | null;
  dismissReason: string | null;
  /** null when the member was deleted since; the conflict can then only be dismissed. */
  existing: ConflictSide | null;
  incoming: ConflictSide;
}

export interface GroupSummary {
  id: string;
  displayName: string;
  externalId: string | null;
  memberCount: number;
  /** The role a mapping gives this exact displayName, if any. */
  role: Role | null;
}

export interface GroupMemberItem {
  value: string;
  type: 'User' | 'Group';
  display: string;
  /** For a user member: its userName and whether it is active (null for a nested group). */
  userName: string | null;
  active: boolean | null;
}

export interface EventSummary {
  id: number;
  time: string;
  requestId: string;
  method: string;
  path: string;
  status: number;
  latencyMs: number;
  tokenId: string | null;
  sourceIp: string | null;
  userAgent: string | null;
  resourceType: string | null;
  resourceId: string | null;
  userName: string | null;
  /** Sent by the console's "Test sync" against this node; not counted by alarms or health. Absent means false. */
  simulated?: boolean;
}

export interface EventRow extends EventSummary {
  notes: string[];
  changes: unknown[];
}

export interface EventDetail extends EventRow {
  requestHeaders: Record<string, string>;
  /** The body the node read: after the dialect layer's corrections (see `notes`), redacted. */
  requestBody: string | null;
  /** The body exactly as the IdP sent it, redacted; null when byte for byte `requestBody`. */
  requestBodyReceived: string | null;
  /** The response headers the IdP received (ETag, Location, Retry-After, WWW-Authenticate …). */
  responseHeaders: Record<string, string>;
  responseBody: string | null;
  /** The downstream change events this request produced (the change feed, issue #14). */
  downstream?: DownstreamEventItem[];
}

export interface EventFilter {
  statusClass?: 2 | 3 | 4 | 5;
  /** Exact status codes, any of them (e.g. [400, 409]); with statusClass, either matches. */
  statuses?: number[];
  method?: string;
  resourceType?: string;
  resourceId?: string;
  userName?: string;
  tokenId?: string;
  /** A token's label, prefix or id, resolved on the server (one resolver for CLI and console). */
  tokenRef?: string;
  requestId?: string;
  text?: string;
  since?: string;
  until?: string;
}

export interface Alert {
  id: number;
  time: string;
  kind: string;
  severity: 'info' | 'warning' | 'critical';
  message: string;
  data: unknown;
  acknowledgedAt: string | null;
}

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

export interface OAuthSecretSummary {
  id: string;
  hint: string; // the secret's first characters, so an admin can tell which one an IdP holds
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  state: 'active' | 'expired' | 'revoked';
}

/** An OAuth 2.0 client (client credentials grant); `id` is its client_id. */
export interface OAuthClientSummary {
  id: string;
  name: string;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
  state: 'active' | 'revoked';
  secrets: OAuthSecretSummary[];
}

export interface CreatedOAuthSecret {
  client: OAuthClientSummary;
  secretId: string;
  clientSecret: string; // shown once; never retrievable again
}

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

/** A webhook endpoint as `webhook list` and the Deliveries screen show it (issue #14 §3–4). */
export interface WebhookEndpointSummary {
  id: string;
  label: string;
  url: string;
  /** Type patterns: "user.*", "group.member_added", "*". */
  events: string[];
  status: 'active' | 'failing' | 'disabled';
  lastDeliveryAt: string | null;
  lastStatus: number | null;
  /** Events this endpoint wants and has not received yet: its lag in events. */
  pendingEvents: number;
  /** Seconds since the oldest event it has not received happened: its lag in time. */
  lagSeconds: number;
  deadLettered: number;
  nextAttemptAt: string | null;
  /** Failed attempts of the event at the head of its queue. */
  attempts: number;
}

export interface WebhookAttemptItem {
  id: number;
  endpointId: string;
  /** 0 for a `ping` from "test". */
  eventId: number;
  eventType: string;
  time: string;
  /** HTTP status, or null when no answer came (refused, timed out). */
  status: number | null;
  latencyMs: number;
  error: string | null;
  responseExcerpt: string | null;
}

export interface DeadLetterItem {
  endpointId: string;
  eventId: number;
  eventType: string;
  deadAt: string;
  attempts: number;
  lastError: string | null;
  /** Queued for redelivery. */
  requeued: boolean;
}

/** A change event of the downstream feed, as the event detail of the request that caused it lists it. */
export interface DownstreamEventItem {
  id: number;
  type: string;
  occurredAt: string;
  /** The resource id the event is about (a user or group id). */
  subject: string | null;
}

/** Each method's parameters are the input type of its schema in schemas.ts, the one definition the server checks. */
type P<M extends keyof ConsoleParams> = ConsoleParams[M];

export interface ConsoleMethods {
  'node.status': { params: P<'node.status'>; result: NodeStatus };
  'node.traffic': { params: P<'node.traffic'>; result: TrafficPoint[] };
  'tokens.list': { params: P<'tokens.list'>; result: TokenListItem[] };
  'tokens.create': { params: P<'tokens.create'>; result: CreatedToken };
  'tokens.revoke': { params: P<'tokens.revoke'>; result: { revoked: boolean } };
  'tokens.rotate': { params: P<'tokens.rotate'>; result: CreatedToken };
  /** Sends one real SCIM request with a token, as the guided rotation's "test it" step. */
  'tokens.test': { params: P<'tokens.test'>; result: { ok: boolean; status: number; detail: string } };
  'tokens.hygiene': { params: P<'tokens.hygiene'>; result: HygieneEntry[] };
  'mappings.list': { params: P<'mappings.list'>; result: { mappings: MappingRow[]; warnings: MappingWarning[]; groupNames: string[] } };
  'mappings.preview': { params: P<'mappings.preview'>; result: RoleDelta[] };
  'mappings.set': { params: P<'mappings.set'>; result: RoleDelta[] };
  'members.list': { params: P<'members.list'>; result: { total: number; items: MemberSummary[] } };
  'members.get': { params: P<'members.get'>; result: MemberDetail };
  'members.setActive': { params: P<'members.setActive'>; result: MemberSummary };
  'conflicts.list': { params: P<'conflicts.list'>; result: Conflict[] };
  /** Replacing an externalId the member already has needs `replace: true` (the console's confirm step). */
  'conflicts.link': { params: P<'conflicts.link'>; result: MemberSummary };
  'conflicts.dismiss': { params: P<'conflicts.dismiss'>; result: Conflict };
  'groups.list': { params: P<'groups.list'>; result: { total: number; items: GroupSummary[] } };
  'groups.members': { params: P<'groups.members'>; result: { total: number; items: GroupMemberItem[] } };
  'events.list': { params: P<'events.list'>; result: { items: EventRow[]; nextCursor: number | null } };
  'events.get': { params: P<'events.get'>; result: EventDetail };
  /** Every request that touched one user or group, failed ones included, newest first. */
  'events.timeline': { params: P<'events.timeline'>; result: { items: EventRow[]; nextCursor: number | null } };
  /** Electron saves to a file the admin picks; the HTTP bridge streams a download instead. */
  'events.export': { params: P<'events.export'>; result: { saved: string | null; count: number } };
  'alerts.list': { params: P<'alerts.list'>; result: Alert[] };
  'alerts.acknowledge': { params: P<'alerts.acknowledge'>; result: { acknowledged: boolean } };
  /** Runs the IdP simulator; each step is also pushed as `simulate.step` while it runs. */
  'simulate.run': { params: P<'simulate.run'>; result: SimSummary };
  'oauth.list': { params: P<'oauth.list'>; result: OAuthClientSummary[] };
  'oauth.create': { params: P<'oauth.create'>; result: CreatedOAuthSecret };
  /** Adds a secret; old ones keep working until revoked, or for `graceHours` when given. */
  'oauth.rotate': { params: P<'oauth.rotate'>; result: CreatedOAuthSecret };
  /** Revokes the client, or only `secretId`; live access tokens stop on the next request. */
  'oauth.revoke': { params: P<'oauth.revoke'>; result: { revoked: boolean } };
  'health.get': { params: P<'health.get'>; result: HealthReport };
  'schemas.list': { params: P<'schemas.list'>; result: ExtensionSchema[] };
  /** Declares or redeclares an extension; with `checkOnly`, only reports what the stored data violates. */
  'schemas.declare': { params: P<'schemas.declare'>; result: DeclareOutcome };
  'schemas.remove': { params: P<'schemas.remove'>; result: { removed: boolean } };
  'schemas.undeclared': { params: P<'schemas.undeclared'>; result: UndeclaredAttribute[] };
  /** The one-click "Declare" of an undeclared URN: a proposal the admin reviews, then declares. */
  'schemas.propose': { params: P<'schemas.propose'>; result: DeclarationProposal };
  'settings.get': { params: P<'settings.get'>; result: SettingsView };
  'settings.set': { params: P<'settings.set'>; result: SettingsView };
  /** Several settings at once, all or nothing: the console's single Save. */
  'settings.update': { params: P<'settings.update'>; result: SettingsView };
  /** Writes listener keys to config.json (validated; a TLS pair is loaded and checked first). */
  'settings.setListener': { params: P<'settings.setListener'>; result: SettingsView };
  'deliveries.list': { params: P<'deliveries.list'>; result: WebhookEndpointSummary[] };
  'deliveries.attempts': { params: P<'deliveries.attempts'>; result: WebhookAttemptItem[] };
  'deliveries.deadLetters': { params: P<'deliveries.deadLetters'>; result: DeadLetterItem[] };
  /** The secret is in the result once, never again. */
  'deliveries.add': {
    params: P<'deliveries.add'>;
    result: { endpoint: WebhookEndpointSummary; secret: string };
  };
  /** Sends a signed `ping`. */
  'deliveries.test': { params: P<'deliveries.test'>; result: { ok: boolean; status: number | null; latencyMs: number; detail: string } };
  'deliveries.rotateSecret': { params: P<'deliveries.rotateSecret'>; result: { secret: string; oldSecretsExpireAt: string } };
  'deliveries.setEnabled': { params: P<'deliveries.setEnabled'>; result: WebhookEndpointSummary };
  /** `from` (an event id) or `deadLetters`. */
  'deliveries.redeliver': { params: P<'deliveries.redeliver'>; result: { requeued: number } };
  'deliveries.remove': { params: P<'deliveries.remove'>; result: { removed: boolean } };
}

export type ConsoleMethod = keyof ConsoleMethods;
export type ParamsOf<M extends ConsoleMethod> = ConsoleMethods[M]['params'];
export type ResultOf<M extends ConsoleMethod> = ConsoleMethods[M]['result'];

export interface ConsolePushEvents {
  'events.appended': EventSummary;
  'alerts.raised': Alert;
  'simulate.step': SimStep;
}

export type ConsoleEvent = keyof ConsolePushEvents;

/** IPC keeps only an Error's message, so failures travel as data. */
export interface ConsoleError {
  code: 'invalid' | 'not-found' | 'conflict' | 'unauthorized' | 'internal';
  message: string;
  field?: string;
}

export type ConsoleResult<T> = { ok: true; value: T } | { ok: false; error: ConsoleError };

/** What the renderer talks to, over IPC (preload) or HTTP (headless bridge). */
export interface ConsoleApi {
  call<M extends ConsoleMethod>(method: M, params: ParamsOf<M>): Promise<ConsoleResult<ResultOf<M>>>;
  on<E extends ConsoleEvent>(event: E, listener: (payload: ConsolePushEvents[E]) => void): () => void;
}

/** Channel names, shared by main and preload: `console:<method>` for calls, `console-push:<event>` for pushes. */
export type IpcCallChannel = `console:${ConsoleMethod}`;
export type IpcPushChannel = `console-push:${ConsoleEvent}`;
