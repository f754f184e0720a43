import * as v from 'valibot';
import type { ListenerConfig, Role, Settings } from './contract.js';

/**
 * The parameters of every console method, declared once as valibot schemas. The contract derives
 * `ParamsOf<M>` from them (`import type` only, so the renderer bundle never carries valibot), and
 * `parseParams` checks untrusted IPC/HTTP input against the same definition.
 *
 * Messages are predicates ("is required", "must be …"): `parseParams` puts the offending field's
 * path in front, so the console error reads "label is required" with `field: 'label'`.
 */

const ROLES = ['admin', 'publisher', 'member'] as const satisfies readonly Role[];

/**
 * The run-time settings' keys, for `settings.set`. The settings service derives the same list from its
 * defaults; the check below fails the build when a key of the contract's Settings is missing here.
 */
export const SETTING_KEYS = [
  'deletePolicy',
  'autoLink',
  'rateLimit',
  'eventRetentionDays',
  'eventRetentionMaxMb',
  'trustProxy',
  'deprovisionAlarm',
  'oauthTokenTtlSeconds',
  'healthWarnPercent',
  'healthCriticalPercent',
  'undeclaredExtensions',
  'desktopNotifications',
  'changeEventRetentionDays',
  'webhookRetryHours',
] as const satisfies readonly (keyof Settings)[];
type MissingSetting = Exclude<keyof Settings, (typeof SETTING_KEYS)[number]>;
export const SETTING_KEYS_COMPLETE: [MissingSetting] extends [never] ? true : MissingSetting = true;

const required = (issue: { input: unknown }, otherwise: string): string => (issue.input == null ? 'is required' : otherwise);

/** Non-blank text; the value is kept as sent. */
const text = () =>
  v.pipe(
    v.string('is required'),
    v.check((s) => s.trim() !== '', 'is required'),
  );

/** Absent, null and "" all mean "not given". (The outer `optional` keeps the key optional in both types.) */
const optText = () =>
  v.optional(
    v.pipe(
      v.nullable(v.string('must be text')),
      v.transform((s) => (s === null || s === '' ? undefined : s)),
    ),
  );

/** A finite number in [min, max]; absent or null is "is required". */
const range = (min: number, max: number) => {
  const message = `must be a number from ${min} to ${max}`;
  return v.pipe(
    v.number((issue) => required(issue, message)),
    v.finite(message),
    v.minValue(min, message),
    v.maxValue(max, message),
  );
};

/** Wraps a schema so that absent and null both read as undefined. */
const opt = <S extends v.GenericSchema>(schema: S) =>
  v.optional(
    v.pipe(
      v.nullable(schema),
      v.transform((x) => x ?? undefined),
    ),
  );

const optRange = (min: number, max: number) => opt(range(min, max));
const oneOf = <const T extends readonly string[]>(values: T) => v.picklist(values, `must be one of ${values.join(', ')}`);
const bool = () => v.boolean((issue) => required(issue, 'must be true or false'));
const id = () => range(1, Number.MAX_SAFE_INTEGER);
const port = () =>
  v.pipe(
    range(0, 65535),
    v.transform((n) => Math.trunc(n)),
  );
const role = () => v.nullable(v.picklist(ROLES, 'must be admin, publisher, member or null'));
const page = { offset: optRange(0, 1e9), limit: optRange(1, 1000) };

const STATUSES = 'must be a list of HTTP status codes (100 to 599)';

/** An event-log filter, from console params or the export URL. */
export const EVENT_FILTER = v.object({
  statusClass: opt(
    v.pipe(
      range(2, 5),
      v.transform((n) => Math.trunc(n) as 2 | 3 | 4 | 5),
    ),
  ),
  method: optText(),
  resourceType: optText(),
  resourceId: optText(),
  userName: optText(),
  tokenId: optText(),
  /** A token's label, prefix or id, resolved on the server (TokenService.resolveRef). */
  tokenRef: optText(),
  /** Exact status codes, any of them: [400, 409]. */
  statuses: opt(
    v.pipe(
      v.array(v.pipe(v.number(STATUSES), v.integer(STATUSES), v.minValue(100, STATUSES), v.maxValue(599, STATUSES)), STATUSES),
      v.maxLength(20, STATUSES),
    ),
  ),
  requestId: optText(),
  text: optText(),
  since: optText(),
  until: optText(),
});

/** A TLS file path: null or "" clears it, anything else must be non-blank text (kept trimmed). */
const tlsFile = () =>
  v.optional(
    v.union(
      [
        v.pipe(
          v.union([v.null(), v.literal('')]),
          v.transform(() => null),
        ),
        v.pipe(
          text(),
          v.transform((s) => s.trim()),
        ),
      ],
      'is required',
    ),
  );

const LISTENER = v.pipe(
  v.object({
    host: v.optional(
      v.pipe(
        text(),
        v.transform((s) => s.trim()),
      ),
    ),
    port: v.optional(port()),
    consolePort: v.optional(v.nullable(port())),
    tlsCert: tlsFile(),
    tlsKey: tlsFile(),
  }),
  // The node cannot serve HTTPS with only half a pair: both are set, both cleared, or neither touched.
  v.forward(
    v.check(
      (p) => (p.tlsCert === undefined) === (p.tlsKey === undefined) && (p.tlsCert === null) === (p.tlsKey === null),
      'must be set together with tlsKey (or both cleared)',
    ),
    ['tlsCert'],
  ),
);

