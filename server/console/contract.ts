/**
 * The console contract: every method the admin console can call and every event it can receive.
 * Declared once; the IPC handlers, the preload functions, the HTTP bridge and the renderer client are
 * all derived from it, and a parity test proves IPC and HTTP expose the same set.
 * This file is the contract's one entry point: each area's types live in contract/<area>.ts and are
 * re-exported here; this file declares the method map and the push events over them.
 * Types only: the contract imports nothing but its own files and the parameter types of schemas.ts,
 * and only with `import type`, so the renderer can `import type` it without pulling server code or valibot.
 */

import type { Alert } from './contract/alerts.js';
import type { Conflict } from './contract/conflicts.js';
import type { DeadLetterItem, WebhookAttemptItem, WebhookEndpointSummary } from './contract/deliveries.js';
import type { EventDetail, EventRow, EventSummary } from './contract/events.js';
import type { DeclarationProposal, DeclareOutcome, ExtensionSchema, UndeclaredAttribute } from './contract/extensions.js';
import type { GroupMemberItem, GroupSummary } from './contract/groups.js';
import type { HealthReport } from './contract/health.js';
import type { MappingRow, MappingWarning, RoleDelta } from './contract/mappings.js';
import type { MemberDetail, MemberSummary } from './contract/members.js';
import type { NodeStatus, TrafficPoint } from './contract/node.js';
import type { CreatedOAuthSecret, OAuthClientSummary } from './contract/oauth.js';
import type { SettingsView } from './contract/settings.js';
import type { SimStep, SimSummary } from './contract/simulate.js';
import type { CreatedToken, HygieneEntry, TokenListItem } from './contract/tokens.js';
import type { ConsoleParams } from './schemas.js';

export type { Alert } from './contract/alerts.js';
export type { Conflict, ConflictSide } from './contract/conflicts.js';
export type { DeadLetterItem, DownstreamEventItem, WebhookAttemptItem, WebhookEndpointSummary } from './contract/deliveries.js';
export type { EventDetail, EventFilter, EventRow, EventSummary } from './contract/events.js';
export type {
  DeclarationProposal,
  DeclarationViolation,
  DeclareOutcome,
  ExtensionAttribute,
  ExtensionSchema,
  UndeclaredAttribute,
} from './contract/extensions.js';
export type { GroupMemberItem, GroupSummary } from './contract/groups.js';
export type { HealthErrorKind, HealthErrorSummary, HealthLevel, HealthReport, HealthWindow, IdpHealth } from './contract/health.js';
export type { MappingRow, MappingWarning, Role, RoleDelta } from './contract/mappings.js';
export type { AuditEntry, MemberDetail, MemberExtension, MemberSummary, RoleCandidate } from './contract/members.js';
export type { NodeStatus, TrafficPoint } from './contract/node.js';
export type { CreatedOAuthSecret, OAuthClientSummary, OAuthSecretSummary } from './contract/oauth.js';
export type { ListenerConfig, Settings, SettingsView } from './contract/settings.js';
export type { SimStep, SimSummary } from './contract/simulate.js';
export type { CreatedToken, HygieneEntry, TokenListItem, TokenSummary, TokenUsage } from './contract/tokens.js';

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
