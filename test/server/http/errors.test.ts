import { describe, expect, it } from 'vitest';
import { GROUP, PATCH_OP, testNode, USER } from '../../helpers/node.js';
import { createGroup, createUser, expectError, groupRow, q, SEARCH, userRow } from './http-helpers.js';

const ops = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });

describe('404', () => {
  it('unknown resources on every verb, and unknown paths', async () => {
    const t = await testNode();
    const id = '00000000-0000-4000-8000-000000000000';
    for (const type of ['Users', 'Groups']) {
      const schemas = [type === 'Users' ? USER : GROUP];
      const body = type === 'Users' ? { schemas, userName: 'x' } : { schemas, displayName: 'x' };
      const singular = type === 'Users' ? 'User' : 'Group';
      const nf = new RegExp(`${singular} "${id}" not found`);
      expectError(await t.scim('GET', `/${type}/${id}`), 404, undefined, nf);
      expectError(await t.scim('PUT', `/${type}/${id}`, body), 404, undefined, nf);
      expectError(await t.scim('PATCH', `/${type}/${id}`, ops({ op: 'replace', path: 'externalId', value: 'e' })), 404, undefined, nf);
      expectError(await t.scim('DELETE', `/${type}/${id}`), 404, undefined, nf);
    }
    expectError(await t.scim('GET', '/Nope'), 404, undefined, /no SCIM endpoint at GET \/api\/scim\/v2\/Nope$/);
    expectError(await t.scim('POST', '/Users/x/y', {}), 404, undefined, /no SCIM endpoint at POST/);
  });
});

describe('409 uniqueness', () => {
  it('userName is unique case-insensitively, on create, replace and patch', async () => {
    const t = await testNode();
    await createUser(t, 'Taken@Example.com');
    const other = await createUser(t, 'other');
    const before = userRow(t, other.id);
    const dup = await t.scim('POST', '/Users', { schemas: [USER], userName: 'taken@example.COM' });
    expectError(dup, 409, 'uniqueness', /userName "taken@example.COM" is already taken/);
    expectError(
      await t.scim('PUT', `/Users/${other.id}`, { schemas: [USER], userName: 'TAKEN@example.com' }),
      409,
      'uniqueness',
      /already taken/,
    );
    expectError(
      await t.scim('PATCH', `/Users/${other.id}`, ops({ op: 'replace', path: 'userName', value: 'taken@EXAMPLE.com' })),
      409,
      'uniqueness',
      /already taken/,
    );
    expect(userRow(t, other.id)).toEqual(before);
    expect(t.db.prepare('SELECT count(*) AS n FROM users').get()).toEqual({ n: 2 });
  });

  it('group displayName is unique, on create, replace and patch', async () => {
    const t = await testNode();
    await createGroup(t, 'Admins');
    const g = await createGroup(t, 'Users');
    expectError(
      await t.scim('POST', '/Groups', { schemas: [GROUP], displayName: 'admins' }),
      409,
      'uniqueness',
      /a group named "admins" already exists/,
    );
    expectError(await t.scim('PUT', `/Groups/${g.id}`, { schemas: [GROUP], displayName: 'ADMINS' }), 409, 'uniqueness', /already exists/);
    expectError(
      await t.scim('PATCH', `/Groups/${g.id}`, ops({ op: 'replace', path: 'displayName', value: 'Admins' })),
      409,
      'uniqueness',
      /already exists/,
    );
    expect(groupRow(t, g.id)).toMatchObject({ display_name: 'Users', version: 1 });
  });
});

