import { describe, expect, it } from 'vitest';
import { SettingsError } from '../../../server/settings/settings.js';
import { type TestNode, testNode } from '../../helpers/node.js';
import { type TokenCall, tokenRequest } from './helpers.js';

const CHALLENGE = 'Basic realm="SCIM Desk", charset="UTF-8"';
const GRANT = { grant_type: 'client_credentials' };

interface Ctx {
  id: string;
  secret: string;
}

interface Case {
  name: string;
  call: (c: Ctx) => TokenCall;
  status: number;
  /** Exact body for errors; for successes the shape is checked separately. */
  body?: Record<string, unknown>;
  challenge?: boolean;
  before?: (t: TestNode, c: Ctx) => void;
}

const err = (error: string, error_description: string) => ({ error, error_description });
const AUTH_FAILED = err('invalid_client', 'client authentication failed');

// RFC 6749 §4.4.2 (request), §2.3.1 (client authentication), §3.2 (endpoint rules), §5.2 (errors).
const CASES: Case[] = [
  { name: 'form credentials', call: (c) => ({ form: { ...GRANT, client_id: c.id, client_secret: c.secret } }), status: 200 },
  { name: 'HTTP Basic credentials', call: (c) => ({ form: GRANT, basic: [c.id, c.secret] }), status: 200 },
  {
    name: 'Basic with the same client_id in the body',
    call: (c) => ({ form: { ...GRANT, client_id: c.id }, basic: [c.id, c.secret] }),
    status: 200,
  },
  { name: 'scope "scim"', call: (c) => ({ form: { ...GRANT, scope: 'scim' }, basic: [c.id, c.secret] }), status: 200 },
  {
    name: 'an empty scope is treated as omitted (§3.2)',
    call: (c) => ({ form: { ...GRANT, scope: '' }, basic: [c.id, c.secret] }),
    status: 200,
  },
  {
    name: 'Basic and form secret at once (§2.3.1)',
    call: (c) => ({ form: { ...GRANT, client_id: c.id, client_secret: c.secret }, basic: [c.id, c.secret] }),
    status: 400,
    body: err('invalid_request', 'authenticate the client with HTTP Basic or with form parameters, not both (RFC 6749 §2.3.1)'),
  },
  {
    name: 'Basic and a different client_id in the body',
    call: (c) => ({ form: { ...GRANT, client_id: 'someone-else' }, basic: [c.id, c.secret] }),
    status: 400,
    body: err('invalid_request', 'client_id in the body does not match the HTTP Basic credentials'),
  },
  {
    name: 'missing grant_type',
    call: (c) => ({ form: { client_id: c.id, client_secret: c.secret } }),
    status: 400,
    body: err('invalid_request', 'missing parameter "grant_type"'),
  },
  {
    name: 'grant_type without a value counts as missing (§3.2)',
    call: (c) => ({ form: { grant_type: '', client_id: c.id, client_secret: c.secret } }),
    status: 400,
    body: err('invalid_request', 'missing parameter "grant_type"'),
  },
  {
    name: 'a repeated parameter (§3.2)',
    call: (c) => ({ form: { grant_type: ['client_credentials', 'client_credentials'], client_id: c.id, client_secret: c.secret } }),
    status: 400,
    body: err('invalid_request', 'parameter "grant_type" is repeated (RFC 6749 §3.2)'),
  },
  {
    name: 'a JSON body',
    call: (c) => ({ form: JSON.stringify({ ...GRANT, client_id: c.id, client_secret: c.secret }), contentType: 'application/json' }),
    status: 400,
    body: err('invalid_request', 'the body must be application/x-www-form-urlencoded (RFC 6749 §4.4.2)'),
  },
  {
    name: 'no body',
    call: () => ({}),
    status: 400,
    body: err('invalid_request', 'the body must be application/x-www-form-urlencoded (RFC 6749 §4.4.2)'),
  },
  {
    name: 'parameters in the query string (§3.2)',
    call: (c) => ({ form: GRANT, basic: [c.id, c.secret], query: `?client_secret=${c.secret}` }),
    status: 400,
    body: err('invalid_request', 'send the parameters in the request body, not the URL (RFC 6749 §3.2)'),
  },
  {
    name: 'GET (§3.2: POST only)',
    call: () => ({ method: 'GET' }),
    status: 405,
    body: err('invalid_request', 'the token endpoint accepts POST only'),
  },
  {
    name: 'no client authentication',
    call: () => ({ form: GRANT }),
    status: 401,
    body: err('invalid_client', 'no client authentication'),
    challenge: true,
  },
  {
    name: 'client_id without a secret',
    call: (c) => ({ form: { ...GRANT, client_id: c.id } }),
    status: 401,
    body: err('invalid_client', 'missing client_secret'),
    challenge: true,
  },
  {
    name: 'form: wrong secret',
    call: (c) => ({ form: { ...GRANT, client_id: c.id, client_secret: `${c.secret}x` } }),
    status: 401,
    body: AUTH_FAILED,
    challenge: true,
  },
  {
    name: 'form: unknown client',
    call: (c) => ({ form: { ...GRANT, client_id: 'nobody', client_secret: c.secret } }),
    status: 401,
    body: AUTH_FAILED,
    challenge: true,
  },
  {
    name: 'Basic: wrong secret',
    call: (c) => ({ form: GRANT, basic: [c.id, 'sdcs_wrong'] }),
    status: 401,
    body: AUTH_FAILED,
    challenge: true,
  },
  {
    name: 'Basic: unknown client',
    call: (c) => ({ form: GRANT, basic: ['nobody', c.secret] }),
    status: 401,
    body: AUTH_FAILED,
    challenge: true,
  },
  {
    name: 'revoked client',
    before: (t, c) => t.node.oauth.revoke(c.id),
    call: (c) => ({ form: GRANT, basic: [c.id, c.secret] }),
    status: 401,
    body: AUTH_FAILED,
    challenge: true,
  },
  {
    name: 'malformed Basic',
    call: () => ({ form: GRANT, authorization: `Basic ${Buffer.from('no-colon').toString('base64')}` }),
    status: 401,
    body: err('invalid_client', 'malformed HTTP Basic credentials'),
    challenge: true,
  },
  {
    name: 'another scheme in Authorization',
    call: () => ({ form: GRANT, authorization: 'Bearer sdat_whatever' }),
    status: 401,
    body: err('invalid_client', 'unsupported authentication scheme; use HTTP Basic'),
    challenge: true,
  },
  {
    name: 'grant_type=password',
    call: (c) => ({ form: { grant_type: 'password', username: 'u', password: 'p' }, basic: [c.id, c.secret] }),
    status: 400,
    body: err('unsupported_grant_type', 'grant type "password" is not supported; use "client_credentials"'),
  },
  {
    name: 'grant_type=authorization_code',
    call: (c) => ({ form: { grant_type: 'authorization_code', code: 'x' }, basic: [c.id, c.secret] }),
    status: 400,
    body: err('unsupported_grant_type', 'grant type "authorization_code" is not supported; use "client_credentials"'),
  },
  {
    name: 'an unknown scope',
    call: (c) => ({ form: { ...GRANT, scope: 'scim admin' }, basic: [c.id, c.secret] }),
    status: 400,
    body: err('invalid_scope', 'unknown scope "admin"; the only scope is "scim"'),
  },
];

