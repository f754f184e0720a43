import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build as esbuild } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { electronBuildOptions } from '../../build/electron-bundle.mjs';
import type { DesktopApp } from '../../electron/main.js';
import { FakeBrowserWindow, fake } from '../electron/fake-electron.js';
import { packagedResources, setResourcesPath } from '../electron/packaged-binding.js';
import { consoleScenario, go } from './console-scenario.js';
import { launchConsoleBrowser, SHOTS as ROOT_SHOTS, reportFailures, requireChromium, screenshot } from './harness.js';

vi.mock('electron', async () => (await import('../electron/fake-electron.js')).fake.electron);

/**
 * The desktop console in Debian's Chromium, over IPC. electron/main.ts boots on the fake electron
 * module with a real node; the page loads the built renderer from file:// like Electron's window does,
 * with the real preload bundle (dist/electron/preload.cjs, built privately) run in the page. Its
 * `electron` module is a stand-in whose `ipcRenderer.invoke` forwards, through this test, to the
 * handlers registerConsoleIpc put on the fake ipcMain (the sender check sees the page's real URL),
 * and whose push listeners receive what the main process sends with `webContents.send`. The shared
 * scenario (console-scenario.ts) then runs exactly as it does over HTTP.
 */
const SHOTS = join(ROOT_SHOTS, 'ipc');
const ROOT = process.cwd();

let tmp: string;
let appDir: string;
let desktop: DesktopApp;
let browser: Browser;
let page: Page;
const resources = packagedResources();
const saved = { ...process.env };
let problems: string[] = [];
const serverLog: string[] = [];

const shot = screenshot(() => page, SHOTS);

/** What a sandboxed preload sees as `require('electron')`, forwarding to this test over bindings. */
const ELECTRON_STANDIN = `
  const pushListeners = new Map();
  window.__scimdeskPush = (channel, payload) => {
    for (const fn of pushListeners.get(channel) ?? []) fn({ sender: null, ports: [] }, payload);
  };
  const electron = {
    contextBridge: { exposeInMainWorld: (key, api) => { Object.defineProperty(window, key, { value: Object.freeze(api) }); } },
    ipcRenderer: {
      invoke: (channel, params) => window.__scimdeskInvoke(channel, params === undefined ? null : params),
      on: (channel, fn) => { if (!pushListeners.has(channel)) pushListeners.set(channel, new Set()); pushListeners.get(channel).add(fn); },
      removeListener: (channel, fn) => { pushListeners.get(channel)?.delete(fn); },
    },
  };
  const require = (name) => {
    if (name === 'electron') return electron;
    throw new Error('a sandboxed preload cannot require ' + name);
  };
`;

