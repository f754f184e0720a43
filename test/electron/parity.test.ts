import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IpcMainLike, registerConsoleIpc } from '../../electron/ipc.js';
import type { ConsoleResult } from '../../server/console/contract.js';
import { createConsoleHandlers } from '../../server/console/handlers.js';
import { CONSOLE_METHODS } from '../../server/console/methods.js';
import { type RunningServer, serve } from '../../server/serve.js';

/**
 * One contract, two transports: the IPC channels Electron registers and the methods the headless
 * HTTP bridge answers are the same set, and the same call gets the same kind of answer on both.
 */
type Listener = Parameters<IpcMainLike['handle']>[1];
const APP = 'file:///app/dist/renderer/index.html';

let dir: string;
let s: RunningServer;
let headers: Record<string, string>;
const ipc = new Map<string, Listener>();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scimdesk-parity-'));
  s = await serve({ dataDir: join(dir, 'data'), host: '127.0.0.1', port: 0, consolePort: 0 }, { log: () => {} }, join(dir, 'no-web'));
  const login = await fetch(s.loginUrl ?? '', { redirect: 'manual' });
  const cookies = login.headers.getSetCookie().map((c) => c.split(';')[0] ?? '');
  const csrf = cookies.find((c) => c.startsWith('scimdesk_csrf='))?.split('=')[1] ?? '';
  headers = { 'content-type': 'application/json', cookie: cookies.join('; '), 'x-csrf-token': csrf };
  const handlers = createConsoleHandlers(s.node, {
    kind: 'electron',
    version: '0.0.0',
    startedAt: new Date().toISOString(),
    // The same node and data dir as the HTTP side, so both transports see the same config.json.
    dataDir: join(dir, 'data'),
    scimUrl: () => s.scimUrl,
    server: { host: '127.0.0.1', port: 0, consolePort: null, tlsCert: null, tlsKey: null },
    exportEvents: async () => ({ saved: null, count: 0 }),
  });
  registerConsoleIpc({ handle: (c, l) => ipc.set(c, l), removeHandler: (c) => ipc.delete(c) }, handlers, (f) => f?.url === APP);
});

afterAll(async () => {
  await s?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const http = (method: string, params: unknown) =>
  fetch(`${s.consoleUrl}/api/console/call/${method}`, { method: 'POST', headers, body: JSON.stringify(params) });

describe('IPC ↔ HTTP parity', () => {
  it('the bridge answers every method IPC registers, and no other', async () => {
    const ipcMethods = [...ipc.keys()].map((c) => c.replace(/^console:/, '')).sort();
    expect(ipcMethods).toEqual([...CONSOLE_METHODS].sort());
    const answered: string[] = [];
    for (const method of ipcMethods) {
      const res = await http(method, {});
      const body = (await res.json()) as ConsoleResult<unknown>;
      expect(res.status, method).not.toBe(404);
      expect(typeof body.ok, method).toBe('boolean');
      answered.push(method);
    }
    expect(answered).toEqual(ipcMethods);
    for (const bogus of ['tokens.delete', 'node', 'constructor', '__proto__', 'console:tokens.list']) {
      expect((await http(bogus, {})).status, bogus).toBe(404);
    }
  });

  it.each(CONSOLE_METHODS.filter((m) => m !== 'events.export').map((m) => [m]))(
    '%s with empty params gets the same kind of answer on both transports',
    async (method) => {
      const viaHttp = (await (await http(method, {})).json()) as ConsoleResult<unknown>;
      const viaIpc = (await ipc.get(`console:${method}`)?.({ senderFrame: { url: APP } }, {})) as ConsoleResult<unknown>;
      const kind = (r: ConsoleResult<unknown>) => (r.ok ? 'ok' : r.error.code);
      expect(kind(viaIpc)).toBe(kind(viaHttp));
    },
  );
});
