import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { extractFile, listPackage } from '@electron/asar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BINDING_FILE, PACKAGED_BINDING_DIR } from '../../electron/native-binding.js';
import { NODE_BUILD } from '../electron/packaged-binding.js';

/**
 * Lays out the Linux app offline through `npm run dist -- --linux --dir` (build/dist.mjs) with a dummy
 * Electron executable (the real binary is not installed here) and inspects what would ship. Reads the
 * built dist/ (`npm run build`) and never writes to it (SCIMDESK_SKIP_BUILD=1). The Electron-ABI
 * better-sqlite3 cannot be built offline, so a stand-in file with a marker plays it
 * (SCIMDESK_ELECTRON_BINDING), and the test checks that exactly that file ships, not the Node build.
 */
const ROOT = process.cwd();
const BUILT = [
  'dist/electron/main.cjs',
  'dist/electron/preload.cjs',
  'dist/electron/delivery-worker.cjs',
  'dist/renderer/index.html',
  'dist/cli.js',
];
const missing = BUILT.filter((f) => !existsSync(join(ROOT, f)));
const TIMEOUT_MS = 120_000;

let work: string;
let resources: string;
let entries: string[];
let builderLog = '';
const MARKER = `electron-abi better_sqlite3 stand-in ${Date.now()}`;

describe('packaged app', () => {
  beforeAll(async () => {
    // npm test builds these first; a missing bundle is a failure, never a silent skip.
    if (missing.length > 0) throw new Error(`run \`npm run build\` first; missing ${missing.join(', ')}`);
    work = mkdtempSync(join(tmpdir(), 'scimdesk-package-'));
    const electronDist = join(work, 'electron-dist');
    const out = join(work, 'out');
    mkdirSync(electronDist);
    writeFileSync(join(electronDist, 'electron'), '#!/bin/sh\nexit 0\n');
    chmodSync(join(electronDist, 'electron'), 0o755);
    const standIn = join(work, 'better_sqlite3.node');
    writeFileSync(standIn, MARKER);
    // Exactly what `npm run dist -- --linux --dir` runs, plus the offline dummy Electron.
    const args = ['build/dist.mjs', '--linux', '--dir', `-c.electronDist=${electronDist}`, `-c.directories.output=${out}`];
    const env = { ...process.env, CI: '1', SCIMDESK_SKIP_BUILD: '1', SCIMDESK_ELECTRON_BINDING: standIn };
    const r = await promisify(execFile)(process.execPath, args, { cwd: ROOT, timeout: TIMEOUT_MS, env });
    builderLog = `${r.stdout}\n${r.stderr}`;
    resources = join(out, 'linux-unpacked', 'resources');
    entries = listPackage(join(resources, 'app.asar'), { isPack: false });
  }, TIMEOUT_MS + 10_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const children = (dir: string) => entries.filter((e) => e.startsWith(`${dir}/`) && !e.slice(dir.length + 1).includes('/')).sort();

  it('ships exactly package.json, the built app and production node_modules', () => {
    expect(children(''), builderLog).toEqual(['/dist', '/node_modules', '/package.json']);
    expect(children('/dist')).toEqual(['/dist/cli.js', '/dist/electron', '/dist/renderer']);
    expect(children('/dist/electron')).toEqual([
      '/dist/electron/delivery-worker.cjs',
      '/dist/electron/main.cjs',
      '/dist/electron/preload.cjs',
    ]);
    expect(entries).toContain('/dist/renderer/index.html');
  });

  it('ships the bundles as built, and a package.json whose main is the Electron bundle', () => {
    const asar = join(resources, 'app.asar');
    // Markers rather than byte equality: other suites may re-bundle dist/ while this one runs.
    const markers: Record<string, string> = {
      'dist/electron/main.cjs': 'requestSingleInstanceLock',
      'dist/electron/preload.cjs': 'exposeInMainWorld("scimdesk"',
      'dist/electron/delivery-worker.cjs': 'parentPort',
      'dist/renderer/index.html': '<div id="root">',
      'dist/cli.js': 'scimdesk',
    };
    for (const [file, marker] of Object.entries(markers)) expect(extractFile(asar, file).toString('utf8'), file).toContain(marker);
    const pkg = JSON.parse(extractFile(asar, 'package.json').toString('utf8')) as { main: string; name: string };
    expect(pkg).toMatchObject({ name: 'scimdesk', main: 'dist/electron/main.cjs' });
  });

  it('ships the chosen Electron binding outside the asar, where the host loads it, and never the Node build', () => {
    // electron/native-binding.ts loads <resources>/native/better_sqlite3.node when packaged.
    const shipped = join(resources, PACKAGED_BINDING_DIR, BINDING_FILE);
    expect(readFileSync(shipped, 'utf8')).toBe(MARKER);
    expect(readFileSync(shipped).equals(readFileSync(NODE_BUILD))).toBe(false);
    expect(builderLog).toContain(`packaging with the Electron binding ${join(work, 'better_sqlite3.node')}`);
    // No other copy of the addon anywhere: not in the asar, not unpacked beside it.
    expect(entries.filter((e) => e.endsWith('.node'))).toEqual([]);
    expect(existsSync(join(resources, 'app.asar.unpacked'))).toBe(false);
  });

  it('ships no sources, tests, source maps or build trees', () => {
    const outsideModules = entries.filter((e) => !e.startsWith('/node_modules/'));
    expect(
      outsideModules.filter((e) => /\.(ts|tsx|mts|cts|map)$/.test(e) || /^\/(test|server|electron|renderer|build|bench)(\/|$)/.test(e)),
    ).toEqual([]);
    expect(entries.filter((e) => e.endsWith('.map'))).toEqual([]);
    expect(entries.filter((e) => /^\/node_modules\/better-sqlite3\/(src|deps)\//.test(e) || e.includes('/obj.target/'))).toEqual([]);
  });

  it('ships no devDependencies', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    const dev = [
      ...Object.keys(pkg.devDependencies),
      'vitest',
      'typescript',
      'react',
      'react-dom',
      'electron',
      'electron-builder',
      'esbuild',
      'vite',
    ];
    const shipped = new Set(entries.map((e) => /^\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(e)?.[1]).filter(Boolean));
    expect(dev.filter((name) => shipped.has(name))).toEqual([]);
    expect(shipped.has('better-sqlite3')).toBe(true);
    expect(shipped.has('express')).toBe(true);
  });
});
