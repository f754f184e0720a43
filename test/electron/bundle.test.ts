import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { build, type OutputFile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { electronBuildOptions } from '../../build/electron-bundle.mjs';
import type { DesktopApp } from '../../electron/main.js';
import type { ScimDeskBridge } from '../../electron/preload.js';
import { CONSOLE_METHODS } from '../../server/console/methods.js';
import { USER } from '../helpers/node.js';
import { receiver } from '../server/delivery/receiver.js';
import { createFakeElectron } from './fake-electron.js';
import { packagedResources, setResourcesPath } from './packaged-binding.js';

/**
 * The bundles as Electron loads them: the same esbuild options as build/bundle.mjs, built in memory.
 * The preload runs in a bare context whose `require` knows only `electron`, like a sandboxed preload;
 * the main bundle runs as CommonJS with a fake `electron` and serves real SCIM.
 */
const ROOT = process.cwd();
const options = electronBuildOptions(ROOT);
let mainCode: string;
let preloadCode: string;
let workerCode: string;

const code = (files: OutputFile[] | undefined, name: string): string => {
  const file = files?.find((f) => f.path.endsWith(name));
  if (!file) throw new Error(`no ${name} in the build output`);
  return file.text;
};
const requires = (js: string): string[] => [...new Set([...js.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1] ?? ''))].sort();

beforeAll(async () => {
  const [main, preload] = await Promise.all([
    build({ ...options.main, write: false, logLevel: 'silent' }),
    build({ ...options.preload, write: false, logLevel: 'silent' }),
  ]);
  expect(main.warnings).toEqual([]);
  expect(preload.warnings).toEqual([]);
  mainCode = code(main.outputFiles, 'main.cjs');
  workerCode = code(main.outputFiles, 'delivery-worker.cjs');
  preloadCode = code(preload.outputFiles, 'preload.cjs');
});

describe('preload.cjs', () => {
  it('requires nothing but electron: the method list is inlined', () => {
    expect(requires(preloadCode)).toEqual(['electron']);
    for (const method of CONSOLE_METHODS) expect(preloadCode).toContain(`"${method}"`);
  });

  it('runs in a sandbox-like context and exposes one function per method', () => {
    const exposeInMainWorld = vi.fn();
    const electron = { contextBridge: { exposeInMainWorld }, ipcRenderer: { invoke: vi.fn(), on: vi.fn(), removeListener: vi.fn() } };
    const module = { exports: {} };
    const sandboxRequire = (id: string) => {
      if (id === 'electron') return electron;
      throw new Error(`module not found: ${id}`);
    };
    runInNewContext(preloadCode, { require: sandboxRequire, module, exports: module.exports });
    expect(exposeInMainWorld).toHaveBeenCalledTimes(1);
    const bridge = exposeInMainWorld.mock.calls[0]?.[1] as ScimDeskBridge;
    expect(Object.keys(bridge.methods).sort()).toEqual([...CONSOLE_METHODS].sort());
  });
});

/** Where the Electron host looks for the delivery worker: beside main.cjs, in main.cjs's module format. */
const WORKER_FILE = join(ROOT, 'dist', 'electron', 'delivery-worker.cjs');

describe('delivery-worker.cjs', () => {
  it('is built with the Electron main bundle, as CommonJS with the same externals', () => {
    expect(workerCode).toContain('parentPort');
    const external = requires(workerCode).filter((id) => !builtinModules.includes(id.replace(/^node:/, '')));
    expect(external).toEqual(['better-sqlite3']);
  });

  it('is laid out by build/bundle.mjs where the host resolves it, and shipped by electron-builder', () => {
    // A missing file is a failure, never a skip: the desktop app would quietly deliver in-process.
    expect(existsSync(WORKER_FILE), 'run `node build/bundle.mjs` first').toBe(true);
    const require = createRequire(import.meta.url);
    const config = require('../../build/electron-builder.config.cjs') as { files: string[] };
    expect(config.files).toContain('dist/electron/delivery-worker.cjs');
  });
});

describe('main.cjs', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'scimdesk-bundle-'));
  const saved = { ...process.env };
  const resources = packagedResources();
  afterAll(() => {
    process.env = saved;
    setResourcesPath(undefined);
    rmSync(resources.dir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('requires only electron, Node built-ins and CommonJS runtime dependencies (which electron-builder ships)', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const esmOnly = (name: string) =>
      (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { type?: string }).type === 'module';
    const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
    const packages = requires(mainCode).filter((id) => id !== 'electron' && !builtins.has(id));
    for (const id of packages) {
      const name = id.startsWith('@') ? id.split('/').slice(0, 2).join('/') : (id.split('/')[0] ?? id);
      expect(pkg.dependencies, `${id} must be a runtime dependency`).toHaveProperty([name]);
      expect(esmOnly(name), `${name} is ESM-only and must be inlined`).toBe(false);
    }
    expect(packages).toContain('better-sqlite3');
    expect(mainCode).not.toContain('require("env-paths")');
  });

  it('boots as CommonJS with a fake electron and serves SCIM', async () => {
    process.env.SCIMDESK_DATA = dataDir;
    process.env.SCIMDESK_PORT = '0';
    process.env.SCIMDESK_HOST = '127.0.0.1';
    const fake = createFakeElectron(ROOT);
    // Packaged, with the Electron binding in the resources folder (a copy of the Node build here).
    fake.electron.app.isPackaged = true;
    setResourcesPath(resources.dir);
    // Where the bundle lives in a checkout, so its requires and package-root lookup resolve as at runtime.
    const filename = join(ROOT, 'dist', 'electron', 'main.cjs');
    const nodeRequire = createRequire(filename);
    const module = { exports: {} as { desktop?: Promise<DesktopApp | null> } };
    const requireShim = (id: string) => (id === 'electron' ? fake.electron : nodeRequire(id));
    new Function('exports', 'require', 'module', '__filename', '__dirname', mainCode)(
      module.exports,
      requireShim,
      module,
      filename,
      join(ROOT, 'dist', 'electron'),
    );
    const desktop = await module.exports.desktop;
    if (!desktop) throw new Error('main.cjs did not start');
    try {
      const { token } = desktop.running.node.tokens.create({ label: 'bundle' });
      const res = await fetch(`${desktop.running.scimUrl}/ServiceProviderConfig`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      expect(fake.handlers.size).toBe(CONSOLE_METHODS.length);
      // Webhooks go out from the bundled worker beside main.cjs (`node build/bundle.mjs` lays it out),
      // opened with the same Electron binding as the node, not from the node's own thread.
      expect(desktop.running.node.deliveryWorker).toBe(WORKER_FILE);
      expect(readFileSync(WORKER_FILE, 'utf8')).toContain('parentPort');
      // And it delivers: a SCIM create reaches a loopback receiver through the worker.
      const hook = await receiver();
      desktop.running.node.webhooks.add({ url: hook.url });
      const created = await fetch(`${desktop.running.scimUrl}/Users`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
        body: JSON.stringify({ schemas: [USER], userName: 'worker@example.com' }),
      });
      expect(created.status).toBe(201);
      await vi.waitFor(() => expect(hook.got.map((g) => g.headers['scimdesk-event-type'])).toEqual(['user.created']), { timeout: 5000 });
      expect(desktop.running.node.deliveryWorker).toBe(WORKER_FILE);
    } finally {
      fake.electron.app.quit();
      await fake.quitted;
    }
    expect(desktop.running.node.open).toBe(false);
    expect(desktop.running.node.nativeBinding).toBe(resources.binding);
  });
});
