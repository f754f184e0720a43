import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import {
  bindingPlan,
  buildPlan,
  canPrepare,
  decideStart,
  findElectronBinary,
  hasDisplay,
  isStale,
  NO_BINARY,
} from '../../build/start-decision.mjs';

const DIR = '/repo/node_modules/electron';

function probes(files: Record<string, string>, env: Record<string, string | undefined> = {}) {
  return {
    env,
    exists: (p: string) => Object.keys(files).some((f) => f === p || f.startsWith(`${p}/`)),
    read: (p: string) => {
      const v = files[p];
      if (v === undefined) throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
      return v;
    },
  };
}

describe('findElectronBinary', () => {
  it('finds the executable named by path.txt inside dist/', () => {
    const files = { [join(DIR, 'path.txt')]: 'electron\n', [join(DIR, 'dist', 'electron')]: '' };
    expect(findElectronBinary(DIR, probes(files))).toEqual({ ok: true, path: join(DIR, 'dist', 'electron') });
  });

  it('reports the missing binary when npm installed the package without it (this machine)', () => {
    expect(findElectronBinary(DIR, probes({ [join(DIR, 'index.js')]: '' }))).toEqual({ ok: false, reason: NO_BINARY });
    expect(NO_BINARY).toBe("Electron's binary is not installed (node_modules/electron/dist missing)");
  });

  it('reports a half-extracted download (path.txt but no executable)', () => {
    const files = { [join(DIR, 'path.txt')]: 'electron', [join(DIR, 'dist', 'version')]: '45.5.0' };
    expect(findElectronBinary(DIR, probes(files))).toEqual({ ok: false, reason: NO_BINARY });
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH like electron/index.js', () => {
    const files = { '/opt/electron/electron': '' };
    expect(findElectronBinary(DIR, probes(files, { ELECTRON_OVERRIDE_DIST_PATH: '/opt/electron' }))).toEqual({
      ok: true,
      path: '/opt/electron/electron',
    });
    expect(findElectronBinary(DIR, probes({}, { ELECTRON_OVERRIDE_DIST_PATH: '/nowhere' }))).toMatchObject({ ok: false });
  });

  it('never touches node_modules/electron/index.js (requiring it starts a download)', () => {
    const read = (p: string) => {
      if (p.endsWith('index.js')) throw new Error('index.js must not be read');
      throw new Error('ENOENT');
    };
    expect(findElectronBinary(DIR, { env: {}, exists: () => false, read })).toMatchObject({ ok: false });
  });
});

describe('hasDisplay', () => {
  it.each([
    ['linux', {}, false],
    ['linux', { DISPLAY: ':0' }, true],
    ['linux', { WAYLAND_DISPLAY: 'wayland-0' }, true],
    ['linux', { DISPLAY: '' }, false],
    ['freebsd', {}, false],
    ['darwin', {}, true],
    ['win32', {}, true],
  ])('%s %j → %s', (platform, env, expected) => {
    expect(hasDisplay(platform, env)).toBe(expected);
  });
});

describe('decideStart', () => {
  const binary = { ok: true as const, path: '/e/electron' };
  it('launches Electron when the binary and a display are there', () => {
    expect(decideStart({ binary, platform: 'linux', env: { DISPLAY: ':0' } })).toEqual({ mode: 'electron', electron: '/e/electron' });
    expect(decideStart({ binary, platform: 'darwin', env: {} })).toEqual({ mode: 'electron', electron: '/e/electron' });
  });
  it('falls back to headless with the binary reason first', () => {
    expect(decideStart({ binary: { ok: false, reason: NO_BINARY }, platform: 'linux', env: {} })).toEqual({
      mode: 'headless',
      reason: NO_BINARY,
    });
  });
  it('falls back to headless without a display', () => {
    expect(decideStart({ binary, platform: 'linux', env: {} })).toEqual({ mode: 'headless', reason: expect.stringMatching(/^no display/) });
  });
  it('SCIMDESK_HEADLESS=1 forces the headless node', () => {
    expect(decideStart({ binary, platform: 'darwin', env: { SCIMDESK_HEADLESS: '1' } })).toMatchObject({ mode: 'headless' });
  });
});

describe('build plan', () => {
  it('isStale: missing or older outputs', () => {
    expect(isStale([null], 0)).toBe(true);
    expect(isStale([5, 9], 7)).toBe(true);
    expect(isStale([8, 9], 7)).toBe(false);
    expect(isStale([7], 7)).toBe(false);
  });

  const fresh = { cliOutputs: [10], electronOutputs: [10, 10], newestInput: 5 };
  const renderer = { hasSources: true, outputs: [10], newestInput: 5 };
  it('builds nothing when everything is current', () => {
    expect(buildPlan({ mode: 'electron', bundle: fresh, renderer })).toEqual([]);
  });
  it('bundles when the Electron bundles are missing, but only in Electron mode', () => {
    const bundle = { ...fresh, electronOutputs: [null, 10] };
    expect(buildPlan({ mode: 'electron', bundle, renderer })).toEqual(['bundle']);
    expect(buildPlan({ mode: 'headless', bundle, renderer })).toEqual([]);
  });
  it('bundles when a source is newer than dist/cli.js', () => {
    expect(buildPlan({ mode: 'headless', bundle: { ...fresh, newestInput: 11 }, renderer })).toEqual(['bundle']);
  });
  it('builds the renderer when stale, and skips it when there are no renderer sources', () => {
    expect(buildPlan({ mode: 'headless', bundle: fresh, renderer: { ...renderer, outputs: [null] } })).toEqual(['renderer']);
    expect(buildPlan({ mode: 'electron', bundle: fresh, renderer: { hasSources: false, outputs: [null], newestInput: 0 } })).toEqual([]);
  });
});

