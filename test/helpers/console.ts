import { type ConsoleHost, createConsoleHandlers } from '../../server/console/handlers.js';
import type { ScimNode } from '../../server/node.js';

/**
 * The console handlers over a node, as the headless host wires them but with no data dir, no bound
 * listener and an export that saves nothing; `host` overrides what a test depends on.
 */
export const consoleHandlers = (node: ScimNode, host: Partial<ConsoleHost> = {}) =>
  createConsoleHandlers(node, {
    kind: 'headless',
    version: 'test',
    startedAt: new Date().toISOString(),
    dataDir: null,
    scimUrl: () => 'http://127.0.0.1:1/api/scim/v2',
    server: { host: '127.0.0.1', port: 0, consolePort: null, tlsCert: null, tlsKey: null },
    exportEvents: async () => ({ saved: null, count: 0 }),
    ...host,
  });
