import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { extractFile, listPackage } from '@electron/asar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Lays out the Linux app offline (`electron-builder --dir` with a dummy Electron executable; the real
 * binary is not installed here) and inspects what would ship. Reads the built dist/ (`npm run build`)
 * and never writes to it.
 */
const ROOT = process.cwd();
const CONFIG = join(ROOT, 'build', 'electron-builder.config.cjs');
const BUILT = ['dist/electron/main.cjs', 'dist/electron/preload.cjs', 'dist/renderer/index.html', 'dist/cli.js'];
const missing = BUILT.filter((f) => !existsSync(join(ROOT, f)));
const TIMEOUT_MS = 120_000;

let work: string;
let resources: string;
let entries: string[];
let builderLog = '';

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
    const cli = join(ROOT, 'node_modules', 'electron-builder', 'cli.js');
    const args = [
      cli,
      '--dir',
      '--linux',
      '-c',
      CONFIG,
      `-c.electronDist=${electronDist}`,
      '-c.npmRebuild=false',
      `-c.directories.output=${out}`,
    ];
    const r = await promisify(execFile)(process.execPath, args, { cwd: ROOT, timeout: TIMEOUT_MS, env: { ...process.env, CI: '1' } });
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
    expect(children('/dist/electron')).toEqual(['/dist/electron/main.cjs', '/dist/electron/preload.cjs']);
    expect(entries).toContain('/dist/renderer/index.html');
  });

  it('ships the bundles as built, and a package.json whose main is the Electron bundle', () => {
    const asar = join(resources, 'app.asar');
    // Markers rather than byte equality: other suites may re-bundle dist/ while this one runs.
    const markers: Record<string, string> = {
      'dist/electron/main.cjs': 'requestSingleInstanceLock',
      'dist/electron/preload.cjs': 'exposeInMainWorld("scimdesk"',
      'dist/renderer/index.html': '<div id="root">',
      'dist/cli.js': 'scimdesk',
    };
    for (const [file, marker] of Object.entries(markers)) expect(extractFile(asar, file).toString('utf8'), file).toContain(marker);
    const pkg = JSON.parse(extractFile(asar, 'package.json').toString('utf8')) as { main: string; name: string };
    expect(pkg).toMatchObject({ name: 'scimdesk', main: 'dist/electron/main.cjs' });
  });

  it("unpacks better-sqlite3's native addon (a .node file cannot load from inside an asar)", () => {
    expect(
      existsSync(join(resources, 'app.asar.unpacked', 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node')),
    ).toBe(true);
    const native = entries.filter((e) => e.endsWith('.node'));
    expect(native).toEqual(['/node_modules/better-sqlite3/build/Release/better_sqlite3.node']);
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
