import { deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../../server/ids.js';
import { PATCH_OP, type TestNode, testNode, USER } from '../../helpers/node.js';
import { createUser, expectError, SEARCH, userRow } from './http-helpers.js';

/**
 * Issue #15 item 7 and 9: the hostile requests of the report, each rejected with its exact 4xx before
 * the server does the work that used to block the event loop. No timing here: the bench measures.
 */
const ops = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });

/** 1,000 operations × 40 emails each: the 990 KB PATCH of the report. */
const thousandTimesForty = () =>
  ops(
    ...Array.from({ length: 1000 }, (_, i) => ({
      op: 'add',
      path: 'emails',
      value: Array.from({ length: 40 }, (_, j) => ({ value: `${i}.${j}@x` })),
    })),
  );

/** Stores a user the way an older build could have: 45,000 emails, straight into the table. */
function seedUserWithEmails(t: TestNode, n: number): string {
  const id = uuidv7();
  const now = new Date().toISOString();
  const emails = Array.from({ length: n }, (_, i) => ({ value: `e${i}@example.com` }));
  t.repos.users.insert(
    {
      id,
      userName: 'many',
      externalId: null,
      active: true,
      data: { userName: 'many', emails },
      created: now,
      lastModified: now,
      version: 1,
    },
    null,
    'scim',
  );
  return id;
}

/** The report's 10 KB filter: 450 value filters, written tightly enough to fit the 10,000-character limit. */
const emailsFilter = Array.from({ length: 450 }, () => 'emails[value co"z"]').join('or ');

describe('CPU limits (issue #15 item 7)', () => {
  it('rejects a PATCH whose adds grow a multi-valued attribute past its limit, and writes nothing', async () => {
    const t = await testNode();
    const u = await createUser(t, 'grow');
    const body = JSON.stringify(thousandTimesForty());
    expect(body.length).toBeLessThan(1024 * 1024);
    const res = await t.scim('PATCH', `/Users/${u.id}`, body);
    expectError(res, 400, 'invalidValue', /^operation 3: attribute "emails" would have 120 values; at most 100 are allowed$/);
    expect(userRow(t, u.id)?.version).toBe(1);
  });

  it('rejects a POST with 45,000 emails', async () => {
    const t = await testNode();
    const emails = Array.from({ length: 45_000 }, (_, i) => ({ value: `e${i}@x` }));
    const res = await t.scim('POST', '/Users', { schemas: [USER], userName: 'many', emails });
    expectError(res, 400, 'invalidValue', /^attribute "emails" has 45000 values; at most 100 are allowed$/);
  });

  it('rejects 1,000 value-filter operations on a stored user with 45,000 emails before scanning them', async () => {
    const t = await testNode();
    const id = seedUserWithEmails(t, 45_000);
    const body = ops(...Array.from({ length: 1000 }, () => ({ op: 'replace', path: 'emails[value co "e"].display', value: 'd' })));
    const res = await t.scim('PATCH', `/Users/${id}`, body);
    expectError(
      res,
      400,
      'invalidValue',
      /^operation 1: attribute "emails" holds 45000 values, more than the 100 allowed; replace or remove it as a whole$/,
    );
    // The way out still works: replacing the attribute as a whole.
    const fixed = await t.scim('PATCH', `/Users/${id}`, ops({ op: 'replace', path: 'emails', value: [{ value: 'one@x' }] }));
    expect(fixed.status, fixed.text).toBe(200);
  });

  it.each([
    ['POST /Users/.search', (t: TestNode) => t.scim('POST', '/Users/.search', { schemas: [SEARCH], filter: emailsFilter })],
    ['GET /Users?filter=', (t: TestNode) => t.scim('GET', `/Users?filter=${encodeURIComponent(emailsFilter)}`)],
    ['POST /.search', (t: TestNode) => t.scim('POST', '/.search', { schemas: [SEARCH], filter: emailsFilter })],
  ])('%s rejects a filter of 450 value filters', async (_name, send) => {
    const t = await testNode();
    expect(emailsFilter.length).toBeLessThan(10_000);
    expectError(await send(t), 400, 'invalidFilter', /^invalid filter: 450 value filters; at most 10 are allowed$/);
  });

  it('rejects a filter with more than 100 comparisons', async () => {
    const t = await testNode();
    const filter = Array.from({ length: 101 }, (_, i) => `userName eq "u${i}"`).join(' or ');
    expectError(
      await t.scim('POST', '/Users/.search', { schemas: [SEARCH], filter }),
      400,
      'invalidFilter',
      /^invalid filter: 101 comparisons; at most 100 are allowed$/,
    );
  });

  it('advertises every limit in /ServiceProviderConfig', async () => {
    const t = await testNode();
    const res = await t.scim('GET', '/ServiceProviderConfig');
    expect(res.body?.['urn:scimdesk:params:limits']).toEqual({
      maxPatchOperations: 1000,
      maxMultiValuedElements: 100,
      maxFilterLength: 10_000,
      maxFilterComparisons: 100,
      maxFilterValuePaths: 10,
      maxFilterDepth: 50,
      maxUserNameLength: 256,
      maxPayloadSize: 1024 * 1024,
    });
    expect(res.body?.bulk).toEqual({ supported: false, maxOperations: 0, maxPayloadSize: 0 });
  });
});