describe('400', () => {
  it('invalidFilter: bad syntax and unknown attributes', async () => {
    const t = await testNode();
    expectError(await t.scim('GET', `/Users?filter=${q('userName eq')}`), 400, 'invalidFilter', /invalid filter at position 12/);
    expectError(await t.scim('GET', `/Users?filter=${q('userName xx "a"')}`), 400, 'invalidFilter', /comparison operator/);
    expectError(await t.scim('GET', `/Users?filter=${q('(userName eq "a"')}`), 400, 'invalidFilter', /"\)" to close/);
    expectError(await t.scim('GET', `/Users?filter=${q('shoeSize eq 42')}`), 400, 'invalidFilter', /unknown attribute "shoeSize"/);
    expectError(await t.scim('GET', `/Groups?filter=${q('userName eq "a"')}`), 400, 'invalidFilter', /unknown attribute "userName"/);
    expectError(
      await t.scim('POST', '/Users/.search', { schemas: [SEARCH], filter: 'emails[type eq "work"' }),
      400,
      'invalidFilter',
      /"\]"/,
    );
  });

  it('invalidSyntax: malformed JSON and missing or wrong schemas', async () => {
    const t = await testNode();
    expectError(await t.scim('POST', '/Users', '{"schemas": ["x"'), 400, 'invalidSyntax', /not valid JSON/);
    expectError(await t.scim('POST', '/Users', { userName: 'a' }), 400, 'invalidSyntax', /"schemas" must be an array that includes/);
    expectError(await t.scim('POST', '/Users', { schemas: [GROUP], userName: 'a' }), 400, 'invalidSyntax', /"schemas"/);
    expectError(await t.scim('POST', '/Groups', { displayName: 'g' }), 400, 'invalidSyntax', /"schemas"/);
    const u = await createUser(t, 'a');
    expectError(await t.scim('PATCH', `/Users/${u.id}`, { Operations: [] }), 400, 'invalidSyntax', /PatchOp/);
    expectError(
      await t.scim('PATCH', `/Users/${u.id}`, ops({ op: 'merge', path: 'title', value: 'x' })),
      400,
      'invalidSyntax',
      /operation 1: "op" must be/,
    );
  });

  it('invalidValue: wrong types and a missing userName', async () => {
    const t = await testNode();
    expectError(await t.scim('POST', '/Users', { schemas: [USER] }), 400, 'invalidValue', /attribute "userName" is required/);
    expectError(await t.scim('POST', '/Users', { schemas: [USER], userName: '' }), 400, 'invalidValue', /"userName" is required/);
    expectError(await t.scim('POST', '/Users', { schemas: [USER], userName: 42 }), 400, 'invalidValue', /"userName" must be a string/);
    expectError(
      await t.scim('POST', '/Users', { schemas: [USER], userName: 'a', active: 'yes' }),
      400,
      'invalidValue',
      /"active" must be a boolean/,
    );
    expectError(await t.scim('POST', '/Groups', { schemas: [GROUP] }), 400, 'invalidValue', /"displayName" is required/);
    const u = await createUser(t, 'a');
    expectError(
      await t.scim('PATCH', `/Users/${u.id}`, ops({ op: 'replace', path: 'active', value: 'no' })),
      400,
      'invalidValue',
      /operation 1: attribute "active" must be a boolean/,
    );
    expectError(await t.scim('PATCH', `/Users/${u.id}`, ops({ op: 'add', path: 'title' })), 400, 'invalidValue', /"value" is required/);
  });

  it('invalidPath, noTarget and mutability on PATCH', async () => {
    const t = await testNode();
    const u = await createUser(t, 'a', { emails: [{ value: 'a@x.org', type: 'home' }] });
    expectError(
      await t.scim('PATCH', `/Users/${u.id}`, ops({ op: 'replace', path: 'emails[type eq "work"', value: 'x' })),
      400,
      'invalidPath',
      /operation 1: invalid path/,
    );
    expectError(
      await t.scim('PATCH', `/Users/${u.id}`, ops({ op: 'replace', path: 'shoeSize', value: 'x' })),
      400,
      'invalidPath',
      /shoeSize/,
    );
    expectError(await t.scim('PATCH', `/Users/${u.id}`, ops({ op: 'remove' })), 400, 'noTarget', /operation 1: "remove" requires a "path"/);
    expectError(
      await t.scim('PATCH', `/Users/${u.id}`, ops({ op: 'remove', path: 'emails[type eq "work"]' })),
      400,
      'noTarget',
      /no value of "emails" matches/,
    );
    expectError(
      await t.scim('PATCH', `/Users/${u.id}`, ops({ op: 'replace', path: 'id', value: 'other' })),
      400,
      'mutability',
      /attribute "id" is readOnly/,
    );
    expectError(
      await t.scim('PATCH', `/Users/${u.id}`, ops({ op: 'replace', value: { id: 'other' } })),
      400,
      'mutability',
      /"id" is readOnly/,
    );
    expect(userRow(t, u.id)).toMatchObject({ id: u.id, version: 1 });
  });

  it('a failing PATCH changes nothing: operation 2 of 2 invalid', async () => {
    const t = await testNode();
    const u = await createUser(t, 'atomic', { title: 'Before', emails: [{ value: 'a@x.org', type: 'work' }] });
    const before = userRow(t, u.id);
    const res = await t.scim(
      'PATCH',
      `/Users/${u.id}`,
      ops({ op: 'replace', path: 'title', value: 'After' }, { op: 'replace', path: 'id', value: 'x' }),
    );
    expectError(res, 400, 'mutability', /operation 2/);
    const res2 = await t.scim(
      'PATCH',
      `/Users/${u.id}`,
      ops({ op: 'add', path: 'nickName', value: 'N' }, { op: 'remove', path: 'userName' }),
    );
    expectError(res2, 400, 'mutability', /operation 2: attribute "userName" is required/);
    expect(userRow(t, u.id)).toEqual(before);
    // Groups: operation 1 runs as SQL (a member add) before operation 2 fails; the transaction undoes it.
    const g = await createGroup(t, 'G');
    const gBefore = groupRow(t, g.id);
    const gres = await t.scim(
      'PATCH',
      `/Groups/${g.id}`,
      ops({ op: 'add', path: 'members', value: [{ value: u.id }] }, { op: 'add', path: 'members', value: [{ value: 'ghost' }] }),
    );
    expectError(gres, 400, 'invalidValue', /member "ghost" does not exist/);
    const gres2 = await t.scim(
      'PATCH',
      `/Groups/${g.id}`,
      ops({ op: 'add', path: 'members', value: [{ value: u.id }] }, { op: 'replace', path: 'displayName', value: 7 }),
    );
    expectError(gres2, 400, 'invalidValue', /operation 2/);
    expect(groupRow(t, g.id)).toEqual(gBefore);
    expect(t.db.prepare('SELECT count(*) AS n FROM group_users').get()).toEqual({ n: 0 });
  });
});

