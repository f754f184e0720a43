import { randomUUID } from 'node:crypto';
import { ConfigError, configPath, readConfigFile, writeConfigFile } from '../config.js';
import type { EventFilter } from '../events/events.js';
import { newContext } from '../events/request-context.js';
import { isRole } from '../mappings/roles.js';
import type { ScimNode } from '../node.js';
import { ScimError } from '../scim/errors.js';
import { SETTING_KEYS, SettingsError } from '../settings/settings.js';
import { loadTls } from '../tls.js';
import type { ConsoleError, ConsoleMethod, ConsoleResult, ListenerConfig, ParamsOf, ResultOf, Role, SettingsView } from './contract.js';
import { deliveryHandlers, downstreamOf } from './deliveries-handlers.js';
import { asParams, ConsoleInputError, num, oneOf, optBool, optNum, optStr, optStrList, type Params, str } from './params.js';

export type ConsoleHandlers = { [M in ConsoleMethod]: (params: ParamsOf<M>) => Promise<ResultOf<M>> };

export interface ConsoleHost {
  kind: 'electron' | 'headless';
  version: string;
  startedAt: string;
  dataDir: string | null;
  /** The SCIM base URL this node answers on. */
  scimUrl: () => string;
  server: SettingsView['server'];
  /** Electron saves to a file the admin picks; headless answers with a download instead. */
  exportEvents: (filter: EventFilter, format: 'jsonl' | 'csv') => Promise<{ saved: string | null; count: number }>;
}

const DAY = 86_400_000;

const LISTENER_KEYS = ['host', 'port', 'consolePort', 'tlsCert', 'tlsKey'] as const;

/** Reads the listener keys a console edit may write; each is checked before config.json is touched. */
function listenerPatch(p: Params): Partial<ListenerConfig> {
  const out: Partial<ListenerConfig> = {};
  if (p.host !== undefined) out.host = str(p, 'host').trim();
  if (p.port !== undefined) out.port = Math.trunc(num(p, 'port', 0, 65535));
  if (p.consolePort !== undefined) out.consolePort = p.consolePort === null ? null : Math.trunc(num(p, 'consolePort', 0, 65535));
  for (const k of ['tlsCert', 'tlsKey'] as const) {
    if (p[k] === undefined) continue;
    out[k] = p[k] === null || p[k] === '' ? null : str(p, k).trim();
  }
  if ((out.tlsCert === undefined) !== (out.tlsKey === undefined) || (out.tlsCert === null) !== (out.tlsKey === null)) {
    throw new ConsoleInputError('set the TLS certificate and key together (or clear both)', 'tlsCert');
  }
  return out;
}

/** Reads an untrusted event filter (console params, the export URL). */
export function eventFilter(raw: unknown): EventFilter {
  const p = asParams(raw);
  const cls = optNum(p, 'statusClass', 2, 5);
  return {
    statusClass: cls === undefined ? undefined : (Math.trunc(cls) as EventFilter['statusClass']),
    method: optStr(p, 'method'),
    resourceType: optStr(p, 'resourceType'),
    resourceId: optStr(p, 'resourceId'),
    userName: optStr(p, 'userName'),
    tokenId: optStr(p, 'tokenId'),
    requestId: optStr(p, 'requestId'),
    text: optStr(p, 'text'),
    since: optStr(p, 'since'),
    until: optStr(p, 'until'),
  };
}

const role = (p: Params): Role | null => {
  const v = p.role;
  if (v === null) return null;
  if (!isRole(v)) throw new ConsoleInputError('role must be admin, publisher, member or null', 'role');
  return v;
};

/**
 * The console's handlers: each is a few lines over a service. Both transports (Electron IPC and the
 * headless HTTP bridge) call these through `invokeConsole`, so they cannot drift apart.
 */
