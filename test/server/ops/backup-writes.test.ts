import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { startNode } from '../../../server/node.js';
import { verifyBackup } from '../../../server/ops/backup.js';

const dirs: string[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/**
 * A writer in another process, as `serve` is while the CLI backs up: back-to-back transactions, each
 * adding a row to `churn` and setting `tally.n` to the row count, so a consistent snapshot always
 * has count(churn) = tally.n. (The stepped backup API never finished against it.) It prints
 * "ready" once it is writing.
 */
const WRITER = `
const Database = require('better-sqlite3');
const db = new Database(process.argv[1]);
db.pragma('busy_timeout = 5000');
db.exec('CREATE TABLE IF NOT EXISTS churn (id INTEGER PRIMARY KEY, pad BLOB); CREATE TABLE IF NOT EXISTS tally (n INTEGER); INSERT INTO tally SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM tally)');
const add = db.transaction(() => {
  db.prepare('INSERT INTO churn (pad) VALUES (randomblob(3000))').run();
  db.prepare('UPDATE tally SET n = (SELECT count(*) FROM churn)').run();
});
let first = true;
const tick = () => { add(); if (first) { first = false; process.stdout.write('ready\\n'); } setImmediate(tick); };
tick();
`;

function startWriter(file: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', WRITER, file], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.stdout?.once('data', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`writer exited with ${code}`)));
  });
}

describe('online backup under steady writes from another process', () => {
  it('finishes with one consistent snapshot that passes integrity_check', async () => {
    const root = mkdtempSync(join(tmpdir(), 'scimdesk-backup-'));
    dirs.push(root);
    const file = join(root, 'live.db');
    const node = startNode({ dbFile: file, log: () => {} });
    try {
      // Enough pages (about 8 MB) that a stepped copy needs many steps.
      const side = new Database(file);
      side.exec('CREATE TABLE filler (pad BLOB)');
      const fill = side.prepare('INSERT INTO filler VALUES (randomblob(4000))');
      side.transaction(() => {
        for (let i = 0; i < 2000; i++) fill.run();
      })();
      side.close();
      await startWriter(file);
      const to = join(root, 'copy.db');
      const progress: [number, number][] = [];
      const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 15_000));
      const result = await Promise.race([node.backup(to, (done, total) => progress.push([done, total])), timeout]);
      expect(result).not.toBe('timeout');
      expect(progress[0]?.[0]).toBe(0);
      const [done, total] = progress.at(-1) ?? [0, 0];
      expect(done).toBe(total);
      expect(total).toBeGreaterThan(2000);
      expect(verifyBackup(to).schemaVersion).toBeGreaterThan(0);
      const copy = new Database(to, { readonly: true });
      try {
        expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
        const churn = (copy.prepare('SELECT count(*) AS n FROM churn').get() as { n: number }).n;
        const tally = (copy.prepare('SELECT n FROM tally').get() as { n: number }).n;
        expect(churn).toBeGreaterThan(0);
        expect(tally).toBe(churn);
        expect((copy.prepare('SELECT count(*) AS n FROM filler').get() as { n: number }).n).toBe(2000);
      } finally {
        copy.close();
      }
    } finally {
      node.close();
    }
  }, 30_000);
});
