import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DesktopApp } from '../../electron/main.js';
import { CONSOLE_CSP } from '../../server/console/csp.js';
import { CONSOLE_METHODS } from '../../server/console/methods.js';
import { FakeBrowserWindow, FakeTray, fake, type MenuItem } from './fake-electron.js';
import { packagedResources, setResourcesPath } from './packaged-binding.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).fake.electron);

const ROOT = process.cwd();
const APP_PAGE = `file://${join(ROOT, 'dist', 'renderer', 'index.html')}`;
const saved = { ...process.env };
let dataDir: string;
let desktop: DesktopApp;
let win: FakeBrowserWindow;
const resources = packagedResources();

/**
 * Boots electron/main.ts against the fake electron module; the node inside is real. The app runs as
 * packaged, with its Electron binding in the resources folder (a copy of the Node build, since the
 * "Electron" here is Node).
 */
async function boot(configure: () => void = () => {}) {
  vi.resetModules();
  fake.reset();
  fake.electron.app.isPackaged = true;
  setResourcesPath(resources.dir);
  configure();
  const main = await import('../../electron/main.js');
  return main.desktop;
}

function useEnv(dir: string) {
  process.env.SCIMDESK_DATA = dir;
  process.env.SCIMDESK_PORT = '0';
  process.env.SCIMDESK_HOST = '127.0.0.1';
}

beforeAll(async () => {
  // Load the mocked module once before any vi.resetModules(), so every boot shares the one fake.
  await import('electron');
  dataDir = mkdtempSync(join(tmpdir(), 'scimdesk-electron-'));
  useEnv(dataDir);
  const started = await boot();
  if (!started) throw new Error('desktop did not start');
  desktop = started;
  expect(FakeBrowserWindow.instances).toHaveLength(1);
  win = FakeBrowserWindow.instances[0] as FakeBrowserWindow;
});

afterAll(async () => {
  await desktop?.shutdown();
  process.env = saved;
  setResourcesPath(undefined);
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(resources.dir, { recursive: true, force: true });
});

const invoke = (url: string | null, method: string, params?: unknown) =>
  fake.handlers.get(`console:${method}`)?.({ senderFrame: url === null ? null : { url } }, params) as Promise<{
    ok: boolean;
    value?: unknown;
    error?: { code: string };
  }>;