export function createConsoleHandlers(node: ScimNode, host: ConsoleHost): ConsoleHandlers {
  const ctx = () => newContext(randomUUID(), 'console');
  const consoleActor = { kind: 'console' as const, requestId: null, tokenId: null };
  const settingsView = (): SettingsView => {
    const configured: Partial<ListenerConfig> = {};
    if (host.dataDir) {
      const file = readConfigFile(host.dataDir);
      for (const k of LISTENER_KEYS) if (file[k] !== undefined) (configured as Record<string, unknown>)[k] = file[k];
    }
    const restartRequired = LISTENER_KEYS.some((k) => configured[k] !== undefined && configured[k] !== host.server[k]);
    return {
      settings: node.settings.get(),
      server: host.server,
      configFile: host.dataDir ? configPath(host.dataDir) : null,
      configured,
      restartRequired,
    };
  };

  return {
    ...deliveryHandlers(node),
    'node.status': async () => ({
      scimUrl: host.scimUrl(),
      host: host.kind,
      version: host.version,
      startedAt: host.startedAt,
      dataDir: host.dataDir,
      ...node.overview.counts(),
    }),
    'node.traffic': async (raw) => {
      return node.overview.traffic(optNum(asParams(raw), 'minutes', 1, 1440) ?? 60);
    },
    'tokens.list': async () =>
      node.tokens.list().map((t) => ({
        ...t,
        state: node.tokens.state(t),
        usage: node.limiter.usage(t.id),
      })),
    'tokens.create': async (raw) => {
      const p = asParams(raw);
      const days = optNum(p, 'expiresInDays', 1, 3650);
      return node.tokens.create({
        label: str(p, 'label'),
        expiresInMs: days ? days * DAY : null,
        allowedCidrs: optStrList(p, 'allowedCidrs'),
      });
    },
    'tokens.revoke': async (raw) => ({ revoked: node.tokens.revoke(str(asParams(raw), 'id')) }),
    'tokens.rotate': async (raw) => {
      const p = asParams(raw);
      return node.tokens.rotate(str(p, 'id'), num(p, 'graceHours', 0, 24 * 90) * 3_600_000);
    },
    'tokens.test': async (raw) => {
      const token = str(asParams(raw), 'token');
      const res = await fetch(`${host.scimUrl()}/ServiceProviderConfig`, { headers: { authorization: `Bearer ${token}` } });
      await res.arrayBuffer();
      return { ok: res.ok, status: res.status, detail: res.ok ? 'the token works against this node' : `the node answered ${res.status}` };
    },
    'tokens.hygiene': async () => node.tokens.hygiene(),
    'mappings.list': async () => ({
      mappings: node.roles.mappings(),
      warnings: node.roles.warnings(),
      groupNames: node.roles.allGroupNames(),
    }),
    'mappings.preview': async (raw) => {
      const p = asParams(raw);
      return node.roles.preview(str(p, 'group'), role(p));
    },
    'mappings.set': async (raw) => {
      const p = asParams(raw);
      return node.roles.setMapping(str(p, 'group'), role(p), consoleActor);
    },
    'members.list': async (raw) => {
      const p = asParams(raw);
      const r = p.role === 'none' ? 'none' : p.role === undefined ? undefined : (role(p) ?? undefined);
      return node.members.list({
        search: optStr(p, 'search'),
        role: r,
        active: optBool(p, 'active'),
        offset: optNum(p, 'offset', 0, 1e9),
        limit: optNum(p, 'limit', 1, 1000),
      });
    },
    'members.get': async (raw) => node.members.detail(str(asParams(raw), 'id'), host.scimUrl()),
    'members.setActive': async (raw) => {
      const p = asParams(raw);
      const active = optBool(p, 'active');
      if (active === undefined) throw new ConsoleInputError('active is required', 'active');
      return node.members.setActive(str(p, 'id'), active, host.scimUrl(), ctx());
    },
    'conflicts.list': async () => node.members.conflicts(),
    'conflicts.link': async (raw) =>
      node.members.link({ conflictId: num(asParams(raw), 'conflictId', 1, Number.MAX_SAFE_INTEGER) }, host.scimUrl(), ctx()),
    'groups.list': async (raw) => {
      const p = asParams(raw);
      return node.overview.groups(optStr(p, 'search') ?? '', optNum(p, 'limit', 1, 1000) ?? 100, optNum(p, 'offset', 0, 1e9) ?? 0);
    },
    'groups.members': async (raw) => {
      const p = asParams(raw);
      return node.overview.groupMembers(str(p, 'id'), optNum(p, 'limit', 1, 1000) ?? 100, optNum(p, 'offset', 0, 1e9) ?? 0);
    },
    'events.list': async (raw) => {
      const p = asParams(raw);
      return node.events.list(eventFilter(p.filter), {
        before: optNum(p, 'before', 0, Number.MAX_SAFE_INTEGER),
        limit: optNum(p, 'limit', 1, 1000),
      });
    },
    'events.get': async (raw) => {
      const id = num(asParams(raw), 'id', 1, Number.MAX_SAFE_INTEGER);
      const e = node.events.get(id);
      if (!e) throw new ScimError(404, undefined, `no event with id ${id}`);
      return { ...e, downstream: downstreamOf(node, e.requestId) };
    },
    'events.export': async (raw) => {
      const p = asParams(raw);
      return host.exportEvents(eventFilter(p.filter), oneOf(p, 'format', ['jsonl', 'csv'] as const));
    },
    'alerts.list': async () => node.alerts.list(),
    'alerts.acknowledge': async (raw) => ({ acknowledged: node.alerts.acknowledge(num(asParams(raw), 'id', 1, Number.MAX_SAFE_INTEGER)) }),
    'simulate.run': async (raw) => {
      const p = asParams(raw);
      const idp = oneOf(p, 'idp', ['okta', 'entra'] as const);
      const given = p.target === undefined || p.target === null ? null : asParams(p.target);
      const target = given ? { url: str(given, 'url'), token: str(given, 'token') } : null;
      return node.simulate.run(idp, target, host.scimUrl());
    },
    'oauth.list': async () => node.oauth.list(),
    'oauth.create': async (raw) => node.oauth.create({ name: str(asParams(raw), 'name') }),
    'oauth.rotate': async (raw) => {
      const p = asParams(raw);
      const hours = optNum(p, 'graceHours', 0, 24 * 90);
      return node.oauth.rotate(str(p, 'id'), hours === undefined ? null : hours * 3_600_000);
    },
    'oauth.revoke': async (raw) => {
      const p = asParams(raw);
      return { revoked: node.oauth.revoke(str(p, 'id'), optStr(p, 'secretId')) };
    },
    'health.get': async () => node.health.report(),
    'settings.get': async () => settingsView(),
    'settings.setListener': async (raw) => {
      if (!host.dataDir) throw new ConsoleInputError('this node has no data directory to write config.json to');
      const p = asParams(raw);
      const patch = listenerPatch(p);
      const cert = patch.tlsCert === undefined ? undefined : patch.tlsCert;
      const key = patch.tlsKey === undefined ? undefined : patch.tlsKey;
      if (cert && key) {
        // Refuse a pair the node could not start with, while the admin is still looking at it.
        try {
          loadTls(cert, key, node.now());
        } catch (e) {
          throw new ConsoleInputError((e as Error).message, 'tlsCert');
        }
      }
      try {
        writeConfigFile(host.dataDir, patch);
      } catch (e) {
        if (e instanceof ConfigError) throw new ConsoleInputError(e.message);
        throw e;
      }
      return settingsView();
    },
    'settings.set': async (raw) => {
      const p = asParams(raw);
      node.settings.set(oneOf(p, 'key', SETTING_KEYS), p.value);
      return settingsView();
    },
  };
}

