import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningServer, serve } from '../../../server/serve.js';
import { USER } from '../../helpers/node.js';

const dirs: string[] = [];
const running: RunningServer[] = [];
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) c.kill();
  for (const s of running.splice(0)) await s.stop();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/**
 * What Litestream does to a live database: one connection holds a read transaction open for a
 * long time (so no checkpoint can pass its position and the WAL frames it has not shipped stay),
 * and another runs PASSIVE checkpoints every 50 ms. It says "holding" once both are in place.
 */
const REPLICATOR = `
const Database = require('better-sqlite3');
const file = process.argv[1];
const reader = new Database(file);
reader.pragma('busy_timeout = 5000');
reader.exec('BEGIN');
reader.prepare('SELECT count(*) FROM users').get();
const checkpointer = new Database(file);
checkpointer.pragma('busy_timeout = 5000');
let n = 0;
setInterval(() => {
  checkpointer.pragma('wal_checkpoint(PASSIVE)');
  n++;
  if (n === 1) process.stdout.write('holding\\n');
}, 50);
`;

describe('standby replication (Litestream-style)', () => {
  it('keeps serving SCIM writes and reads while another process holds a long read transaction and checkpoints', async () => {
    const root = mkdtempSync(join(tmpdir(), 'scimdesk-standby-'));
    dirs.push(root);
    const data = join(root, 'data');
    const s = await serve({ dataDir: data, host: '127.0.0.1', port: 0, consolePort: null }, { log: () => {} });
    running.push(s);
    const { token } = s.node.tokens.create({ label: 'idp' });
    // The per-token rate limit is not under test here.
    s.node.settings.set('rateLimit', { perSecond: 100_000, burst: 100_000 });
    const child = spawn(process.execPath, ['-e', REPLICATOR, join(data, 'scimdesk.db')], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(child);
    let output = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (d: Buffer) => {
        output += d.toString();
        if (output.includes('holding')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`replicator exited with ${code}`)));
    });
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' };
    const statuses: number[] = [];
    for (let i = 0; i < 300; i++) {
      const r = await fetch(`${s.scimUrl}/Users`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ schemas: [USER], userName: `standby${i}@example.com` }),
        signal: AbortSignal.timeout(5000),
      });
      statuses.push(r.status);
      await r.arrayBuffer();
    }
    expect(statuses.filter((x) => x !== 201)).toEqual([]);
    const list = await fetch(`${s.scimUrl}/Users?count=1`, { headers, signal: AbortSignal.timeout(5000) });
    expect(list.status).toBe(200);
    expect(((await list.json()) as { totalResults: number }).totalResults).toBe(300);
    // The replicator was really there the whole time, checkpointing alongside the node.
    expect(child.exitCode).toBeNull();
  }, 60_000);
});
