import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_ACTIVE_SECRETS } from '../../../server/oauth/oauth.js';
import { serve } from '../../../server/serve.js';
import { testNode, USER } from '../../helpers/node.js';
import { accessToken, scimWith, tokenRequest } from './helpers.js';

const ENTRA = 'Microsoft Azure AD SCIM Client';
const GRANT = { grant_type: 'client_credentials' };
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('an IdP on OAuth client credentials', () => {
  it('gets an access token, provisions with it, and is cut off on revoke', async () => {
    const t = await testNode();
    const { client, clientSecret } = t.node.oauth.create({ name: 'Entra production' });
    const bearer = await accessToken(t, client.id, clientSecret, ENTRA);
    const created = await scimWith(
      t,
      bearer,
      'POST',
      '/Users',
      { schemas: [USER], userName: 'oauth@example.com' },
      { 'user-agent': ENTRA },
    );
    expect(created.status).toBe(201);
    expect((await scimWith(t, bearer, 'GET', `/Users/${created.body?.id}`)).status).toBe(200);
    const [get, post, token] = t.node.events.list().items;
    expect(token).toMatchObject({ path: '/api/scim/oauth/token', status: 200, tokenId: `oauth:${client.id}`, userAgent: ENTRA });
    expect(token?.notes).toEqual(['access token issued, expires in 3600 s']);
    expect(post).toMatchObject({ method: 'POST', status: 201, tokenId: `oauth:${client.id}`, userName: 'oauth@example.com' });
    expect(get).toMatchObject({ status: 200, tokenId: `oauth:${client.id}` });
    expect(t.node.events.list({ tokenId: `oauth:${client.id}` }).items).toHaveLength(3);
    expect(t.node.oauth.get(client.id)?.lastUsedAt).not.toBeNull();

    expect(t.node.oauth.revoke(client.id)).toBe(true);
    const after = await scimWith(t, bearer, 'GET', '/Users');
    expect(after.status).toBe(401);
    expect(after.headers.get('www-authenticate')).toBe('Bearer realm="SCIM Desk"');
    expect(t.node.events.list().items[0]).toMatchObject({
      status: 401,
      tokenId: `oauth:${client.id}`,
      notes: ['authentication failed: revoked'],
    });
    const again = await tokenRequest(t, { form: GRANT, basic: [client.id, clientSecret] });
    expect(again.status).toBe(401);
    expect(t.node.oauth.get(client.id)?.state).toBe('revoked');
  });

  it('answers an unknown or malformed access token like any bad bearer', async () => {
    const t = await testNode();
    expect((await scimWith(t, `sdat_${'A'.repeat(43)}`, 'GET', '/Users')).status).toBe(401);
    expect((await scimWith(t, 'not-a-token', 'GET', '/Users')).status).toBe(401);
    expect(t.node.events.list().items.map((e) => [e.tokenId, e.notes[0]])).toEqual([
      [null, 'authentication failed: malformed'],
      [null, 'authentication failed: unknown'],
    ]);
    // Provisioning tokens still work beside OAuth.
    expect((await t.scim('GET', '/Users')).status).toBe(200);
  });

  it('rate-limits access tokens per client, like provisioning tokens', async () => {
    // A still clock: the bucket does not refill between the requests, however slow the machine.
    const still = new Date('2026-03-01T10:00:00.250Z');
    const t = await testNode({ settings: { rateLimit: { perSecond: 2, burst: 2 } }, now: () => still });
    const { client, clientSecret } = t.node.oauth.create({ name: 'Okta' });
    const bearer = await accessToken(t, client.id, clientSecret);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await scimWith(t, bearer, 'GET', '/Users?count=1')).status);
    expect(statuses.slice(4)).toEqual([429, 429]);
    expect((await t.node.limiter.usage(`oauth:${client.id}`)).used).toBeGreaterThan(0);
    // A second token of the same client shares the client's bucket.
    const second = await accessToken(t, client.id, clientSecret);
    expect((await scimWith(t, second, 'GET', '/Users')).status).toBe(429);
    expect((await t.scim('GET', '/Users')).status).toBe(200);
  });
});