describe('bindingPlan: the Electron build of better-sqlite3 before launching Electron', () => {
  const electron = { mode: 'electron' as const, electron: '/e/electron' };
  const missing = { ok: false as const, path: '/repo/native/electron/better_sqlite3.node', reason: 'the Electron build is missing' };
  it('does nothing when it is there, or when the node runs headless anyway', () => {
    expect(bindingPlan({ decision: electron, binding: { ok: true, path: '/b' }, nodeVersion: '22.12.0', env: {} })).toEqual({
      action: 'none',
    });
    expect(bindingPlan({ decision: { mode: 'headless', reason: 'x' }, binding: missing, nodeVersion: '22.12.0', env: {} })).toEqual({
      action: 'none',
    });
  });
  it('builds it when this Node can run @electron/rebuild', () => {
    expect(bindingPlan({ decision: electron, binding: missing, nodeVersion: '22.12.0', env: {} })).toEqual({ action: 'prepare' });
    expect(bindingPlan({ decision: electron, binding: missing, nodeVersion: '24.1.0', env: {} })).toEqual({ action: 'prepare' });
  });
  it('otherwise falls back to headless, saying exactly what to run', () => {
    const headless = {
      action: 'headless',
      reason: 'the Electron build is missing; run `npm run desktop:prepare` (Node 22.12+, internet once) to use the desktop app',
    };
    expect(bindingPlan({ decision: electron, binding: missing, nodeVersion: '20.20.2', env: {} })).toEqual(headless);
    expect(bindingPlan({ decision: electron, binding: missing, nodeVersion: '24.1.0', env: { SCIMDESK_NO_PREPARE: '1' } })).toEqual(
      headless,
    );
  });
  it.each([
    ['20.18.0', false],
    ['22.11.9', false],
    ['22.12.0', true],
    ['23.0.0', true],
  ])('canPrepare(%s) → %s', (v, ok) => expect(canPrepare(v)).toBe(ok));
});

/** Spawns build/start.mjs for a headless node on `dataDir` (no build step); `output()` is its stdout and stderr so far. */
function spawnStart(env: Record<string, string>, dataDir: string) {
  const child = spawn(process.execPath, ['build/start.mjs', '--port', '0', '--no-console', '--data', dataDir], {
    env: { ...process.env, SCIMDESK_SKIP_BUILD: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => out };
}

/** Runs build/start.mjs and resolves with its output once the headless node is serving, then stops it. */
async function startHeadless(env: Record<string, string>, dataDir: string): Promise<{ out: string; code: number | null }> {
  const { child, exited, output } = spawnStart(env, dataDir);
  try {
    await vi.waitFor(() => expect(output()).toMatch(/SCIM endpoint: (http:\S+)/), { timeout: 10_000, interval: 50 });
    child.kill('SIGINT');
    return { out: output(), code: await exited };
  } finally {
    child.kill('SIGKILL');
  }
}

describe('npm start (build/start.mjs) on this machine', () => {
  it('with Electron and a display but no Electron build of better-sqlite3: says what to run, then runs headless', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scimdesk-start-binding-'));
    // A dummy Electron executable that would fail loudly if it were ever launched.
    writeFileSync(join(dir, 'electron'), '#!/bin/sh\necho "electron launched" >&2\nexit 3\n');
    chmodSync(join(dir, 'electron'), 0o755);
    try {
      const missing = join(dir, 'absent', 'better_sqlite3.node');
      const { out, code } = await startHeadless(
        {
          ELECTRON_OVERRIDE_DIST_PATH: dir,
          DISPLAY: ':0',
          SCIMDESK_ELECTRON_BINDING: missing,
          SCIMDESK_NO_PREPARE: '1',
        },
        join(dir, 'data'),
      );
      expect(out.split('\n')[0]).toBe(
        `scimdesk: the Electron build of better-sqlite3 is missing (${missing}); run \`npm run desktop:prepare\` (Node 22.12+, internet once) to use the desktop app; starting the headless node instead (node dist/cli.js serve)`,
      );
      expect(out).not.toContain('electron launched');
      expect(code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 20_000);

  it('explains the fallback, runs the headless node, and forwards one SIGINT for a graceful stop', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'scimdesk-start-'));
    const { child, exited, output } = spawnStart({ SCIMDESK_HEADLESS: '1' }, dataDir);
    try {
      await vi.waitFor(() => expect(output()).toMatch(/SCIM endpoint: (http:[^\s"]+)/), { timeout: 10_000, interval: 50 });
      const url = /SCIM endpoint: (http:[^\s"]+)/.exec(output())?.[1] ?? '';
      expect(output().split('\n')[0]).toBe('scimdesk: SCIMDESK_HEADLESS=1; starting the headless node instead (node dist/cli.js serve)');
      expect((await fetch(`${url}/ServiceProviderConfig`)).status).toBe(401);
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(output()).toContain('SIGINT received: finishing in-flight requests');
      expect(output()).toContain('stopped');
    } finally {
      child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 20_000);
});
