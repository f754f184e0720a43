import { afterEach, describe, expect, it } from 'vitest';
import { callChannel, type IpcMainLike, isAppPage, registerConsoleIpc } from '../../electron/ipc.js';
import type { ConsoleResult } from '../../server/console/contract.js';
import { type ConsoleHost, createConsoleHandlers } from '../../server/console/handlers.js';
import { CONSOLE_METHODS } from '../../server/console/methods.js';
import { type ScimNode, startNode } from '../../server/node.js';

type Listener = Parameters<IpcMainLike['handle']>[1];

class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Listener>();
  handle(channel: string, listener: Listener): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** What ipcRenderer.invoke would resolve to, from a frame showing `url`. */
  async invoke(url: string | null, channel: string, params?: unknown): Promise<ConsoleResult<unknown>> {
    const listener = this.handlers.get(channel);
    if (!listener) throw new Error(`No handler registered for '${channel}'`);
    return (await listener({ senderFrame: url === null ? null : { url } }, params)) as ConsoleResult<unknown>;
  }
}

const APP = 'file:///opt/SCIM%20Desk/resources/app.asar/dist/renderer/index.html';

const host: ConsoleHost = {
  kind: 'electron',
  version: '0.0.0-test',
  startedAt: new Date(0).toISOString(),
  dataDir: null,
  scimUrl: () => 'http://127.0.0.1:1/api/scim/v2',
  server: { host: '127.0.0.1', port: 1, consolePort: null, tlsCert: null, tlsKey: null },
  exportEvents: async () => ({ saved: null, count: 0 }),
};

const nodes: ScimNode[] = [];
afterEach(() => {
  for (const n of nodes.splice(0)) n.close();
});

function setup() {
  const node = startNode({ dbFile: ':memory:', log: () => {} });
  nodes.push(node);
  const ipc = new FakeIpcMain();
  const unregister = registerConsoleIpc(ipc, createConsoleHandlers(node, host), isAppPage(APP));
  return { node, ipc, unregister };
}

describe('registerConsoleIpc', () => {
  it('registers exactly one console:<method> channel per contract method', () => {
    const { ipc } = setup();
    expect([...ipc.handlers.keys()].sort()).toEqual(CONSOLE_METHODS.map((m) => `console:${m}`).sort());
    expect(callChannel('tokens.create')).toBe('console:tokens.create');
  });

  it('round-trips real calls to the node: tokens.create then tokens.list', async () => {
    const { ipc, node } = setup();
    const created = await ipc.invoke(`${APP}#/tokens`, 'console:tokens.create', { label: 'Okta production' });
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    const token = created.value as { id: string; token: string; label: string };
    expect(token.label).toBe('Okta production');
    expect(token.token).toMatch(/\S{20,}/);

    const listed = await ipc.invoke(APP, 'console:tokens.list');
    expect(listed).toMatchObject({ ok: true, value: [{ id: token.id, label: 'Okta production', state: 'active' }] });
    expect(JSON.stringify(listed)).not.toContain(token.token);
    expect(node.tokens.list()).toHaveLength(1);
  });

  it('returns handler failures as ConsoleResult errors, never as rejections', async () => {
    const { ipc } = setup();
    const bad = await ipc.invoke(APP, 'console:tokens.create', { label: 42 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid', field: 'label' } });
    const missing = await ipc.invoke(APP, 'console:events.get', { id: 999 });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it.each([
    ['a web page', 'https://evil.example/'],
    ['another local file', 'file:///tmp/evil.html'],
    ['a file beside the app page', 'file:///opt/SCIM%20Desk/resources/app.asar/dist/renderer/index.html.evil'],
    ['a destroyed frame', null],
  ])('rejects %s with an unauthorized ConsoleResult and runs nothing', async (_name, url) => {
    const { ipc, node } = setup();
    const r = await ipc.invoke(url, 'console:tokens.create', { label: 'sneaky' });
    expect(r).toEqual({ ok: false, error: { code: 'unauthorized', message: expect.any(String) } });
    expect(node.tokens.list()).toHaveLength(0);
  });

  it('unregisters every channel', () => {
    const { ipc, unregister } = setup();
    unregister();
    expect(ipc.handlers.size).toBe(0);
  });
});

describe('isAppPage', () => {
  const check = isAppPage(`${APP}?x=1`);
  it.each([
    [APP, true],
    [`${APP}#/events?id=3`, true],
    [`${APP}?mode=ipc`, true],
    ['file:///opt/SCIM%20Desk/resources/app.asar/dist/renderer/other.html', false],
    ['http://127.0.0.1:7644/', false],
    ['devtools://devtools/bundled/inspector.html', false],
  ])('%s → %s', (url, trusted) => {
    expect(check({ url })).toBe(trusted);
  });
});