describe('POST /api/scim/oauth/token', () => {
  it.each(CASES)('$name → $status', async (c) => {
    const t = await testNode();
    const created = t.node.oauth.create({ name: 'Entra' });
    const ctx = { id: created.client.id, secret: created.clientSecret };
    c.before?.(t, ctx);
    const r = await tokenRequest(t, c.call(ctx));
    expect(r.status).toBe(c.status);
    // RFC 6749 §5.1/§5.2: JSON, never cached, on success and on error.
    expect(r.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(r.headers.get('pragma')).toBe('no-cache');
    expect(r.headers.get('www-authenticate')).toBe(c.challenge ? CHALLENGE : null);
    if (c.status === 200) {
      expect(r.body).toEqual({
        access_token: expect.stringMatching(/^sdat_[\w-]{43}$/),
        token_type: 'Bearer',
        expires_in: 3600,
        scope: 'scim',
      });
      expect(r.body).not.toHaveProperty('refresh_token'); // §4.4.3
    } else {
      expect(r.body).toEqual(c.body);
    }
    if (c.status === 405) expect(r.headers.get('allow')).toBe('POST');
  });

  it('answers a wrong secret exactly like an unknown client, by Basic and by form', async () => {
    const t = await testNode();
    const { client, clientSecret } = t.node.oauth.create({ name: 'Okta' });
    const strip = (r: { status: number; headers: Headers; body: unknown }) => ({
      status: r.status,
      body: r.body,
      headers: [...r.headers.entries()].filter(([k]) => !['x-request-id', 'date', 'content-length', 'etag'].includes(k)),
    });
    const wrongBasic = await tokenRequest(t, { form: GRANT, basic: [client.id, 'sdcs_guess'] });
    const unknownBasic = await tokenRequest(t, { form: GRANT, basic: ['00000000-0000-4000-8000-000000000000', 'sdcs_guess'] });
    expect(strip(wrongBasic)).toEqual(strip(unknownBasic));
    const wrongForm = await tokenRequest(t, { form: { ...GRANT, client_id: client.id, client_secret: `${clientSecret}x` } });
    const unknownForm = await tokenRequest(t, { form: { ...GRANT, client_id: 'nope', client_secret: `${clientSecret}x` } });
    expect(strip(wrongForm)).toEqual(strip(unknownForm));
    // The event log keeps the real reason, server side only; a repeat from a caller without any known
    // credential is counted, not stored again, until its window is over (issue #15.4).
    const notes = t.node.events.list().items.map((e) => [e.tokenId, e.notes[0]]);
    expect(notes).toEqual([
      [`oauth:${client.id}`, 'authentication failed: wrong-secret'],
      [null, 'authentication failed: unknown-client'],
      [`oauth:${client.id}`, 'authentication failed: wrong-secret'],
    ]);
  });

  it('issues tokens that expire after the configured lifetime', async () => {
    let now = Date.parse('2026-11-29T10:00:00Z');
    const t = await testNode({ now: () => new Date(now), settings: { oauthTokenTtlSeconds: 600 } });
    const { client, clientSecret } = t.node.oauth.create({ name: 'Entra' });
    const r = await tokenRequest(t, { form: GRANT, basic: [client.id, clientSecret] });
    expect(r.body.expires_in).toBe(600);
    const bearer = String(r.body.access_token);
    const get = () => fetch(`${t.base}/Users`, { headers: { authorization: `Bearer ${bearer}` } });
    now += 599_000;
    expect((await get()).status).toBe(200);
    now += 1000;
    const late = await get();
    expect(late.status).toBe(401);
    expect(t.node.events.list().items[0]).toMatchObject({
      status: 401,
      tokenId: `oauth:${client.id}`,
      notes: ['authentication failed: expired'],
    });
  });

  it.each([
    [299, false],
    [300, true],
    [3600, true],
    [21_600, true],
    [21_601, false],
  ])('oauthTokenTtlSeconds %i accepted: %s (5 minutes to 6 hours)', async (ttl, ok) => {
    const t = await testNode();
    if (!ok) {
      expect(() => t.node.settings.set('oauthTokenTtlSeconds', ttl)).toThrow(SettingsError);
      expect(() => t.node.settings.set('oauthTokenTtlSeconds', ttl)).toThrow('must be a number from 300 to 21600');
      return;
    }
    t.node.settings.set('oauthTokenTtlSeconds', ttl);
    const { client, clientSecret } = t.node.oauth.create({ name: 'x' });
    expect((await tokenRequest(t, { form: GRANT, basic: [client.id, clientSecret] })).body.expires_in).toBe(ttl);
  });

  it('rate-limits token requests per client and source with 429 and Retry-After', async () => {
    const t = await testNode();
    const { client, clientSecret } = t.node.oauth.create({ name: 'busy' });
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<typeof tokenRequest>> | undefined;
    for (let i = 0; i < 32; i++) {
      const r = await tokenRequest(t, { form: GRANT, basic: [client.id, clientSecret] });
      statuses.push(r.status);
      if (r.status === 429) limited = r;
    }
    expect(statuses.slice(0, 30)).toEqual(Array(30).fill(200));
    expect(statuses.slice(30)).toEqual([429, 429]);
    expect(limited?.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    expect(limited?.body).toEqual({
      error: 'temporarily_unavailable',
      error_description: expect.stringMatching(/^too many token requests; retry after \d+ s$/),
    });
    // Another client from the same source is not affected.
    const other = t.node.oauth.create({ name: 'quiet' });
    expect((await tokenRequest(t, { form: GRANT, basic: [other.client.id, other.clientSecret] })).status).toBe(200);
  });
});
