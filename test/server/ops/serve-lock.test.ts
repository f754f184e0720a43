import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireServeLock, DataDirBusy, servingPid } from '../../../server/data-dir.js';
import { bundleDataDir, bundleEnv } from '../../helpers/data-dir-bundle.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'scimdesk-lock-'));
  dirs.push(d);
  return d;
};

/** A pid that surely belongs to no running process: one that has just exited. */
const deadPid = (): number => spawnSync(process.execPath, ['-e', '0']).pid ?? 999_999;

/**
 * A starter in its own process: it spins until the shared start time, so the starters hit the lock
 * together, tries to take it, reports "won" or "busy", and holds what it won until told to exit.
 */
function starter(bundle: string, dataDir: string, at: number): Promise<{ verdict: string; child: ChildProcess }> {
  const script = `
    const { acquireServeLock } = require(${JSON.stringify(bundle)});
    while (Date.now() < ${at}) {}
    let verdict;
    try { acquireServeLock(${JSON.stringify(dataDir)}); verdict = 'won'; } catch (e) { verdict = e.name === 'DataDirBusy' ? 'busy' : 'error ' + e.message; }
    process.stdout.write(verdict + '\\n');
    process.stdin.on('data', () => process.exit(0));
  `;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'], env: bundleEnv() });
  return new Promise((resolve, reject) => {
    child.stdout?.once('data', (d: Buffer) => resolve({ verdict: d.toString().trim(), child }));
    child.once('exit', (code) => reject(new Error(`starter exited with ${code}`)));
  });
}

describe('one serve per data dir', () => {
  it('lets exactly one of several concurrent starters win over a stale lock', async () => {
    const root = tmp();
    const bundle = bundleDataDir(join(root, 'data-dir.cjs'));
    for (let round = 0; round < 2; round++) {
      const data = join(root, `data${round}`);
      mkdirSync(data, { mode: 0o700 });
      writeFileSync(join(data, 'serve.lock'), `${deadPid()}\n`); // a crashed node's lock
      const at = Date.now() + 1500;
      const results = await Promise.all(
        Array.from({ length: 4 }, () => starter(bundle, data, at)).map((p) => p.catch((e: Error) => ({ verdict: e.message, child: null }))),
      );
      const verdicts = results.map((r) => r.verdict).sort();
      for (const r of results) r.child?.stdin?.end('exit\n');
      expect(verdicts, `round ${round}`).toEqual(['busy', 'busy', 'busy', 'won']);
    }
  }, 60_000);

  it('keeps holding the lock after a second attempt from the same process (no close drops its POSIX lock)', async () => {
    const root = tmp();
    const bundle = bundleDataDir(join(root, 'data-dir.cjs'));
    const data = join(root, 'data');
    mkdirSync(data, { mode: 0o700 });
    const release = acquireServeLock(data);
    try {
      expect(() => acquireServeLock(data)).toThrow(DataDirBusy);
      // fcntl locks belong to the process: one close() of any descriptor on the file drops them all.
      const other = await starter(bundle, data, Date.now());
      other.child.stdin?.end('exit\n');
      expect(other.verdict).toBe('busy');
    } finally {
      release();
    }
  });

  it('refuses a second starter while the first holds the lock, and frees it on release', () => {
    const data = tmp();
    const release = acquireServeLock(data);
    expect(() => acquireServeLock(data)).toThrow(DataDirBusy);
    release();
    const again = acquireServeLock(data);
    again();
    expect(servingPid(data)).toBeNull();
  });
});