const corrupt = Buffer.from('this is not compressed at all');

describe('compressed bodies and paging numbers (issue #15 item 9)', () => {
  it.each(['gzip', 'deflate', 'br'])('a corrupt %s SCIM body is a 400 invalidSyntax', async (encoding) => {
    const t = await testNode();
    const res = await fetch(`${t.base}/Users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.token}`, 'content-type': 'application/scim+json', 'content-encoding': encoding },
      body: corrupt,
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '400',
      scimType: 'invalidSyntax',
      detail: `request body could not be decoded as Content-Encoding "${encoding}"`,
    });
  });

  it.each([
    ['gzip', gzipSync],
    ['deflate', deflateSync],
  ])('a valid %s SCIM body still works', async (encoding, compress) => {
    const t = await testNode();
    const res = await fetch(`${t.base}/Users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.token}`, 'content-type': 'application/scim+json', 'content-encoding': encoding },
      body: compress(JSON.stringify({ schemas: [USER], userName: `z-${encoding}` })),
    });
    expect(res.status).toBe(201);
  });

  it.each(['gzip', 'deflate', 'br'])('a corrupt %s body on the OAuth token endpoint is a §5.2 invalid_request', async (encoding) => {
    const t = await testNode();
    const res = await fetch(`${new URL(t.base).origin}/api/scim/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-encoding': encoding },
      body: corrupt,
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'invalid_request', error_description: 'the request body could not be read' });
  });

  it.each([
    ['startIndex', '0x10'],
    ['startIndex', '1e1'],
    ['startIndex', ' 5'],
    ['startIndex', '+5'],
    ['startIndex', '0b1'],
    ['startIndex', 'Infinity'],
    ['count', '0x10'],
    ['count', '1e1'],
    ['count', '5.0'],
  ])('%s=%s is not a decimal integer: 400 invalidValue, like any other junk', async (name, value) => {
    const t = await testNode();
    const get = await t.scim('GET', `/Users?${name}=${encodeURIComponent(value)}`);
    expectError(get, 400, 'invalidValue', new RegExp(`^${name} must be a decimal integer, got "`));
    const search = await t.scim('POST', '/Users/.search', { schemas: [SEARCH], [name]: value });
    expectError(search, 400, 'invalidValue', new RegExp(`^${name} must be a decimal integer, got "`));
  });

  it.each([
    ['startIndex=0', 1, 1],
    ['startIndex=-4', 1, 1],
    ['count=-1', 1, 0],
    ['startIndex=007&count=2', 7, 0],
  ])('%s keeps RFC 7644 §3.4.2.4 clamping', async (qs, startIndex, itemsPerPage) => {
    const t = await testNode();
    await createUser(t, 'p1');
    const res = await t.scim('GET', `/Users?${qs}`);
    expect(res.status, res.text).toBe(200);
    expect([res.body?.startIndex, res.body?.itemsPerPage]).toEqual([startIndex, itemsPerPage]);
  });
});

describe('root search skips a resource type by error class (issue #15 item 19)', () => {
  it.each([
    ['emails[type eq "work"]', 1],
    ['emails co "@x"', 1],
    ['members[value eq "nobody"]', 0],
  ])('%j names an attribute only one type has: 200 with %i result(s)', async (filter, found) => {
    const t = await testNode();
    await createUser(t, 'ann', { emails: [{ value: 'ann@x', type: 'work' }] });
    const res = await t.scim('POST', '/.search', { schemas: [SEARCH], filter });
    expect(res.status, res.text).toBe(200);
    expect(res.body?.totalResults).toBe(found);
  });
});
