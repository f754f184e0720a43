import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError, readConfigFile, resolveServe } from '../../../server/config.js';
import { startNode, startNodeWithStore } from '../../../server/node.js';
import { RestoreError, restoreInto, verifyBackup } from '../../../server/ops/backup.js';
import { installService } from '../../../server/ops/service.js';
import { serve } from '../../../server/serve.js';
import { openDb } from '../../../server/store/db.js';
import { MigrationError, migrate, SCHEMA_VERSION } from '../../../server/store/migrate.js';
import { MIGRATIONS } from '../../../server/store/migrations/index.js';
import { GROUP, testNode, USER } from '../../helpers/node.js';
import { scratch } from '../../helpers/scratch.js';

const run = promisify(execFile);
const { tmp, running } = scratch('scimdesk-ops-');

describe('configuration', () => {
  it('takes flags over env over config.json over defaults', () => {
    const file = { host: '0.0.0.0', port: 9000, consolePort: null, logLevel: 'warn' as const };
    expect(resolveServe({ data: '/d' }, {}, () => ({}))).toMatchObject({
      dataDir: '/d',
      host: '127.0.0.1',
      port: 7643,
      consolePort: 7644,
      logLevel: 'info',
    });
    expect(resolveServe({ data: '/d' }, {}, () => file)).toMatchObject({
      host: '0.0.0.0',
      port: 9000,
      consolePort: null,
      logLevel: 'warn',
    });
    expect(resolveServe({ data: '/d' }, { SCIMDESK_PORT: '9100', SCIMDESK_HOST: '10.0.0.1' }, () => file)).toMatchObject({
      host: '10.0.0.1',
      port: 9100,
    });
    expect(
      resolveServe({ data: '/d', port: '9200', host: '::1', consolePort: '9300' }, { SCIMDESK_PORT: '9100' }, () => file),
    ).toMatchObject({
      host: '::1',
      port: 9200,
      consolePort: 9300,
    });
    expect(() => resolveServe({ data: '/d', tlsCert: '/c.pem' }, {}, () => ({}))).toThrow('TLS needs both a certificate and a key');
  });

  it.each([
    ['{"port": "80"}', '"port" must be a port number from 0 to 65535'],
    ['{"logLevel": "loud"}', '"logLevel" must be one of fatal, error, warn, info, debug, trace, silent'],
    ['{"colour": "blue"}', '"colour" is not a known setting'],
    ['{"port": 80,', 'is not valid JSON'],
    ['[1]', 'must hold a JSON object'],
  ])('refuses config %s naming the key and the reason', (text, message) => {
    const dir = tmp();
    writeFileSync(join(dir, 'config.json'), text);
    expect(() => readConfigFile(dir)).toThrow(ConfigError);
    expect(() => readConfigFile(dir)).toThrow(message);
  });
});

describe('service install', () => {
  it('writes a hardened systemd unit and tightens the data dir to 0700 with files 0600', () => {
    const root = tmp();
    const data = join(root, 'data');
    mkdirSync(join(data, 'backups'), { recursive: true });
    writeFileSync(join(data, 'scimdesk.db'), 'x', { mode: 0o644 });
    writeFileSync(join(data, 'backups', 'b.db'), 'y', { mode: 0o666 });
    const r = installService({
      user: 'root',
      dataDir: data,
      node: '/usr/bin/node',
      cli: '/opt/scimdesk/dist/cli.js',
      unitDir: join(root, 'units'),
      createUser: false,
    });
    const unit = readFileSync(r.unitPath, 'utf8');
    expect(unit).toContain('User=root\n');
    expect(unit).toContain(`ExecStart=/usr/bin/node /opt/scimdesk/dist/cli.js serve --data ${data}\n`);
    expect(unit).toContain(`ReadWritePaths=${data}\n`);
    expect(unit).toContain('NoNewPrivileges=true\n');
    expect(statSync(data).mode & 0o777).toBe(0o700);
    expect(statSync(join(data, 'backups')).mode & 0o777).toBe(0o700);
    expect(statSync(join(data, 'scimdesk.db')).mode & 0o777).toBe(0o600);
    expect(statSync(join(data, 'backups', 'b.db')).mode & 0o777).toBe(0o600);
    expect(r.next).toEqual(['systemctl daemon-reload', 'systemctl enable --now scimdesk', 'journalctl -u scimdesk -f']);
  });
});

