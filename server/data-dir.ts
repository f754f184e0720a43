import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

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

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Which process serves this data dir right now, if any (a stale lock from a crash does not count). */
export function servingPid(dataDir: string): number | null {
  try {
    const pid = Number(readFileSync(lockPath(dataDir), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid) ? pid : null;
  } catch {
    return null;
  }
}

export class DataDirBusy extends Error {
  override name = 'DataDirBusy';
}

/**
 * One `serve` per data dir: a second node on the same SQLite file would race the first on startup
 * work and double-count token use. The lock holds the pid, so a crash leaves nothing to clean.
 */
export function acquireServeLock(dataDir: string): () => void {
  const pid = servingPid(dataDir);
  if (pid !== null) {
    throw new DataDirBusy(`another scimdesk serve (pid ${pid}) is already running on ${dataDir}; stop it first or use --data`);
  }
  const create = () => writeFileSync(lockPath(dataDir), `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
  try {
    create();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    // A stale lock from a crashed node: remove it and race for it once more, exclusively.
    rmSync(lockPath(dataDir), { force: true });
    try {
      create();
    } catch {
      throw new DataDirBusy(`another scimdesk serve is starting on ${dataDir}; stop it first or use --data`);
    }
  }
  return () => rmSync(lockPath(dataDir), { force: true });
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
