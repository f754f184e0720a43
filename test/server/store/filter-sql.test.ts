import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { newContext } from '../../../server/events/request-context.js';
import { type ScimNode, startNode, startNodeWithStore } from '../../../server/node.js';
import { ScimError } from '../../../server/scim/errors.js';
import { parseFilter } from '../../../server/scim/filter.js';
import { GROUP_RESOURCE, USER_RESOURCE } from '../../../server/scim/schemas.js';
import type { Db } from '../../../server/store/db.js';
import { compileFilter } from '../../../server/store/filter-sql.js';
import { GROUP_TABLE } from '../../../server/store/groups-repo.js';
import { USER_TABLE } from '../../../server/store/users-repo.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const EXT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const BASE = 'http://scim.test/api/scim/v2';

/**
 * A small directory with controlled timestamps:
 *   alice  2024-01-01  active   EXT-A  work+home emails, employeeNumber 1001, Engineer (modified 2024-06-01)
 *   bob    2024-02-01  inactive ext-b  work email without "@", home email with one, employeeNumber 1002
 *   carol  2024-03-01  active   —      home + other emails, no name
 *   dave   2024-04-01  active   EXT-D  no emails, manager = alice
 * Groups: Engineering {alice, bob}, Sales {carol, Engineering}, Empty {}.
 */
interface Fixture {
  node: ScimNode;
  u: Record<'alice' | 'bob' | 'carol' | 'dave', string>;
  g: Record<'eng' | 'sales' | 'empty', string>;
}

let fx: Fixture;
let clock = new Date('2024-01-01T00:00:00.000Z');
const ctx = () => newContext('test');

async function build(): Promise<Fixture> {
  const node = startNode({ dbFile: ':memory:', log: () => {}, now: () => clock, eventLog: false });
  const user = async (at: string, body: Record<string, unknown>): Promise<string> => {
    clock = new Date(at);
    return String((await node.users.create({ schemas: [USER, EXT], ...body }, BASE, ctx())).id);
  };
  const alice = await user('2024-01-01T00:00:00Z', {
    userName: 'alice@example.com',
    externalId: 'EXT-A',
    title: 'Engineer',
    name: { givenName: 'Alice', familyName: 'Archer' },
    emails: [
      { value: 'alice@example.com', type: 'work', primary: true },
      { value: 'alice@home.org', type: 'home' },
    ],
    [EXT]: { employeeNumber: '1001' },
  });
  const bob = await user('2024-02-01T00:00:00Z', {
    userName: 'bob@example.com',
    externalId: 'ext-b',
    active: false,
    name: { givenName: 'Bob' },
    emails: [
      { value: 'bob-at-work', type: 'work' },
      { value: 'bob@home.org', type: 'home' },
    ],
    [EXT]: { employeeNumber: '1002' },
  });
  const carol = await user('2024-03-01T00:00:00Z', {
    userName: 'carol@other.net',
    emails: [
      { value: 'carol@other.net', type: 'home' },
      { value: 'carol@example.com', type: 'other' },
    ],
  });
  const dave = await user('2024-04-01T00:00:00Z', {
    userName: 'dave',
    externalId: 'EXT-D',
    name: { givenName: 'dave' },
    [EXT]: { manager: { value: alice } },
  });
  clock = new Date('2024-06-01T00:00:00Z');
  await node.users.patch(alice, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'nickName', value: 'Al' }] }, BASE, ctx());
  const group = (displayName: string, members: string[]): string =>
    String(node.groups.create({ schemas: [GROUP], displayName, members: members.map((value) => ({ value })) }, BASE, ctx()).id);
  const eng = group('Engineering', [alice, bob]);
  const sales = group('Sales', [carol, eng]);
  const empty = group('Empty', []);
  return { node, u: { alice, bob, carol, dave }, g: { eng, sales, empty } };
}

beforeAll(async () => {
  fx = await build();
  return () => fx.node.close();
});

type UserName = keyof Fixture['u'];
type GroupName = keyof Fixture['g'];

function userIds(filter: string): UserName[] {
  const list = fx.node.users.list({ filter, count: 1000 }, BASE);
  const byId = Object.fromEntries(Object.entries(fx.u).map(([k, v]) => [v, k as UserName]));
  return (list.Resources as { id: string }[]).map((r) => byId[r.id] as UserName).sort();
}

