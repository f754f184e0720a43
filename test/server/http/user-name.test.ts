import { describe, expect, it } from 'vitest';
import { GROUP, PATCH_OP, testNode, USER } from '../../helpers/node.js';
import { createGroup, createUser, expectError, list, q, userRow } from './http-helpers.js';

/** Issue #15 item 8: userName is unique and looked up under NFC + Unicode case folding (RFC 7643 §4.1.1). */
describe('userName uniqueness beyond ASCII', () => {
  it.each(['ÉMILE@x', 'e\u0301mile@x', 'E\u0301MILE@X', 'émile@X'])('%j collides with "émile@x": 409 uniqueness', async (other) => {
    const t = await testNode();
    const first = await createUser(t, 'émile@x');
    const res = await t.scim('POST', '/Users', { schemas: [USER], userName: other });
    expectError(res, 409, 'uniqueness', /already taken/);
    expect(t.db.prepare('SELECT count(*) AS n FROM users').get()).toEqual({ n: 1 });
    expect(userRow(t, first.id)?.user_name_key).toBe('émile@x');
  });

  it('a rename onto a caseless duplicate is a 409 too (PUT and PATCH)', async () => {
    const t = await testNode();
    await createUser(t, 'straße');
    const b = await createUser(t, 'bob');
    expectError(await t.scim('PUT', `/Users/${b.id}`, { schemas: [USER], userName: 'STRASSE' }), 409, 'uniqueness');
    const patch = { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'userName', value: 'STRAẞE' }] };
    expectError(await t.scim('PATCH', `/Users/${b.id}`, patch), 409, 'uniqueness');
    expect(userRow(t, b.id)?.user_name).toBe('bob');
  });

  it.each([
    ['eq', 'ÉMILE@X', 1],
    ['eq', 'e\u0301mile@x', 1],
    ['eq', 'emile@x', 0],
    ['ne', 'ÉMILE@X', 1],
    ['co', 'MIL', 2],
    ['sw', 'É', 1],
    ['sw', 'e\u0301', 1],
    ['ew', 'E@X', 1],
    ['gt', 'ZEMIL', 1],
  ])('userName %s %j uses the same key (%i found)', async (op, value, found) => {
    const t = await testNode();
    await createUser(t, 'émile@x');
    await createUser(t, 'Zemil');
    const res = await t.scim('GET', `/Users?filter=${q(`userName ${op} ${JSON.stringify(value)}`)}`);
    expect(res.status, res.text).toBe(200);
    expect(list(res).totalResults).toBe(found);
  });

  it.each([
    ['NUL', 'ann\u0000', /^userName must not contain control characters$/],
    ['a control character', 'ann\u001b[31m', /^userName must not contain control characters$/],
    ['whitespace only', ' \t ', /^userName must not contain control characters$/],
    ['spaces only', '    ', /^userName must not be empty or only whitespace$/],
    ['100k characters', 'a'.repeat(100_000), /^userName has 100000 characters; at most 256 are allowed$/],
  ])('POST, PUT and PATCH reject a userName with %s: 400 invalidValue', async (_name, userName, detail) => {
    const t = await testNode();
    expectError(await t.scim('POST', '/Users', { schemas: [USER], userName }), 400, 'invalidValue', detail);
    const u = await createUser(t, 'ok');
    expectError(await t.scim('PUT', `/Users/${u.id}`, { schemas: [USER], userName }), 400, 'invalidValue', detail);
    const patch = { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { userName } }] };
    expectError(await t.scim('PATCH', `/Users/${u.id}`, patch), 400, 'invalidValue', detail);
    expect(userRow(t, u.id)?.version).toBe(1);
  });

  it('Group displayName follows the same rule (caseExact false, uniqueness server)', async () => {
    const t = await testNode();
    const g = await createGroup(t, 'Équipe');
    expectError(await t.scim('POST', '/Groups', { schemas: [GROUP], displayName: 'E\u0301QUIPE' }), 409, 'uniqueness');
    const found = await t.scim('GET', `/Groups?filter=${q('displayName eq "ÉQUIPE"')}`);
    expect(list(found).Resources.map((r) => r.id)).toEqual([g.id]);
  });
});