describe('backup and restore', () => {
  it('backs up while serving under load, restores onto a new data dir, and shows the same users and roles', async () => {
    const root = tmp();
    const s = await serve({ dataDir: join(root, 'a'), host: '127.0.0.1', port: 0, consolePort: null }, { log: () => {} });
    running.push(s);
    s.node.roles.setMapping('Admins', 'admin', { kind: 'cli', requestId: null, tokenId: null });
    const { token } = s.node.tokens.create({ label: 'load' });
    const h = { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' };
    const first = await fetch(`${s.scimUrl}/Users`, {
      method: 'POST',
      headers: h,
      body: JSON.stringify({ schemas: [USER], userName: 'boss@example.com' }),
    });
    const boss = ((await first.json()) as { id: string }).id;
    await fetch(`${s.scimUrl}/Groups`, {
      method: 'POST',
      headers: h,
      body: JSON.stringify({ schemas: [GROUP], displayName: 'Admins', members: [{ value: boss }] }),
    });
    // Writes keep landing while the CLI process takes the backup.
    let stop = false;
    const load = (async () => {
      for (let i = 0; !stop && i < 2000; i++) {
        await fetch(`${s.scimUrl}/Users`, {
          method: 'POST',
          headers: h,
          body: JSON.stringify({ schemas: [USER], userName: `load${i}@example.com` }),
        });
      }
    })();
    await new Promise((r) => setTimeout(r, 100));
    const file = join(root, 'backup.db');
    // execFile, not spawnSync: a blocked event loop would stop the load while the CLI backs up.
    const cli = await run(process.execPath, ['dist/cli.js', 'backup', '--to', file, '--data', join(root, 'a')], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    stop = true;
    await load;
    expect(cli.stderr).toBe('');
    expect(cli.stdout).toMatch(/^Backed up \d+ pages to /);
    const info = verifyBackup(file);
    expect(info.schemaVersion).toBe(SCHEMA_VERSION);
    expect(info.users).toBeGreaterThan(1);
    // Restore is refused while that data dir is being served.
    const refused = spawnSync(process.execPath, ['dist/cli.js', 'restore', '--from', file, '--data', join(root, 'a')], {
      encoding: 'utf8',
    });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/scimdesk serve \(pid \d+\) is running on .*; stop it before restoring/);
    const restored = spawnSync(process.execPath, ['dist/cli.js', 'restore', '--from', file, '--data', join(root, 'b')], {
      encoding: 'utf8',
    });
    expect(restored.status).toBe(0);
    const b = startNode({ dbFile: join(root, 'b', 'scimdesk.db'), log: () => {} });
    try {
      expect(b.members.list({ search: 'boss@example.com' }).items[0]).toMatchObject({
        userName: 'boss@example.com',
        role: 'admin',
        groups: ['Admins'],
        roleSource: 'Admins',
      });
      expect(b.members.list().total).toBe(info.users);
    } finally {
      b.close();
    }
  });

  it('refuses a file that is not an intact SCIM Desk database', async () => {
    const root = tmp();
    writeFileSync(join(root, 'junk.db'), 'not sqlite at all, just text that is long enough to be a header');
    expect(() => verifyBackup(join(root, 'junk.db'))).toThrow(RestoreError);
    const other = openDb(join(root, 'other.db'));
    other.exec('CREATE TABLE x (y)');
    other.close();
    expect(() => restoreInto(join(root, 'target.db'), join(root, 'other.db'))).toThrow(
      'is not a SCIM Desk database (no schema_migrations table)',
    );
    const newer = openDb(join(root, 'newer.db'));
    migrate(newer);
    newer.prepare("INSERT INTO schema_migrations VALUES (999, 'future', 'x', '2030-01-01')").run();
    newer.close();
    expect(() => verifyBackup(join(root, 'newer.db'))).toThrow(
      `has schema version 999, newer than this build (${SCHEMA_VERSION}); upgrade SCIM Desk first`,
    );
  });

  it('takes an online backup with progress', async () => {
    const root = tmp();
    const t = await testNode({ dbFile: join(root, 'live.db') });
    await t.scim('POST', '/Users', { schemas: [USER], userName: 'p@example.com' });
    const seen: number[] = [];
    const r = await t.node.backup(join(root, 'copy.db'), (done, total) => seen.push(done / total));
    expect(r.pages).toBeGreaterThan(0);
    expect(seen.at(-1)).toBe(1);
    expect(verifyBackup(join(root, 'copy.db')).users).toBe(1);
  });
});

describe('export and import', () => {
  it('round-trips users, groups, memberships, mappings and roles', async () => {
    const t = await testNode();
    t.node.roles.setMapping('Pubs', 'publisher', { kind: 'cli', requestId: null, tokenId: null });
    const u = await t.scim('POST', '/Users', { schemas: [USER], userName: 'x@example.com', externalId: 'e1', name: { givenName: 'X' } });
    const inner = await t.scim('POST', '/Groups', { schemas: [GROUP], displayName: 'Inner', members: [{ value: u.body?.id }] });
    await t.scim('POST', '/Groups', { schemas: [GROUP], displayName: 'Pubs', members: [{ value: inner.body?.id }] });
    let text = '';
    const counts = await t.node.transfer.exportDirectory((l) => {
      text += l;
    });
    expect(counts).toEqual({ schema: 0, user: 1, group: 2, membership: 2, mapping: 1 });
    expect(text).not.toContain('password');
    const other = await testNode();
    expect(other.node.transfer.importDirectory(text)).toEqual(counts);
    const got = await other.scim('GET', `/Users/${u.body?.id}`);
    expect(got.body).toMatchObject({ userName: 'x@example.com', externalId: 'e1', name: { givenName: 'X' } });
    expect(other.node.members.list().items[0]).toMatchObject({ role: 'publisher', roleSource: 'Pubs' });
    // All or nothing: a second import collides on the first line and changes nothing.
    expect(() => other.node.transfer.importDirectory(text)).toThrow(/^line 1: UNIQUE constraint failed/);
    expect(other.node.members.list().total).toBe(1);
  });
});

describe('export and import of extension schemas and values', () => {
  const EXT = 'urn:ietf:params:scim:schemas:extension:CustomExt:2.0:User';
  const OTHER = 'urn:ietf:params:scim:schemas:extension:Badges:2.0:User';

  it('carries the declarations first, then declared and undeclared values, with indexes rebuilt', async () => {
    const t = await testNode();
    t.node.extensions.declare({
      id: EXT,
      attributes: [
        { name: 'costCenter', type: 'string', indexed: true },
        { name: 'badge', type: 'integer', uniqueness: 'server' },
      ],
    });
    const u = await t.scim('POST', '/Users', {
      schemas: [USER, EXT],
      userName: 'x@example.com',
      [EXT]: { costCenter: '42', badge: 7 },
      [OTHER]: { floor: 3 },
    });
    expect(u.status).toBe(201);
    let text = '';
    const counts = await t.node.transfer.exportDirectory((l) => {
      text += l;
    });
    expect(counts).toEqual({ schema: 1, user: 1, group: 0, membership: 0, mapping: 0 });
    expect(JSON.parse(text.split('\n')[0] ?? '')).toMatchObject({ type: 'schema', definition: { id: EXT } });
    const other = await testNode();
    expect(other.node.transfer.importDirectory(text)).toEqual(counts);
    expect(other.node.extensions.list()).toEqual(t.node.extensions.list());
    const got = await other.scim('GET', `/Users/${u.body?.id}`);
    expect(got.body).toMatchObject({ schemas: [USER, EXT, OTHER], [EXT]: { costCenter: '42', badge: 7 }, [OTHER]: { floor: 3 } });
    const found = await other.scim('GET', `/Users?filter=${encodeURIComponent(`${EXT}:costCenter eq "42"`)}`);
    expect(found.body?.totalResults).toBe(1);
    // The unique index came with the declaration.
    const dup = await other.scim('POST', '/Users', { schemas: [USER, EXT], userName: 'y@example.com', [EXT]: { badge: 7 } });
    expect(dup.status).toBe(409);
  });
});

describe('health, metrics and upgrades', () => {
  it('answers /healthz without auth and without data, and 503 when the database is gone', async () => {
    const t = await testNode();
    const base = t.base.replace('/api/scim/v2', '');
    const ok = await fetch(`${base}/healthz`);
    expect([ok.status, await ok.json()]).toEqual([200, { status: 'ok' }]);
    t.db.close();
    const down = await fetch(`${base}/healthz`);
    expect([down.status, await down.json()]).toEqual([503, { status: 'unavailable' }]);
  });

  it('migrates a database built by the first schema version, after a backup, keeping its users', () => {
    const root = tmp();
    const file = join(root, 'v1.db');
    const v1 = openDb(file);
    migrate(v1, MIGRATIONS.slice(0, 1));
    v1.prepare(
      `INSERT INTO users (id, user_name, external_id, active, data, created, last_modified, version)
       VALUES ('u-1', 'old@example.com', 'x', 1, '{"userName":"old@example.com","externalId":"x"}', '2020-01-01T00:00:00.000Z', '2020-01-01T00:00:00.000Z', 1)`,
    ).run();
    v1.close();
    const logs: string[] = [];
    const { node, db } = startNodeWithStore({ dbFile: file, backupDir: join(root, 'backups'), log: (m) => logs.push(m) });
    try {
      expect(logs[0]).toMatch(new RegExp(`^schema upgrade: saved the database first to .*pre-migration-v1-to-v${SCHEMA_VERSION}-.*\\.db$`));
      expect(node.members.list().items).toEqual([
        {
          id: 'u-1',
          userName: 'old@example.com',
          displayName: null,
          externalId: 'x',
          active: true,
          role: null,
          groups: [],
          roleSource: null,
          origin: 'scim',
        },
      ]);
      expect(db.prepare('SELECT max(id) AS v FROM schema_migrations').get()).toEqual({ v: SCHEMA_VERSION });
    } finally {
      node.close();
    }
    const saved = logs[0]?.split(' to ')[1] ?? '';
    expect(verifyBackup(saved).schemaVersion).toBe(1);
  });

  it('refuses a newer database and an edited migration', () => {
    const root = tmp();
    const db = openDb(join(root, 'n.db'));
    migrate(db);
    db.prepare("INSERT INTO schema_migrations VALUES (99, 'later', 'h', '2030-01-01')").run();
    expect(() => migrate(db)).toThrow(MigrationError);
    expect(() => migrate(db)).toThrow(
      `database schema version 99 (later) is newer than this build supports (${SCHEMA_VERSION}); upgrade SCIM Desk`,
    );
    db.prepare('DELETE FROM schema_migrations WHERE id = 99').run();
    const edited = MIGRATIONS.map((m) => (m.id === 1 ? { ...m, sql: `${m.sql}\n-- edited` } : m));
    expect(() => migrate(db, edited)).toThrow('migration 1 (init) was edited after it was applied; migrations are append-only');
    db.close();
  });
});