function groupIds(filter: string): GroupName[] {
  const list = fx.node.groups.list({ filter, count: 1000 }, BASE);
  const byId = Object.fromEntries(Object.entries(fx.g).map(([k, v]) => [v, k as GroupName]));
  return (list.Resources as { id: string }[]).map((r) => byId[r.id] as GroupName).sort();
}

/** Filters may reference fixture ids as {alice}, {eng} …, filled in once the fixture exists. */
const fill = (f: string): string =>
  f.replace(/\{(\w+)\}/g, (_, k: string) => (fx.u as Record<string, string>)[k] ?? (fx.g as Record<string, string>)[k] ?? k);

const userCases: [filter: string, expected: UserName[]][] = [
  // userName: caseExact false, NOCASE column.
  ['userName eq "ALICE@Example.com"', ['alice']],
  ['userName ne "ALICE@EXAMPLE.COM"', ['bob', 'carol', 'dave']],
  ['userName co "OTHER"', ['carol']],
  ['userName sw "BOB"', ['bob']],
  ['userName ew "EXAMPLE.COM"', ['alice', 'bob']],
  ['userName gt "BOB@EXAMPLE.COM"', ['carol', 'dave']],
  ['userName ge "BOB@EXAMPLE.COM"', ['bob', 'carol', 'dave']],
  ['userName lt "BOB@EXAMPLE.COM"', ['alice']],
  ['userName le "BOB@EXAMPLE.COM"', ['alice', 'bob']],
  ['userName pr', ['alice', 'bob', 'carol', 'dave']],
  // externalId: caseExact true.
  ['externalId eq "EXT-A"', ['alice']],
  ['externalId eq "ext-a"', []],
  ['externalId ne "EXT-A"', ['bob', 'carol', 'dave']],
  ['externalId co "x"', ['bob']],
  ['externalId sw "EXT"', ['alice', 'dave']],
  ['externalId ew "-B"', []],
  ['externalId gt "EXT-B"', ['bob', 'dave']],
  ['externalId pr', ['alice', 'bob', 'dave']],
  ['not (externalId pr)', ['carol']],
  // id: caseExact true.
  ['id eq "{alice}"', ['alice']],
  ['id ne "{alice}"', ['bob', 'carol', 'dave']],
  ['id pr', ['alice', 'bob', 'carol', 'dave']],
  // Sub-attribute of a single complex attribute, caseExact false.
  ['name.givenName eq "ALICE"', ['alice']],
  ['name.givenName sw "b"', ['bob']],
  ['name.givenName ew "E"', ['alice', 'dave']],
  ['name.givenName pr', ['alice', 'bob', 'dave']],
  ['name.givenName ne "alice"', ['bob', 'carol', 'dave']],
  ['name pr', ['alice', 'bob', 'dave']],
  ['name[givenName eq "bob"]', ['bob']],
  // Multi-valued: any element matches.
  ['emails.value eq "ALICE@HOME.ORG"', ['alice']],
  ['emails.value co "@home.org"', ['alice', 'bob']],
  ['emails.type eq "work"', ['alice', 'bob']],
  ['emails co "example.com"', ['alice', 'carol']],
  ['emails pr', ['alice', 'bob', 'carol']],
  ['emails.value pr', ['alice', 'bob', 'carol']],
  // One element must satisfy the whole value filter; the flat form may match across elements.
  ['emails[type eq "work" and value co "@"]', ['alice']],
  ['emails.type eq "work" and emails.value co "@"', ['alice', 'bob']],
  ['emails[type eq "home" or type eq "other"]', ['alice', 'bob', 'carol']],
  ['emails[not (type eq "work")]', ['alice', 'bob', 'carol']],
  // ne on multi-valued: no element equals (users without emails included).
  ['emails.value ne "alice@example.com"', ['bob', 'carol', 'dave']],
  ['emails.type ne "home"', ['dave']],
  // ne and not on a missing attribute.
  ['title ne "Engineer"', ['bob', 'carol', 'dave']],
  ['not (title eq "engineer")', ['bob', 'carol', 'dave']],
  ['not (title co "x")', ['alice', 'bob', 'carol', 'dave']],
  ['not (userName eq "alice@example.com")', ['bob', 'carol', 'dave']],
  ['not (emails.value co "example.com")', ['bob', 'dave']],
  // Enterprise extension attributes by URN.
  [`${EXT}:employeeNumber eq "1001"`, ['alice']],
  [`${EXT}:employeeNumber pr`, ['alice', 'bob']],
  [`${EXT}:employeeNumber gt "1001"`, ['bob']],
  [`${EXT}:employeeNumber ne "1001"`, ['bob', 'carol', 'dave']],
  [`${EXT}:manager.value eq "{alice}"`, ['dave']],
  [`${EXT}:manager pr`, ['dave']],
  [`${EXT.toLowerCase()}:EMPLOYEENUMBER eq "1002"`, ['bob']],
  // Dates compare as instants, whatever offset the client writes.
  ['meta.created gt "2024-02-15T00:00:00Z"', ['carol', 'dave']],
  ['meta.created ge "2024-02-01T00:00:00Z"', ['bob', 'carol', 'dave']],
  ['meta.created lt "2024-02-01T00:00:00Z"', ['alice']],
  ['meta.created le "2024-02-01T00:00:00.000Z"', ['alice', 'bob']],
  ['meta.created lt "2024-02-01T01:00:00+02:00"', ['alice']],
  ['meta.lastModified gt "2024-05-01T00:00:00Z"', ['alice']],
  ['meta.lastModified lt "2024-05-01T00:00:00Z"', ['bob', 'carol', 'dave']],
  ['meta.resourceType eq "User"', ['alice', 'bob', 'carol', 'dave']],
  // Booleans.
  ['active eq true', ['alice', 'carol', 'dave']],
  ['active eq false', ['bob']],
  ['active ne true', ['bob']],
  // Precedence: and binds tighter than or; parentheses override.
  ['userName eq "carol@other.net" or userName eq "alice@example.com" and active eq false', ['carol']],
  ['(userName eq "carol@other.net" or userName eq "alice@example.com") and active eq false', []],
  ['active eq false and userName eq "bob@example.com" or userName eq "dave"', ['bob', 'dave']],
  ['active eq false and (userName eq "carol@other.net" or userName eq "dave")', []],
  ['not (active eq true) or externalId eq "EXT-D"', ['bob', 'dave']],
  ['USERNAME EQ "dave" AND NOT (ACTIVE EQ FALSE)', ['dave']],
  // Group membership, direct and through a nested group (the same set User.groups reports).
  ['groups.value eq "{eng}"', ['alice', 'bob']],
  ['groups[value eq "{sales}"]', ['alice', 'bob', 'carol']],
  ['groups pr', ['alice', 'bob', 'carol']],
  ['not (groups pr)', ['dave']],
];

