import { beforeAll, describe, expect, it } from 'vitest';
import { newContext } from '../../../server/events/request-context.js';
import { type ScimNode, startNode } from '../../../server/node.js';
import { parseFilter } from '../../../server/scim/filter.js';
import { matchesFilter } from '../../../server/scim/filter-eval.js';
import type { JsonObject } from '../../../server/scim/json.js';

/**
 * RFC 7643 §2.2: caseExact false strings compare caselessly. The SQL compile (filter-sql.ts) and the
 * in-memory evaluation (filter-eval.ts) must agree beyond ASCII: SQLite's lower() folds A–Z only, so
 * both compare caseless keys (NFC + Unicode case folding, server/scim/caseless.ts).
 */
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const EXT = 'urn:ietf:params:scim:schemas:extension:Place:2.0:User';
const BASE = 'http://scim.test/api/scim/v2';
type Name = 'emile' | 'strasse' | 'odysseus' | 'ascii';

let node: ScimNode;
const ids: Partial<Record<Name, string>> = {};

beforeAll(async () => {
  node = startNode({ dbFile: ':memory:', log: () => {}, eventLog: false });
  const declared = node.extensions.declare({
    id: EXT,
    name: 'Place',
    attributes: [
      { name: 'city', type: 'string', indexed: true },
      { name: 'office', type: 'string' },
    ],
  });
  expect(declared.applied).toBe(true);
  const user = async (name: Name, body: Record<string, unknown>) => {
    ids[name] = String((await node.users.create({ schemas: [USER, EXT], userName: name, ...body }, BASE, newContext('test'))).id);
  };
  await user('emile', {
    displayName: 'émile',
    emails: [{ value: 'ÉMILE@exemple.fr', type: 'work' }],
    [EXT]: { city: 'Zürich', office: 'Île' },
  });
  await user('strasse', { title: 'Straße', name: { familyName: 'Weiß' }, [EXT]: { city: 'STRASSBURG' } });
  await user('odysseus', { displayName: 'Οδυσσεύς', name: { familyName: 'ΣΙΣΥΦΟΣ' }, nickName: 'ὈΔΥΣΣΕΎΣ' });
  await user('ascii', { displayName: 'Emile', title: 'STRASSE', name: { familyName: 'Weiss' } });
});

const names = (matches: (r: JsonObject) => boolean, resources: JsonObject[]): Name[] =>
  resources
    .filter(matches)
    .map((r) => r.userName as Name)
    .sort();

/** The users the SQL compile returns, and the users the in-memory evaluation accepts. */
function both(filter: string): { sql: Name[]; memory: Name[] } {
  const list = (params: { filter?: string }) => (node.users.list({ ...params, count: 100 }, BASE).Resources ?? []) as JsonObject[];
  const rt = node.extensions.registry().user;
  const ast = parseFilter(filter);
  return { sql: names(() => true, list({ filter })), memory: names((r) => matchesFilter(ast, r, rt), list({})) };
}

describe('caseless filters beyond ASCII: SQL and in-memory agree (RFC 7643 §2.2)', () => {
  it.each<[string, Name[]]>([
    // É/é
    ['displayName eq "ÉMILE"', ['emile']],
    ['displayName eq "émile"', ['emile']],
    ['displayName ne "ÉMILE"', ['ascii', 'odysseus', 'strasse']],
    ['displayName sw "ÉM"', ['emile']],
    ['emails.value eq "émile@EXEMPLE.FR"', ['emile']],
    ['emails[type eq "WORK" and value sw "émile@"]', ['emile']],
    ['emails co "ÉMILE@"', ['emile']],
    [`${EXT}:city eq "ZÜRICH"`, ['emile']],
    [`${EXT}:office eq "îLE"`, ['emile']],
    // ß/SS
    ['title eq "STRASSE"', ['ascii', 'strasse']],
    ['title eq "straße"', ['ascii', 'strasse']],
    ['title co "ss"', ['ascii', 'strasse']],
    ['name.familyName eq "WEISS"', ['ascii', 'strasse']],
    ['name.familyName ew "ß"', ['ascii', 'strasse']],
    [`${EXT}:city sw "straß"`, ['strasse']],
    // Σ/σ/ς (final sigma)
    ['displayName eq "ΟΔΥΣΣΕΎΣ"', ['odysseus']],
    ['displayName ew "σεύσ"', ['odysseus']],
    ['name.familyName eq "σίσυφος"', []],
    ['name.familyName eq "σισυφος"', ['odysseus']],
    ['name.familyName sw "σισυ"', ['odysseus']],
    // A literal ending in σ folds to final ς (it ends a word), so as a prefix it misses: in both.
    ['name.familyName sw "ΣΙΣ"', []],
    ['nickName eq "ὀδυσσεύς"', ['odysseus']],
    // caseExact stays exact: userName keys, ids and externalId are not affected
    ['userName eq "EMILE"', ['emile']],
  ])('%s', (filter, expected) => {
    const { sql, memory } = both(filter);
    expect(sql).toEqual(expected);
    expect(memory).toEqual(expected);
  });
});
