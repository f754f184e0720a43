import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../../server/store/db.js';
import { migrate } from '../../../server/store/migrate.js';
import { MIGRATIONS } from '../../../server/store/migrations/index.js';
import { UsersRepo } from '../../../server/store/users-repo.js';

/** Migration 0006 (issue #15 item 8): caseless keys backfilled, collisions kept but never duplicated. */
describe('migration 0006 caseless keys', () => {
  it('backfills user_name_key and display_name_key, suffixing rows that already collide', () => {
    const db = openDb(join(mkdtempSync(join(tmpdir(), 'scimdesk-0006-')), 'n.db'));
    migrate(db, MIGRATIONS.slice(0, 5));
    const user = db.prepare(
      `INSERT INTO users (id, user_name, external_id, active, data, created, last_modified, version)
       VALUES (?, ?, NULL, 1, '{}', '2020', '2020', 1)`,
    );
    user.run('u1', 'émile@x');
    user.run('u2', 'ÉMILE@x');
    user.run('u3', 'e\u0301mile@x');
    user.run('u4', 'STRASSE');
    const group = db.prepare(
      `INSERT INTO groups (id, display_name, data, created, last_modified, version) VALUES (?, ?, '{}', '2020', '2020', 1)`,
    );
    group.run('g1', 'Équipe');
    group.run('g2', 'éQUIPE');
    expect(migrate(db, MIGRATIONS.slice(0, 6)).applied).toEqual([6]);
    expect(db.prepare('SELECT id, user_name_key AS k FROM users ORDER BY rowid').all()).toEqual([
      { id: 'u1', k: 'émile@x' },
      { id: 'u2', k: 'émile@x\u0000u2' },
      { id: 'u3', k: 'émile@x\u0000u3' },
      { id: 'u4', k: 'strasse' },
    ]);
    expect(db.prepare('SELECT id, display_name_key AS k FROM groups ORDER BY rowid').all()).toEqual([
      { id: 'g1', k: 'équipe' },
      { id: 'g2', k: 'équipe\u0000g2' },
    ]);
    // After the migration the repository writes the key, and the unique index holds.
    const repo = new UsersRepo(db);
    const u5 = {
      id: 'u5',
      userName: 'straße',
      externalId: null,
      active: true,
      data: {},
      created: '2020',
      lastModified: '2020',
      version: 1,
    };
    expect(() => repo.insert(u5, null, 'scim')).toThrow(/UNIQUE constraint failed: users.user_name_key/);
    db.close();
  });
});