describe('filter → SQL on Users', () => {
  it.each(userCases)('%s', (filter, expected) => {
    expect(userIds(fill(filter))).toEqual(expected);
  });

  it('matches the groups attribute of the rendered users', () => {
    for (const [name, id] of Object.entries(fx.u)) {
      const groups = (fx.node.users.get(id, BASE).resource.groups ?? []) as { value: string }[];
      for (const g of Object.values(fx.g)) {
        const filtered = userIds(`groups.value eq "${g}"`).includes(name as UserName);
        expect(filtered, `${name} in ${g}`).toBe(groups.some((x) => x.value === g));
      }
    }
  });
});

const groupCases: [filter: string, expected: GroupName[]][] = [
  ['displayName eq "ENGINEERING"', ['eng']],
  ['displayName ne "sales"', ['empty', 'eng']],
  ['displayName sw "s"', ['sales']],
  ['displayName co "PT"', ['empty']],
  ['members[value eq "{alice}"]', ['eng']],
  ['members.value eq "{carol}"', ['sales']],
  ['members.value eq "{eng}"', ['sales']],
  ['members[value eq "{dave}"]', []],
  ['members pr', ['eng', 'sales']],
  ['not (members pr)', ['empty']],
  ['id eq "{sales}"', ['sales']],
  ['meta.resourceType eq "Group"', ['empty', 'eng', 'sales']],
  ['displayName eq "Sales" or members.value eq "{bob}"', ['eng', 'sales']],
];

