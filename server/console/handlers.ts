import { randomUUID } from 'node:crypto';
import { TokenRefError } from '../auth/tokens.js';
import { ConfigError, configPath, readConfigFile, writeConfigFile } from '../config.js';
import type { EventFilter } from '../events/events.js';
import { newContext } from '../events/request-context.js';
import { InputError } from '../input-error.js';
import type { ScimNode } from '../node.js';
import { ScimError } from '../scim/errors.js';
import { DeclarationError } from '../scim/extension-schema.js';
import { SettingsError } from '../settings/settings.js';
import { loadTls } from '../tls.js';
import type { ConsoleError, ConsoleMethod, ConsoleResult, ListenerConfig, ResultOf, SettingsView } from './contract.js';
import { deliveryHandlers, downstreamOf } from './deliveries-handlers.js';
import { ConsoleInputError, parseParams } from './params.js';
import type { CheckedParams } from './schemas.js';

/** Each handler receives its parameters already checked against the method's schema (schemas.ts). */
export type ConsoleHandlers = { [M in ConsoleMethod]: (params: CheckedParams[M]) => Promise<ResultOf<M>> };

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
    'node.traffic': async (p) => {
      return node.overview.traffic(p.minutes ?? 60);
    },
    'tokens.list': async () =>
      node.tokens.list().map((t) => ({
        ...t,
        state: node.tokens.state(t),
        usage: node.limiter.usage(t.id),
      })),
    'tokens.create': async (p) =>
      node.tokens.create({
        label: p.label,
        expiresInMs: p.expiresInDays ? p.expiresInDays * DAY : null,
        allowedCidrs: p.allowedCidrs,
      }),
    'tokens.revoke': async (p) => ({ revoked: node.tokens.revoke(p.id) }),
    'tokens.rotate': async (p) => node.tokens.rotate(p.id, p.graceHours * 3_600_000),
    'tokens.test': async ({ token }) => {
      const res = await node.tokens.selfTest(token, async () => {
        const r = await fetch(`${host.scimUrl()}/ServiceProviderConfig`, { headers: { authorization: `Bearer ${token}` } });
        await r.arrayBuffer();
        return r;
      });
      return { ok: res.ok, status: res.status, detail: res.ok ? 'the token works against this node' : `the node answered ${res.status}` };
    },
    'tokens.hygiene': async () => node.tokens.hygiene(),
    'mappings.list': async () => ({
      mappings: node.roles.mappings(),
      warnings: node.roles.warnings(),
      groupNames: node.roles.allGroupNames(),
    }),
    'mappings.preview': async (p) => node.roles.preview(p.group, p.role),
    'mappings.set': async (p) => node.roles.setMapping(p.group, p.role, consoleActor),
    'members.list': async (p) => node.members.list(p),
    'members.get': async (p) => node.members.detail(p.id, host.scimUrl()),
    'members.setActive': async (p) => node.members.setActive(p.id, p.active, host.scimUrl(), ctx()),
    'conflicts.list': async () => node.members.conflicts(),
    'conflicts.link': async (p) => node.members.link({ conflictId: p.conflictId }, host.scimUrl(), ctx(), { replace: p.replace ?? false }),
    'conflicts.dismiss': async (p) => node.members.dismiss(p.conflictId, p.reason),
    'groups.list': async (p) => node.overview.groups(p.search ?? '', p.limit ?? 100, p.offset ?? 0),
    'groups.members': async (p) => node.overview.groupMembers(p.id, p.limit ?? 100, p.offset ?? 0),
    'events.list': async (p) => node.events.list(p.filter, { before: p.before, limit: p.limit }),
    'events.get': async ({ id }) => {
      const e = node.events.get(id);
      if (!e) throw new ScimError(404, undefined, `no event with id ${id}`);
      return { ...e, downstream: downstreamOf(node, e.requestId) };
    },
    'events.timeline': async (p) => node.events.timeline(p.id, { before: p.before, limit: p.limit }),
    'events.export': async (p) => host.exportEvents(p.filter, p.format),
    'alerts.list': async () => node.alerts.list(),
    'alerts.acknowledge': async (p) => ({ acknowledged: node.alerts.acknowledge(p.id) }),
    'simulate.run': async ({ idp, target }) => {
      return node.simulate.run(idp, target ?? null, host.scimUrl());
    },
    'oauth.list': async () => node.oauth.list(),
    'oauth.create': async (p) => node.oauth.create({ name: p.name }),
    'oauth.rotate': async (p) => node.oauth.rotate(p.id, p.graceHours === undefined ? null : p.graceHours * 3_600_000),
    'oauth.revoke': async (p) => ({ revoked: node.oauth.revoke(p.id, p.secretId) }),
    'health.get': async () => node.health.report(),
    'settings.get': async () => settingsView(),
    'settings.setListener': async (patch) => {
      if (!host.dataDir) throw new ConsoleInputError('this node has no data directory to write config.json to');
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
    'settings.update': async (p) => {
      node.settings.update(p.settings);
      return settingsView();
    },
    'schemas.list': async () => node.extensions.list(),
    'schemas.declare': async (p) => (p.checkOnly ? node.extensions.check(p.declaration) : node.extensions.declare(p.declaration)),
    'schemas.remove': async (p) => ({ removed: node.extensions.remove(p.urn) }),
    'schemas.undeclared': async () => node.extensions.undeclared(),
    'schemas.propose': async (p) => node.extensions.propose(p.urn),
    'settings.set': async (p) => {
      node.settings.set(p.key, p.value);
      return settingsView();
    },
  };
}

export function toConsoleError(e: unknown): ConsoleError {
  if (e instanceof InputError) return { code: 'invalid', message: e.message, ...(e.field ? { field: e.field } : {}) };
  if (e instanceof SettingsError) return { code: 'invalid', message: e.message, field: e.key };
  if (e instanceof TokenRefError) return { code: 'invalid', message: e.message, field: 'tokenRef' };
  if (e instanceof DeclarationError) return { code: 'invalid', message: e.message, field: e.field };
  if (e instanceof ScimError) {
    const code = e.status === 404 ? 'not-found' : e.status === 409 ? 'conflict' : e.status === 401 ? 'unauthorized' : 'invalid';
    return { code, message: e.detail };
  }
  // Services throw InputError for what the admin asked wrong; anything else is a bug and is not
  // described to the client.
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
    const handler = handlers[method] as (p: CheckedParams[M]) => Promise<ResultOf<M>>;
    return { ok: true, value: await handler(parseParams(method, params)) };
  } catch (e) {
    const error = toConsoleError(e);
    if (error.code === 'internal') log(`console method ${method} failed`, e);
    return { ok: false, error };
  }
}