const NONE = v.object({});

export const CONSOLE_PARAMS = {
  'node.status': NONE,
  'node.traffic': v.object({ minutes: optRange(1, 1440) }),
  'tokens.list': NONE,
  'tokens.create': v.object({
    label: text(),
    expiresInDays: optRange(1, 3650),
    allowedCidrs: v.optional(v.nullable(v.array(v.string('must be a list of text values'), 'must be a list of text values')), null),
  }),
  'tokens.revoke': v.object({ id: text() }),
  'tokens.rotate': v.object({ id: text(), graceHours: range(0, 24 * 90) }),
  'tokens.test': v.object({ token: text() }),
  'tokens.hygiene': NONE,
  'mappings.list': NONE,
  'mappings.preview': v.object({ group: text(), role: role() }),
  'mappings.set': v.object({ group: text(), role: role() }),
  'members.list': v.object({
    search: optText(),
    role: opt(v.picklist([...ROLES, 'none'], 'must be admin, publisher, member or null')),
    active: opt(bool()),
    ...page,
  }),
  'members.get': v.object({ id: text() }),
  'members.setActive': v.object({ id: text(), active: bool() }),
  'conflicts.list': NONE,
  'conflicts.link': v.object({ conflictId: id(), replace: opt(bool()) }),
  'conflicts.dismiss': v.object({ conflictId: id(), reason: text() }),
  'groups.list': v.object({ search: optText(), ...page }),
  'groups.members': v.object({ id: text(), ...page }),
  'events.list': v.object({ filter: v.nullish(EVENT_FILTER, {}), before: optRange(0, Number.MAX_SAFE_INTEGER), limit: optRange(1, 1000) }),
  'events.get': v.object({ id: id() }),
  'events.timeline': v.object({ id: text(), before: optRange(0, Number.MAX_SAFE_INTEGER), limit: optRange(1, 1000) }),
  'events.export': v.object({ filter: v.nullish(EVENT_FILTER, {}), format: oneOf(['jsonl', 'csv']) }),
  'alerts.list': NONE,
  'alerts.acknowledge': v.object({ id: id() }),
  'simulate.run': v.object({
    idp: oneOf(['okta', 'entra']),
    target: opt(v.object({ url: text(), token: text() }, 'must be {"url": …, "token": …}')),
  }),
  'oauth.list': NONE,
  'oauth.create': v.object({ name: text() }),
  'oauth.rotate': v.object({ id: text(), graceHours: optRange(0, 24 * 90) }),
  'oauth.revoke': v.object({ id: text(), secretId: optText() }),
  'health.get': NONE,
  'schemas.list': NONE,
  'schemas.declare': v.object({ declaration: v.unknown(), checkOnly: opt(bool()) }),
  'schemas.remove': v.object({ urn: text() }),
  'schemas.undeclared': NONE,
  'schemas.propose': v.object({ urn: text() }),
  'settings.get': NONE,
  'settings.set': v.object({ key: oneOf(SETTING_KEYS), value: v.unknown() }),
  // Values are checked by the settings service, which knows each key's rule (and names the key).
  'settings.update': v.object({
    settings: v.record(oneOf(SETTING_KEYS), v.unknown(), 'must be an object of settings, e.g. {"autoLink": true}'),
  }),
  'settings.setListener': LISTENER,
  'deliveries.list': NONE,
  'deliveries.attempts': v.object({ id: text(), limit: optRange(1, 1000) }),
  'deliveries.deadLetters': v.object({ id: text() }),
  'deliveries.add': v.object({ url: text(), events: optText(), label: optText() }),
  'deliveries.test': v.object({ id: text() }),
  'deliveries.rotateSecret': v.object({ id: text(), graceHours: range(0, 24 * 30) }),
  'deliveries.setEnabled': v.object({ id: text(), enabled: bool() }),
  // `from` is an event id (redeliver from there on); `deadLetters` requeues the dead letters.
  'deliveries.redeliver': v.object({
    id: text(),
    from: opt(
      v.pipe(
        id(),
        v.transform((n) => Math.trunc(n)),
      ),
    ),
    deadLetters: opt(bool()),
  }),
  'deliveries.remove': v.object({ id: text() }),
} as const;

type Schemas = typeof CONSOLE_PARAMS;

/** What a caller sends (the renderer's view of each method's parameters). */
export type ConsoleParams = { [M in keyof Schemas]: v.InferInput<Schemas[M]> };
/** What a handler receives once the parameters passed their schema. */
export type CheckedParams = { [M in keyof Schemas]: v.InferOutput<Schemas[M]> };

// The listener patch a console edit writes is exactly a partial ListenerConfig.
export const LISTENER_SHAPE_MATCHES: CheckedParams['settings.setListener'] extends Partial<ListenerConfig> ? true : false = true;
