import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServeOptions } from './config.js';
import { acquireServeLock, dbPath, ensureDataDir } from './data-dir.js';
import { SCIM_BASE_PATH } from './http/scim-router.js';
import { type NodeConfig, type ScimNode, startNode } from './node.js';

export interface RunningServer {
  node: ScimNode;
  scimUrl: string;
  server: Server;
  /** Stops accepting, lets in-flight requests finish, closes the database. */
  stop(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

const urlHost = (host: string): string => (host.includes(':') ? `[${host}]` : host);

/** The headless host: one data dir, one node, the SCIM listener. */
export async function serve(opts: ServeOptions, extra: Partial<NodeConfig> = {}): Promise<RunningServer> {
  ensureDataDir(opts.dataDir);
  const release = acquireServeLock(opts.dataDir);
  let node: ScimNode;
  try {
    node = startNode({ dbFile: dbPath(opts.dataDir), ...extra });
  } catch (e) {
    release();
    throw e;
  }
  const server = createServer({ keepAliveTimeout: 65_000 }, node.scim);
  let address: AddressInfo;
  try {
    address = await listen(server, opts.port, opts.host);
  } catch (e) {
    node.close();
    release();
    throw e;
  }
  node.startBackground();
  const scimUrl = `http://${urlHost(opts.host)}:${address.port}${SCIM_BASE_PATH}`;
  let stopping: Promise<void> | null = null;
  return {
    node,
    scimUrl,
    server,
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        server.close(() => {
          node.close();
          release();
          resolve();
        });
        // Idle keep-alive sockets would hold close() open; in-flight requests still finish.
        server.closeIdleConnections();
      });
      return stopping;
    },
  };
}
