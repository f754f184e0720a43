import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exclusiveLockHeld, tryExclusiveLock } from './store/process-lock.js';

export const dbPath = (dataDir: string): string => join(dataDir, 'scimdesk.db');
export const metricsTokenPath = (dataDir: string): string => join(dataDir, 'metrics-token');
const lockPath = (dataDir: string): string => join(dataDir, 'serve.lock');

export function ensureDataDir(dataDir: string): void {
  // 0700: the directory holds token hashes and the directory's personal data.
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
}

/**
 * A warning when other users can read or enter the data dir. mkdir's mode applies only to a
 * directory it creates, so one that already existed (an admin's mkdir, a package) may be 0755.
 * The node warns rather than chmods: the admin may share the directory on purpose (a backup group).
 */
export function dataDirWarning(dataDir: string): string | null {
  if (process.platform === 'win32') return null;
  const mode = statSync(dataDir).mode & 0o777;
  if ((mode & 0o077) === 0) return null;
  return `the data directory ${dataDir} is readable by other users (mode 0${mode.toString(8)}); it holds token hashes and personal data: run chmod 700 ${dataDir}`;
}

/** The file the serve lock is held on; `serve.lock` beside it only says which pid holds it. */
const heldLockPath = (dataDir: string): string => join(dataDir, 'serve.lock.db');

const readPid = (dataDir: string): number | null => {
  try {
    const pid = Number(readFileSync(lockPath(dataDir), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
};

/**
 * Which process serves this data dir right now, if any. The lock itself says whether anyone serves
 * (a crashed node's leftover pid file does not count, even if its pid was reused); the pid file says
 * who. This process never reports itself. 0 means held by a starter that has not written its pid yet.
 */
export function servingPid(dataDir: string): number | null {
  if (!existsSync(heldLockPath(dataDir)) || !exclusiveLockHeld(heldLockPath(dataDir))) return null;
  const pid = readPid(dataDir);
  return pid === process.pid ? null : (pid ?? 0);
}

export class DataDirBusy extends Error {
  override name = 'DataDirBusy';
}

/**
 * One `serve` per data dir: a second node on the same SQLite file would race the first on startup
 * work and double-count token use. The lock is a kernel file lock (see tryExclusiveLock), taken in
 * one atomic step, so two nodes starting together over a crashed node's leftovers cannot both win.
 * `nativeBinding` is the better-sqlite3 addon of this runtime (Electron passes its own; see openDb).
 */
export function acquireServeLock(dataDir: string, nativeBinding?: string): () => void {
  const release = tryExclusiveLock(heldLockPath(dataDir), nativeBinding);
  if (!release) {
    const pid = readPid(dataDir);
    const who = pid === null ? 'another scimdesk serve' : `another scimdesk serve (pid ${pid})`;
    throw new DataDirBusy(`${who} is already running on ${dataDir}; stop it first or use --data`);
  }
  try {
    writeFileSync(lockPath(dataDir), `${process.pid}\n`, { mode: 0o600 });
  } catch (e) {
    release();
    throw e;
  }
  return () => {
    rmSync(lockPath(dataDir), { force: true });
    release();
  };
}

/**
 * The bearer token a Prometheus scraper presents on /metrics (its `credentials_file`). Created once,
 * 0600, and kept across restarts so the scrape config does not change; delete the file to rotate it.
 */
export function ensureMetricsToken(dataDir: string): string {
  const file = metricsTokenPath(dataDir);
  try {
    const existing = readFileSync(file, 'utf8').trim();
    if (existing) return existing;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const token = randomBytes(32).toString('base64url');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return token;
}