describe('electron/main.ts booted with a fake electron module', () => {
  it('serves SCIM from the main process on the configured loopback port', async () => {
    expect(desktop.running.scimUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/scim\/v2$/);
    expect(desktop.state()).toEqual({ kind: 'listening', url: desktop.running.scimUrl });
    const { token } = desktop.running.node.tokens.create({ label: 'idp' });
    const res = await fetch(`${desktop.running.scimUrl}/Users`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ totalResults: 0 });
    expect((await fetch(`${desktop.running.scimUrl}/Users`)).status).toBe(401);
    expect(existsSync(join(dataDir, 'scimdesk.db'))).toBe(true);
  });

  it("opens the database through the Electron binding in the app's resources, not node_modules' Node build", () => {
    expect(desktop.running.node.nativeBinding).toBe(resources.binding);
  });

  it('takes the single-instance lock and turns on the sandbox for every renderer', () => {
    expect(fake.electron.app.requestSingleInstanceLock).toHaveBeenCalled();
    expect(fake.electron.app.enableSandbox).toHaveBeenCalled();
  });

  it('creates one hardened window on the built console page', () => {
    expect(win.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      preload: join(ROOT, 'dist', 'electron', 'preload.cjs'),
    });
    // A first run (no saved window state) opens the first-run guide.
    expect(win.loadFile).toHaveBeenCalledWith(join(ROOT, 'dist', 'renderer', 'index.html'), { hash: '/setup' });
  });

  it('denies window.open, sending only http(s) links to the system browser', () => {
    const open = win.webContents.openHandler;
    if (!open) throw new Error('no window open handler');
    expect(open({ url: 'https://datatracker.ietf.org/doc/html/rfc7644' })).toEqual({ action: 'deny' });
    expect(fake.electron.shell.openExternal).toHaveBeenCalledExactlyOnceWith('https://datatracker.ietf.org/doc/html/rfc7644');
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'not a url']) {
      expect(open({ url })).toEqual({ action: 'deny' });
    }
    expect(fake.electron.shell.openExternal).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['will-navigate', 'https://evil.example/', true],
    ['will-navigate', 'file:///etc/passwd', true],
    ['will-navigate', `${APP_PAGE}#/tokens`, false],
    ['will-frame-navigate', 'https://evil.example/frame', true],
    ['will-attach-webview', 'https://evil.example/', true],
  ])('%s to %s is prevented: %s', (name, url, prevented) => {
    const preventDefault = vi.fn();
    win.webContents.emit(name, { url, preventDefault });
    expect(preventDefault).toHaveBeenCalledTimes(prevented ? 1 : 0);
  });

  it('sends the same strict CSP as the headless console on every response and grants no permission', () => {
    const listener = fake.headers();
    if (!listener) throw new Error('no onHeadersReceived listener');
    const cb = vi.fn();
    listener({ responseHeaders: { 'content-type': ['text/html'] } }, cb);
    expect(cb).toHaveBeenCalledWith({ responseHeaders: { 'content-type': ['text/html'], 'Content-Security-Policy': [CONSOLE_CSP] } });
    const session = fake.electron.session.defaultSession;
    const request = session.setPermissionRequestHandler.mock.calls[0]?.[0] as (wc: unknown, p: string, cb: (ok: boolean) => void) => void;
    const grant = vi.fn();
    request({}, 'media', grant);
    expect(grant).toHaveBeenCalledWith(false);
    const check = session.setPermissionCheckHandler.mock.calls[0]?.[0] as () => boolean;
    expect(check()).toBe(false);
  });

  it('answers every console method over IPC for the app page only', async () => {
    expect([...fake.handlers.keys()].sort()).toEqual(CONSOLE_METHODS.map((m) => `console:${m}`).sort());
    await expect(invoke(APP_PAGE, 'node.status')).resolves.toMatchObject({
      ok: true,
      value: { host: 'electron', scimUrl: desktop.running.scimUrl, dataDir, version: '0.1.0-test' },
    });
    const port = Number(new URL(desktop.running.scimUrl).port);
    await expect(invoke(APP_PAGE, 'settings.get')).resolves.toMatchObject({
      ok: true,
      value: { server: { host: '127.0.0.1', port, consolePort: null } },
    });
    await expect(invoke('https://evil.example/', 'tokens.list')).resolves.toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  });

  it('pushes bus events to the window as console-push:<event>', async () => {
    const { token } = desktop.running.node.tokens.create({ label: 'push' });
    win.webContents.send.mockClear();
    await fetch(`${desktop.running.scimUrl}/Groups`, { headers: { authorization: `Bearer ${token}` } });
    await vi.waitFor(() =>
      expect(win.webContents.send).toHaveBeenCalledWith('console-push:events.appended', expect.objectContaining({ method: 'GET' })),
    );
    const step = {
      runId: 'r',
      index: 0,
      name: 'create user',
      method: 'POST',
      path: '/Users',
      status: 201,
      ok: true,
      detail: '',
      requestId: null,
    };
    desktop.running.node.bus.emit('simulate.step', step);
    expect(win.webContents.send).toHaveBeenLastCalledWith('console-push:simulate.step', step);
  });

  it('exports events to the file the admin picks', async () => {
    const file = join(dataDir, 'export.jsonl');
    fake.electron.dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: file });
    const r = await invoke(APP_PAGE, 'events.export', { format: 'jsonl' });
    expect(r).toMatchObject({ ok: true, value: { saved: file } });
    const count = (r.value as { count: number }).count;
    expect(count).toBeGreaterThan(0);
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(count);
    fake.electron.dialog.showSaveDialog.mockResolvedValueOnce({ canceled: true, filePath: '' });
    await expect(invoke(APP_PAGE, 'events.export', { format: 'csv' })).resolves.toEqual({ ok: true, value: { saved: null, count: 0 } });
  });

  it('shows the endpoint in the tray, with Copy endpoint and Quit', () => {
    const tray = FakeTray.instances.at(-1);
    if (!tray) throw new Error('no tray');
    expect(tray.tooltip).toContain(desktop.running.scimUrl);
    const byLabel = (label: string) => tray.menu.find((i: MenuItem) => i.label?.startsWith(label));
    expect(byLabel('Listening on')?.label).toBe(`Listening on ${desktop.running.scimUrl}`);
    byLabel('Copy endpoint')?.click?.();
    expect(fake.electron.clipboard.writeText).toHaveBeenCalledWith(desktop.running.scimUrl);
    expect(byLabel('Quit')?.role).toBe('quit');
  });

  it('focuses the existing window when a second instance starts', () => {
    win.focus.mockClear();
    fake.electron.app.emit('second-instance');
    expect(win.focus).toHaveBeenCalled();
  });

  it('on quit: stops SCIM, closes the database and the IPC channels, then lets the app exit', async () => {
    const { node, scimUrl } = desktop.running;
    fake.electron.app.quit();
    await fake.quitted;
    expect(node.open).toBe(false);
    expect(fake.handlers.size).toBe(0);
    expect(FakeTray.instances.at(-1)?.destroyed).toBe(true);
    expect(existsSync(join(dataDir, 'serve.lock'))).toBe(false);
    await expect(fetch(`${scimUrl}/ServiceProviderConfig`)).rejects.toThrow();
  });
});

