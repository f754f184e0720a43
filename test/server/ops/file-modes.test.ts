import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { restoreInto } from '../../../server/ops/backup.js';
import { serve } from '../../../server/serve.js';
import { openDb } from '../../../server/store/db.js';
import { testNode, USER } from '../../helpers/node.js';
import { scratch } from '../../helpers/scratch.js';

const { tmp, running } = scratch('scimdesk-modes-');
const mode = (file: string): string => (statSync(file).mode & 0o777).toString(8);

describe('file permissions', () => {
  it('creates the database, WAL and SHM 0600 and warns about a data dir others can read', async () => {
    const data = join(tmp(), 'data');
    mkdirSync(data, { mode: 0o755 });
    chmodSync(data, 0o755);
    const logs: string[] = [];
    const s = await serve({ dataDir: data, host: '127.0.0.1', port: 0, consolePort: null }, { log: (m) => logs.push(m) });
    running.push(s);
    const { token } = s.node.tokens.create({ label: 'w' });
    await fetch(`${s.scimUrl}/Users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
      body: JSON.stringify({ schemas: [USER], userName: 'mode@example.com' }),
    });
    s.node.flushEvents();
    for (const f of ['scimdesk.db', 'scimdesk.db-wal', 'scimdesk.db-shm']) {
      expect(existsSync(join(data, f)), f).toBe(true);
      expect(mode(join(data, f)), f).toBe('600');
    }
    expect(logs).toContain(
      `the data directory ${data} is readable by other users (mode 0755); it holds token hashes and personal data: run chmod 700 ${data}`,
    );
  });

  it('does not warn about a 0700 data dir, and tightens a 0644 database left by an older build', async () => {
    const data = join(tmp(), 'data');
    mkdirSync(data, { mode: 0o700 });
    const old = openDb(join(data, 'scimdesk.db'));
    old.close();
    chmodSync(join(data, 'scimdesk.db'), 0o644);
    const logs: string[] = [];
    const s = await serve({ dataDir: data, host: '127.0.0.1', port: 0, consolePort: null }, { log: (m) => logs.push(m) });
    running.push(s);
    expect(mode(join(data, 'scimdesk.db'))).toBe('600');
    expect(logs.filter((l) => l.includes('readable by other users'))).toEqual([]);
  });

  it('writes backups and restore copies 0600', async () => {
    const root = tmp();
    const t = await testNode({ dbFile: join(root, 'live.db') });
    await t.scim('POST', '/Users', { schemas: [USER], userName: 'b@example.com' });
    const file = join(root, 'out', 'copy.db');
    await t.node.backup(file);
    expect(mode(file)).toBe('600');
    const target = join(root, 'target', 'scimdesk.db');
    mkdirSync(join(root, 'target'));
    openDb(target).close();
    chmodSync(file, 0o644);
    const { previous } = restoreInto(target, file);
    expect(mode(target)).toBe('600');
    expect(mode(previous ?? '')).toBe('600');
  });
});