describe('filter → SQL on Groups', () => {
  it.each(groupCases)('%s', (filter, expected) => {
    expect(groupIds(fill(filter))).toEqual(expected);
  });
});

const invalid: [filter: string, detail: RegExp][] = [
  ['nope eq "x"', /unknown attribute "nope"/],
  ['active eq "true"', /boolean/],
  ['active gt true', /operator "gt" does not apply to boolean/],
  ['meta.created gt "yesterday"', /dateTime/],
  ['userName eq 5', /string/],
  ['name eq "x"', /complex/],
  ['emails[value eq "x"].value eq "y"', /invalid filter/],
  ['userName gt null', /null/],
  ['groups.display eq "x"', /only "eq"/],
];

describe('filter → SQL rejects what it cannot compile', () => {
  it.each(invalid)('%s', (filter, detail) => {
    let caught: unknown;
    try {
      fx.node.users.list({ filter }, BASE);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ScimError);
    const e = caught as ScimError;
    expect([e.status, e.scimType]).toEqual([400, 'invalidFilter']);
    expect(e.detail).toMatch(detail);
  });
});

describe('indexed lookups', () => {
  let node: ScimNode;
  let db: Db;
  afterEach(() => node.close());

  const plan = (table: 'users' | 'groups', filter: string): string => {
    const [spec, rt] = table === 'users' ? [USER_TABLE, USER_RESOURCE] : [GROUP_TABLE, GROUP_RESOURCE];
    const where = compileFilter(parseFilter(filter), rt, spec);
    // The same statement shape the repositories run for a list page, plus the count.
    const stmts = [
      `SELECT * FROM ${table} ${spec.alias} WHERE ${where.sql} ORDER BY ${spec.alias}.rowid LIMIT 100 OFFSET 0`,
      `SELECT count(*) FROM ${table} ${spec.alias} WHERE ${where.sql}`,
    ];
    return stmts
      .map((s) => (db.prepare(`EXPLAIN QUERY PLAN ${s}`).all(...where.params) as { detail: string }[]).map((r) => r.detail).join('\n'))
      .join('\n');
  };

  it.each([
    ['users', 'userName eq "Alice@Example.com"'],
    ['users', 'externalId eq "EXT-A"'],
    ['users', 'id eq "0b8f1f7e-8b4a-4c59-9a8e-5a3c1f1d2e10"'],
    ['groups', 'displayName eq "engineering"'],
    ['groups', 'externalId eq "g-1"'],
    ['groups', 'id eq "0b8f1f7e-8b4a-4c59-9a8e-5a3c1f1d2e10"'],
  ] as const)('%s: %s uses an index', (table, filter) => {
    ({ node, db } = startNodeWithStore({ dbFile: ':memory:', log: () => {} }));
    // Enough rows that a full scan would be the expensive choice.
    const insert = db.prepare(
      `INSERT INTO users (id, user_name, external_id, data, created, last_modified) VALUES (?, ?, ?, '{}', '2024', '2024')`,
    );
    const insertGroup = db.prepare(
      `INSERT INTO groups (id, display_name, external_id, data, created, last_modified) VALUES (?, ?, ?, '{}', '2024', '2024')`,
    );
    for (let i = 0; i < 500; i++) {
      insert.run(`id-${i}`, `user${i}@example.com`, `ext-${i}`);
      insertGroup.run(`gid-${i}`, `group ${i}`, `g-${i}`);
    }
    db.exec('ANALYZE');
    const detail = plan(table, filter);
    expect(detail).toMatch(/USING (COVERING )?INDEX|USING PRIMARY KEY|USING INTEGER PRIMARY KEY/);
    expect(detail).not.toMatch(/\bSCAN [ug]\b/);
  });

  it('detects a full scan (the plan check can fail)', () => {
    ({ node, db } = startNodeWithStore({ dbFile: ':memory:', log: () => {} }));
    expect(plan('users', 'title eq "x"')).toMatch(/\bSCAN u\b/);
  });
});