describe('electron/main.ts startup edges', () => {
  it('a second instance quits at once without starting a node', async () => {
    const started = await boot(() => fake.electron.app.requestSingleInstanceLock.mockReturnValue(false));
    expect(started).toBeNull();
    expect(fake.electron.app.quit).toHaveBeenCalled();
    expect(fake.handlers.size).toBe(0);
  });

  it('in development without `npm run desktop:prepare`, says exactly what to run and never opens the Node build', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockReturnValue(true);
    try {
      // A project root where desktop:prepare never ran (this worktree may have run it).
      const project = mkdtempSync(join(tmpdir(), 'scimdesk-project-'));
      const started = await boot(() => {
        fake.electron.app.isPackaged = false;
        fake.electron.app.getAppPath.mockReturnValueOnce(project);
      });
      expect(started).toBeNull();
      rmSync(project, { recursive: true, force: true });
      const expected = join(project, 'native', 'electron', 'better_sqlite3.node');
      expect(fake.electron.dialog.showErrorBox).toHaveBeenCalledWith(
        'SCIM Desk could not start',
        `The Electron build of better-sqlite3 is missing (${expected}). Run \`npm run desktop:prepare\`, then start again.`,
      );
      expect(existsSync(join(dataDir, 'serve.lock'))).toBe(false);
    } finally {
      stderr.mockRestore();
    }
  });

  it('a bad SCIMDESK_PORT shows an error box and quits', async () => {
    process.env.SCIMDESK_PORT = 'eighty';
    const stderr = vi.spyOn(process.stderr, 'write').mockReturnValue(true);
    try {
      expect(await boot()).toBeNull();
      expect(fake.electron.dialog.showErrorBox).toHaveBeenCalledWith('SCIM Desk could not start', expect.stringContaining('SCIMDESK_PORT'));
    } finally {
      stderr.mockRestore();
      useEnv(dataDir);
    }
  });

  it('a busy port shows an error box and quits', async () => {
    const other = mkdtempSync(join(tmpdir(), 'scimdesk-electron-busy-'));
    const { createServer } = await import('node:net');
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    process.env.SCIMDESK_DATA = other;
    process.env.SCIMDESK_PORT = String(typeof address === 'object' && address ? address.port : 0);
    const stderr = vi.spyOn(process.stderr, 'write').mockReturnValue(true);
    try {
      const started = await boot();
      expect(started).toBeNull();
      expect(String(stderr.mock.calls[0]?.[0])).toMatch(/^scimdesk: could not start the SCIM endpoint: Error: listen EADDRINUSE/);
      expect(fake.electron.dialog.showErrorBox).toHaveBeenCalledWith('SCIM Desk could not start', expect.stringContaining('EADDRINUSE'));
      expect(fake.electron.app.quit).toHaveBeenCalled();
      expect(existsSync(join(other, 'serve.lock'))).toBe(false);
    } finally {
      stderr.mockRestore();
      blocker.close();
      useEnv(dataDir);
      rmSync(other, { recursive: true, force: true });
    }
  });
});