beforeAll(async () => {
  requireChromium();
  mkdirSync(SHOTS, { recursive: true });
  tmp = mkdtempSync(join(tmpdir(), 'scimdesk-ipc-e2e-'));
  appDir = join(tmp, 'app');
  // Private builds of the renderer and the preload, so this suite never races one that reads dist/.
  await build({ configFile: 'vite.config.ts', logLevel: 'warn', build: { outDir: join(appDir, 'dist', 'renderer'), emptyOutDir: true } });
  const { preload } = electronBuildOptions(ROOT);
  await esbuild({ ...preload, outdir: join(appDir, 'dist', 'electron'), sourcemap: false });
  const preloadCode = readFileSync(join(appDir, 'dist', 'electron', 'preload.cjs'), 'utf8');

  await import('electron');
  vi.resetModules();
  fake.reset();
  fake.electron.app.isPackaged = true;
  fake.electron.app.getAppPath.mockReturnValue(appDir);
  fake.paths.userData = join(tmp, 'user-data');
  setResourcesPath(resources.dir);
  process.env.SCIMDESK_DATA = join(tmp, 'data');
  process.env.SCIMDESK_PORT = '0';
  process.env.SCIMDESK_HOST = '127.0.0.1';
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    serverLog.push(String(chunk));
    return true;
  });
  try {
    const started = await (await import('../../electron/main.js')).desktop;
    if (!started) throw new Error(`the desktop app did not start:\n${serverLog.join('')}`);
    desktop = started;
  } finally {
    stderr.mockRestore();
  }
  const win = FakeBrowserWindow.instances[0];
  if (!win) throw new Error('no window');
  const [indexHtml, loadOpts] = win.loadFile.mock.calls[0] ?? [];

  // Electron serves the app's own file:// page with its module scripts; plain Chromium needs the flag.
  ({ browser, page, problems } = await launchConsoleBrowser(['--allow-file-access-from-files']));
  // ipcRenderer.invoke → the handler registerConsoleIpc registered, with the calling frame's URL.
  await page.exposeBinding('__scimdeskInvoke', async (source, channel: string, params: unknown) => {
    const handler = fake.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler({ senderFrame: { url: source.frame.url() } }, params);
  });
  // webContents.send → the preload's listeners, in order.
  win.webContents.send.mockImplementation((channel: string, payload: unknown) => {
    void page.evaluate(([c, p]) => (globalThis as unknown as { __scimdeskPush(c: string, p: unknown): void }).__scimdeskPush(c, p), [
      channel,
      payload,
    ] as const);
  });
  await page.addInitScript({
    content: `(() => {${ELECTRON_STANDIN}\nconst module = { exports: {} };\n(function (require, module, exports) {\n${preloadCode}\n})(require, module, module.exports);\n})();`,
  });
  await page.goto(`${pathToFileURL(String(indexHtml)).href}${loadOpts?.hash ? `#${loadOpts.hash}` : ''}`);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await desktop?.shutdown();
  process.env = saved;
  setResourcesPath(undefined);
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  rmSync(resources.dir, { recursive: true, force: true });
});

describe('desktop console over IPC', () => {
  reportFailures(() => serverLog.join(''), shot);

  it('a first run opens the guide: first token, then the exact Entra and Okta values, ending with Test sync', async () => {
    await page.getByRole('heading', { level: 1, name: 'Get started' }).waitFor();
    await page.getByText(/Running · electron/).waitFor();
    const scimUrl = desktop.running.scimUrl;
    await expect(page.getByTestId('okta-base-url').textContent()).resolves.toBe(scimUrl);
    await page.getByLabel('Token label').fill('Entra');
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.getByText('Token “Entra” created.').waitFor();
    const token = (await page.getByTestId('entra-secret-token').textContent()) ?? '';
    expect(token.length).toBeGreaterThan(20);
    expect((await fetch(`${scimUrl}/Users`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    await expect(page.getByTestId('entra-tenant-url').textContent()).resolves.toBe(`${scimUrl}?aadOptscim062020`);
    await expect(page.getByTestId('okta-bearer').textContent()).resolves.toBe(token);
    await expect(page.getByTestId('okta-auth-mode').textContent()).resolves.toBe('HTTP Header');
    await expect(page.getByTestId('okta-unique-id').textContent()).resolves.toBe('userName');
    await page.getByText('only this computer can reach').waitFor();
    await shot('01-first-run-guide');
    await page.getByRole('region', { name: '3. Check it works' }).getByRole('link', { name: 'Test sync' }).click();
    await page.getByRole('heading', { level: 1, name: 'Test sync' }).waitFor();
  });

  consoleScenario({
    page: () => page,
    scimUrl: () => desktop.running.scimUrl,
    shot,
    async exportJsonl() {
      const file = join(tmp, 'chosen-export.jsonl');
      fake.electron.dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: file });
      await go(page, 'Event log');
      await page.getByRole('button', { name: 'Export JSONL' }).click();
      await page.getByText(new RegExp(`Saved \\d+ events to ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`)).waitFor();
      return readFileSync(file, 'utf8');
    },
  });

  it('Settings turns desktop notifications off', async () => {
    await go(page, 'Settings');
    const form = page.getByRole('form', { name: 'Settings' });
    await form.getByLabel('Show alerts as desktop notifications (desktop app)').uncheck();
    await form.getByRole('button', { name: 'Save settings' }).click();
    await form.getByText('Saved. The changes apply now.').waitFor();
    expect(desktop.running.node.settings.get().desktopNotifications).toBe(false);
  });

  it('logged no console errors or warnings', () => {
    expect(problems).toEqual([]);
  });
});