function toConsoleError(e: unknown): ConsoleError {
  if (e instanceof ConsoleInputError) return { code: 'invalid', message: e.message, ...(e.field ? { field: e.field } : {}) };
  if (e instanceof SettingsError) return { code: 'invalid', message: e.message, field: e.key };
  if (e instanceof ScimError) {
    const code = e.status === 404 ? 'not-found' : e.status === 409 ? 'conflict' : e.status === 401 ? 'unauthorized' : 'invalid';
    return { code, message: e.detail };
  }
  // Services throw plain Errors with messages meant for the admin ("no active token with id …");
  // anything else (TypeError and friends) is a bug and is not described to the client.
  if (e instanceof Error && e.constructor === Error) return { code: 'invalid', message: e.message };
  return { code: 'internal', message: 'internal error; see the node log' };
}

/** The one entry point both transports use: never throws, always a ConsoleResult. */
export async function invokeConsole<M extends ConsoleMethod>(
  handlers: ConsoleHandlers,
  method: M,
  params: unknown,
  log: (msg: string, err?: unknown) => void = () => {},
): Promise<ConsoleResult<ResultOf<M>>> {
  try {
    const handler = handlers[method] as (p: unknown) => Promise<ResultOf<M>>;
    return { ok: true, value: await handler(params ?? {}) };
  } catch (e) {
    const error = toConsoleError(e);
    if (error.code === 'internal') log(`console method ${method} failed`, e);
    return { ok: false, error };
  }
}