describe('transport errors', () => {
  it('413 above the configured body limit, and the request is not applied', async () => {
    const t = await testNode({ bodyLimitBytes: 1000 });
    const res = await t.scim('POST', '/Users', { schemas: [USER], userName: 'big', title: 'x'.repeat(1200) });
    expectError(res, 413, undefined, /exceeds the size limit/);
    expect(t.db.prepare('SELECT count(*) AS n FROM users').get()).toEqual({ n: 0 });
    expect((await t.scim('POST', '/Users', { schemas: [USER], userName: 'small' })).status).toBe(201);
  });

  it('415 for non-JSON content types', async () => {
    const t = await testNode();
    expectError(
      await t.scim('POST', '/Users', 'userName=a', { 'content-type': 'text/plain' }),
      415,
      undefined,
      /unsupported Content-Type "text\/plain"/,
    );
    expectError(await t.scim('POST', '/Users', '<x/>', { 'content-type': 'application/xml' }), 415, undefined, /application\/xml/);
    expectError(await t.scim('POST', '/Users', '{}', { 'content-type': 'application/scim+json; charset=latin1' }), 415, undefined, /UTF-8/);
  });

  it('401 with WWW-Authenticate: Bearer for a missing or invalid token', async () => {
    const t = await testNode();
    const check = async (headers: Record<string, string>, detail: RegExp) => {
      const res = await fetch(`${t.base}/Users`, { headers });
      const body = (await res.json()) as unknown;
      expect([res.status, res.headers.get('www-authenticate'), res.headers.get('content-type')]).toEqual([
        401,
        'Bearer realm="SCIM Desk"',
        'application/scim+json; charset=utf-8',
      ]);
      expect(body).toStrictEqual({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
        status: '401',
        detail: expect.stringMatching(detail),
      });
    };
    await check({}, /authentication required/);
    await check({ authorization: 'Bearer nope' }, /not valid/);
    await check({ authorization: `Bearer ${t.token}x` }, /not valid/);
    await check({ authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }, /not valid/);
    await check({ authorization: `Bearer ${'a'.repeat(5000)}` }, /not valid/);
    const revoked = t.node.tokens.create({ label: 'r' });
    t.node.tokens.revoke(revoked.id);
    await check({ authorization: `Bearer ${revoked.token}` }, /not valid/);
  });

  it('501 for /Bulk', async () => {
    const t = await testNode();
    expectError(
      await t.scim('POST', '/Bulk', { schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'], Operations: [] }),
      501,
      undefined,
      /not supported/,
    );
  });
});
