import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { newContext } from '../../../server/events/request-context.js';
import { startNode } from '../../../server/node.js';
import { readDatabaseFile, vacuumInto } from '../../../server/store/database-file.js';

/**
 * An indexed caseExact=false extension attribute is indexed on scimdesk_caseless_key(…), a function
 * the node registers (db.ts). Every other opening of the file (backup checks, VACUUM INTO before a
 * restore) must register it too, or SQLite answers "unknown function" on the index.
 */
const EXT = 'urn:ietf:params:scim:schemas:extension:Place:2.0:User';
let root = '';
afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('database files with a caseless expression index', () => {
  it('pass the integrity check and copy with VACUUM INTO outside the node', async () => {
    root = mkdtempSync(join(tmpdir(), 'scimdesk-caseless-'));
    const file = join(root, 'scimdesk.db');
    const node = startNode({ dbFile: file, log: () => {}, eventLog: false });
    expect(node.extensions.declare({ id: EXT, name: 'Place', attributes: [{ name: 'city', type: 'string', indexed: true }] }).applied).toBe(
      true,
    );
    await node.users.create(
      { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', EXT], userName: 'a', [EXT]: { city: 'Zürich' } },
      'http://x',
      newContext('test'),
    );
    await node.close();
    expect(readDatabaseFile(file, (r) => r.integrityCheck())).toBe('ok');
    const copy = join(root, 'copy.db');
    vacuumInto(file, copy);
    expect(readDatabaseFile(copy, (r) => [r.integrityCheck(), r.userCount()])).toEqual(['ok', 1]);
  });
});