describe('rotation with overlapping secrets', () => {
  it('keeps old secrets working until revoked; revoking a secret ends the tokens it obtained', async () => {
    const t = await testNode();
    const first = t.node.oauth.create({ name: 'Entra' });
    const id = first.client.id;
    const fromA = await accessToken(t, id, first.clientSecret);
    const second = t.node.oauth.rotate(id);
    expect(second.clientSecret).not.toBe(first.clientSecret);
    expect(second.client.secrets.map((s) => s.state)).toEqual(['active', 'active']);
    // Both secrets obtain tokens, and the token from the old secret keeps working.
    const fromB = await accessToken(t, id, second.clientSecret);
    await accessToken(t, id, first.clientSecret);
    expect((await scimWith(t, fromA, 'GET', '/Users')).status).toBe(200);
    expect((await scimWith(t, fromB, 'GET', '/Users')).status).toBe(200);
    // The admin retires the old secret once the IdP has the new one.
    expect(t.node.oauth.revoke(id, first.secretId)).toBe(true);
    expect((await scimWith(t, fromA, 'GET', '/Users')).status).toBe(401);
    expect((await scimWith(t, fromB, 'GET', '/Users')).status).toBe(200);
    expect((await tokenRequest(t, { form: { ...GRANT, client_id: id, client_secret: first.clientSecret } })).status).toBe(401);
    expect((await tokenRequest(t, { form: { ...GRANT, client_id: id, client_secret: second.clientSecret } })).status).toBe(200);
    expect(t.node.oauth.get(id)?.secrets.map((s) => s.state)).toEqual(['revoked', 'active']);
  });

  it('ends old secrets after an optional grace', async () => {
    let now = Date.parse('2026-11-29T10:00:00Z');
    const t = await testNode({ now: () => new Date(now) });
    const first = t.node.oauth.create({ name: 'Okta' });
    const second = t.node.oauth.rotate(first.client.id, 3_600_000);
    expect(second.client.secrets[0]?.expiresAt).toBe('2026-11-29T11:00:00.000Z');
    now += 59 * 60_000;
    await accessToken(t, first.client.id, first.clientSecret);
    now += 2 * 60_000;
    expect((await tokenRequest(t, { form: GRANT, basic: [first.client.id, first.clientSecret] })).status).toBe(401);
    await accessToken(t, first.client.id, second.clientSecret);
    expect(t.node.oauth.get(first.client.id)?.secrets.map((s) => s.state)).toEqual(['expired', 'active']);
  });

  it(`holds at most ${MAX_ACTIVE_SECRETS} active secrets`, async () => {
    const t = await testNode();
    const { client } = t.node.oauth.create({ name: 'many' });
    for (let i = 1; i < MAX_ACTIVE_SECRETS; i++) t.node.oauth.rotate(client.id);
    expect(() => t.node.oauth.rotate(client.id)).toThrow(`already has ${MAX_ACTIVE_SECRETS} active secrets; revoke one first`);
    t.node.oauth.revoke(client.id, t.node.oauth.get(client.id)?.secrets[0]?.id);
    const next = t.node.oauth.rotate(client.id);
    expect(await accessToken(t, client.id, next.clientSecret)).toMatch(/^sdat_/);
    expect(() => t.node.oauth.rotate('missing')).toThrow('no active OAuth client with id missing');
  });
});

describe('secrets never reach storage', () => {
  it('keeps client secrets and access tokens out of the database files, with the client id in the log', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scimdesk-oauth-'));
    dirs.push(dir);
    const t = await testNode({ dbFile: join(dir, 'scimdesk.db') });
    const { client, clientSecret } = t.node.oauth.create({ name: 'Entra' });
    const viaForm = await accessToken(t, client.id, clientSecret, ENTRA);
    const viaBasic = await tokenRequest(t, { form: GRANT, basic: [client.id, clientSecret] });
    const bearer = String(viaBasic.body.access_token);
    await tokenRequest(t, { form: GRANT, basic: [client.id, clientSecret], query: `?client_secret=${clientSecret}` });
    await tokenRequest(t, { form: { ...GRANT, client_id: client.id, client_secret: clientSecret }, basic: [client.id, clientSecret] });
    await tokenRequest(t, {
      form: `grant_type=client_credentials&client_id=${client.id}&client_secret=${clientSecret}&client_secret=${clientSecret}`,
    });
    expect((await scimWith(t, viaForm, 'POST', '/Users', { schemas: [USER], userName: 'vault@example.com' })).status).toBe(201);
    const tokenEvents = t.node.events.list({ tokenId: `oauth:${client.id}` }).items.filter((e) => e.path.startsWith('/api/scim/oauth'));
    expect(tokenEvents.length).toBeGreaterThanOrEqual(2);
    const formEvent = t.node.events.get(tokenEvents.at(-1)?.id ?? 0);
    expect(JSON.parse(formEvent?.requestBody ?? '{}')).toEqual({
      grant_type: 'client_credentials',
      client_id: client.id,
      client_secret: '[REDACTED] client_secret',
    });
    expect(JSON.parse(formEvent?.responseBody ?? '{}')).toMatchObject({ access_token: '[REDACTED] access_token', token_type: 'Bearer' });
    const basicEvent = t.node.events.get(tokenEvents.at(-2)?.id ?? 0);
    expect(basicEvent?.requestHeaders.authorization).toBe('Basic [REDACTED]');
    expect(t.node.events.list().items.find((e) => e.path.includes('?'))?.path).toBe('/api/scim/oauth/token?[REDACTED]');

    t.db.pragma('wal_checkpoint(TRUNCATE)');
    for (const f of readdirSync(dir)) {
      const bytes = readFileSync(join(dir, f)).toString('latin1');
      for (const secret of [clientSecret, clientSecret.slice(5), viaForm, viaForm.slice(5), bearer.slice(5)]) {
        expect(bytes, f).not.toContain(secret);
      }
    }
  });
});

describe('scope: the SCIM API only', () => {
  it('never opens the console with an access token', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scimdesk-oauth-console-'));
    dirs.push(dir);
    const web = join(dir, 'web');
    mkdirSync(web);
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>SCIM Desk</title>');
    const s = await serve({ dataDir: join(dir, 'data'), host: '127.0.0.1', port: 0, consolePort: 0 }, { log: () => {} }, web);
    try {
      const { client, clientSecret } = s.node.oauth.create({ name: 'Entra' });
      const tokenUrl = s.scimUrl.replace(/\/v2$/, '/oauth/token');
      const r = await fetch(tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ...GRANT, client_id: client.id, client_secret: clientSecret }).toString(),
      });
      expect(r.status).toBe(200);
      const bearer = String(((await r.json()) as { access_token: string }).access_token);
      expect((await fetch(`${s.scimUrl}/Users`, { headers: { authorization: `Bearer ${bearer}` } })).status).toBe(200);
      const consoleCall = await fetch(`${s.consoleUrl}/api/console/call/oauth.list`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}`, 'x-csrf-token': bearer },
        body: '{}',
      });
      expect(consoleCall.status).toBe(401);
    } finally {
      await s.stop();
    }
  });
});
