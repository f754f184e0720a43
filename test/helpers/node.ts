import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';
import { SCIM_BASE_PATH } from '../../server/http/scim-router.js';
import { type NodeConfig, type NodeStore, type ScimNode, startNodeWithStore } from '../../server/node.js';

export interface TestNode extends NodeStore {
  node: ScimNode;
  /** e.g. http://127.0.0.1:41234/api/scim/v2 */
  base: string;
  token: string;
  /** fetch against the SCIM base with the bearer token and JSON body. */
  scim(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ScimResponse>;
}

export interface ScimResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON body, or null for an empty body. */
  body: Record<string, unknown> | null;
  text: string;
}

const open: { server: Server; node: ScimNode }[] = [];

afterEach(async () => {
  for (const { server, node } of open.splice(0)) {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    node.close();
  }
});

/** A fresh node on an in-memory database, listening on an ephemeral loopback port. */
export async function testNode(config: Partial<NodeConfig> = {}): Promise<TestNode> {
  // Tests check stored state through the store; hosts and handlers only ever see `node`.
  const { node, db, repos } = startNodeWithStore({ dbFile: ':memory:', log: () => {}, ...config });
  const server = createServer(node.scim);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  open.push({ server, node });
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}${SCIM_BASE_PATH}`;
  const { token } = node.tokens.create({ label: 'test' });
  const scim = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : null, text };
  };
  return { node, db, repos, base, token, scim };
}

export const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
