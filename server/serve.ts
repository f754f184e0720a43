import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { ConsoleAuth } from './auth/console-auth.js';
import type { ServeOptions } from './config.js';
import { createConsoleHandlers } from './console/handlers.js';
import { acquireServeLock, dataDirWarning, dbPath, ensureDataDir, ensureMetricsToken, metricsTokenPath, servingPid } from './data-dir.js';
import { createMetrics } from './events/metrics.js';
import { consoleBridge } from './http/console-bridge.js';
import { SCIM_BASE_PATH } from './http/scim-router.js';
import { InputError } from './input-error.js';
import { type NodeConfig, type ScimNode, startNode } from './node.js';
import { RENDERER_DIR, VERSION } from './package-root.js';
import { type LoadedTls, loadTls, watchTls } from './tls.js';

export interface RunningServer {
  node: ScimNode;
  scimUrl: string;
  server: Server | HttpsServer;
  /** The loopback console listener, when enabled. */
  consoleUrl: string | null;
  /** A one-time login link minted at start (valid 10 minutes). */
  loginUrl: string | null;
  consoleAuth: ConsoleAuth;
  /** The loaded certificate when serving HTTPS. */
  tls: LoadedTls | null;
  /** Stops accepting, lets in-flight requests finish, closes the database. */
  stop(): Promise<void>;
}

function listen(server: Server | HttpsServer, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

const urlHost = (host: string): string => (host.includes(':') ? `[${host}]` : host);

/** Graceful for SCIM (in-flight requests finish); the console's SSE streams are cut at once. */
function close(server: Server | HttpsServer, streams = false): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Idle keep-alive sockets would hold close() open; in-flight requests still finish.
    server.closeIdleConnections();
    if (streams) server.closeAllConnections();
  });
}

/** Where `scimdesk console-link` finds the running node's console. */
export const runtimeFile = (dataDir: string): string => join(dataDir, 'serve.json');

/** The console URL of the node serving this data dir, from its runtime file. */
export function runningConsoleUrl(dataDir: string): string | null {
  try {
    const info = JSON.parse(readFileSync(runtimeFile(dataDir), 'utf8')) as { consoleUrl?: string | null };
    return info.consoleUrl ?? null;
  } catch {
    return null;
  }
}

/**
 * The node serving this data dir right now, from its runtime file, or null when none runs (a
 * runtime file left by a crash does not count: the serve lock's pid must be alive).
 */
export function runningNode(dataDir: string): { pid: number; scimUrl: string; consoleUrl: string | null } | null {
  const pid = servingPid(dataDir);
  if (pid === null) return null;
  try {
    const info = JSON.parse(readFileSync(runtimeFile(dataDir), 'utf8')) as { pid?: number; scimUrl?: string; consoleUrl?: string | null };
    if (info.pid !== pid || typeof info.scimUrl !== 'string') return null;
    return { pid, scimUrl: info.scimUrl, consoleUrl: info.consoleUrl ?? null };
  } catch {
    return null;
  }
}

/** The headless host: one data dir, one node, the SCIM listener and the loopback console listener. */
export async function serve(opts: ServeOptions, extra: Partial<NodeConfig> = {}, staticDir = RENDERER_DIR): Promise<RunningServer> {
  ensureDataDir(opts.dataDir);
  const warning = dataDirWarning(opts.dataDir);
  if (warning) (extra.log ?? (() => {}))(warning);
  const release = acquireServeLock(opts.dataDir, extra.nativeBinding);
  let node: ScimNode;
  try {
    node = startNode({
      dbFile: dbPath(opts.dataDir),
      bodyLimitBytes: opts.bodyLimitBytes,
      backupDir: join(opts.dataDir, 'backups'),
      ...extra,
    });
  } catch (e) {
    release();
    throw e;
  }
  const servers: (Server | HttpsServer)[] = [];
  const fail = async (e: unknown): Promise<never> => {
    await Promise.all(servers.map((srv) => close(srv, true)));
    node.close();
    release();
    throw e;
  };
  let tls: LoadedTls | null = null;
  try {
    tls = opts.tlsCert && opts.tlsKey ? loadTls(opts.tlsCert, opts.tlsKey) : null;
  } catch (e) {
    await fail(e);
  }
  const server = tls
    ? createHttpsServer({ ...tls.options, keepAliveTimeout: 65_000 }, node.scim)
    : createServer({ keepAliveTimeout: 65_000 }, node.scim);
  servers.push(server);
  const address = await listen(server, opts.port, opts.host).catch(fail);
  const scimUrl = `${tls ? 'https' : 'http'}://${urlHost(opts.host)}:${address.port}${SCIM_BASE_PATH}`;
  const log = extra.log ?? (() => {});
  const unwatch = tls && opts.tlsCert && opts.tlsKey ? watchTls(server as HttpsServer, opts.tlsCert, opts.tlsKey, log) : () => {};
  const { consoleAuth } = node;
  let consoleUrl: string | null = null;
  if (opts.consolePort !== null) {
    const consoleServer = createServer();
    servers.push(consoleServer);
    // The console never leaves loopback, whatever --host says for SCIM.
    const c = await listen(consoleServer, opts.consolePort, '127.0.0.1').catch(fail);
    consoleUrl = `http://127.0.0.1:${c.port}`;
    const handlers = createConsoleHandlers(node, {
      kind: 'headless',
      version: VERSION,
      startedAt: node.now().toISOString(),
      dataDir: opts.dataDir,
      scimUrl: () => scimUrl,
      server: {
        host: opts.host,
        port: address.port,
        consolePort: c.port,
        tlsCert: opts.tlsCert ?? null,
        tlsKey: opts.tlsKey ?? null,
      },
      exportEvents: async () => {
        throw new InputError('in the web console, the export downloads from /api/console/export');
      },
    });
    const app = consoleBridge({
      handlers,
      auth: consoleAuth,
      bus: node.bus,
      events: node.events,
      staticDir,
      metrics: {
        registry: createMetrics(node.overview, node.bus, node.now, () => node.health.report(), node.flushEvents),
        token: ensureMetricsToken(opts.dataDir),
        file: metricsTokenPath(opts.dataDir),
      },
      log,
    });
    consoleServer.on('request', app);
  }
  const loginUrl = consoleUrl ? `${consoleUrl}/login?code=${consoleAuth.createLoginCode()}` : null;
  writeFileSync(runtimeFile(opts.dataDir), `${JSON.stringify({ pid: process.pid, scimUrl, consoleUrl })}\n`, { mode: 0o600 });
  node.startBackground();
  let stopping: Promise<void> | null = null;
  return {
    node,
    scimUrl,
    tls,
    server,
    consoleUrl,
    loginUrl,
    consoleAuth,
    stop() {
      unwatch();
      stopping ??= Promise.all(servers.map((srv) => close(srv, srv !== server))).then(() => {
        rmSync(runtimeFile(opts.dataDir), { force: true });
        node.close();
        release();
      });
      return stopping;
    },
  };
}
