import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GROUP, PATCH_OP, testNode, USER } from '../helpers/node.js';
import { accessToken, basic, scimWith, tokenRequest, tokenUrl } from '../server/oauth/helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Every file under `dir`, recursively. */
function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

const deep = (depth: number): string => `${'{"x":'.repeat(depth)}1${'}'.repeat(depth)}`;

describe('a hostile session leaves no secret in the data directory (issue #15)', () => {
  it('scans the database, WAL, backups and logs for every planted secret', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scimdesk-hostile-'));
    dirs.push(dir);
    const logFile = join(dir, 'scimdesk.log');
    const t = await testNode({
      dbFile: join(dir, 'scimdesk.db'),
      sensitiveAttributes: ['employeeNumber'],
      log: (msg, err) => appendFileSync(logFile, `${msg} ${err instanceof Error ? `${err.message}\n${err.stack}` : String(err ?? '')}\n`),
    });
    const planted: string[] = [t.token];
    const secret = (name: string): string => {
      const s = `${name}-${Math.random().toString(36).slice(2, 12)}`;
      planted.push(s);
      return s;
    };
    const user = await t.scim('POST', '/Users', { schemas: [USER], userName: 'victim@example.com', password: secret('PWCREATE') });
    expect(user.status, user.text).toBe(201);
    const id = String(user.body?.id);
    // A configured sensitive attribute is directory data (kept in users), but never event-log data.
    const employeeNumber = `EMP-${Math.random().toString(36).slice(2, 12)}`;
    const patches: unknown[] = [
      { op: 'replace', Path: 'password', Value: secret('PWA') },
      { op: 'replace', path: ' password', value: secret('PWB') },
      { OP: 'replace', PATH: `${USER}:password`, VALUE: secret('PWC') },
      { op: 'replace', value: { password: secret('PWD') } },
      { op: 'replace', value: { [`${USER}:PassWord`]: secret('PWE') } },
      { op: 'add', path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber', value: employeeNumber },
    ];
    for (const op of patches) {
      const r = await t.scim('PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: [op] });
      expect(r.status, r.text).toBe(200);
    }
    // Malformed bodies, and a secret in a filter.
    for (const body of [
      `{"userName":"t","password":"${secret('PWRAW1')}`,
      `{"pass\\u0077ord":"${secret('PWRAW2')}",}`,
      `{"schemas":["${PATCH_OP}"],"Operations":[{"op":"replace","path":"password","value":"${secret('PWRAW3')}"}]`,
    ]) {
      expect((await t.scim('POST', '/Users', body)).status).toBe(400);
    }
    await t.scim('GET', `/Users?filter=${encodeURIComponent(`employeeNumber eq "${secret('EMPFILTER')}"`)}`);
    // Query-string credentials, authenticated and not.
    await fetch(`${t.base}/Users?access_token=${secret('QSTOKEN')}`);
    await fetch(`${t.base}/Users?count=1&token=${t.token}`, { headers: { authorization: `Bearer ${t.token}` } });
    // Credential headers on repeated 401s (fewer than the failure throttle lets through unslowed).
    for (let i = 0; i < 8; i++) {
      await fetch(`${t.base}/Users`, {
        headers: {
          authorization: `Bearer ${secret('BEARER')}`,
          cookie: `sid=${secret('COOKIE')}`,
          'proxy-authorization': `Basic ${secret('PROXY')}`,
        },
      });
    }
    // OAuth: client secrets by form and by Basic, the access token in the answer and in the URL.
    const { client, clientSecret } = t.node.oauth.create({ name: 'Okta' });
    planted.push(clientSecret);
    const access = await accessToken(t, client.id, clientSecret);
    planted.push(access);
    await tokenRequest(t, { form: { grant_type: 'client_credentials' }, basic: [client.id, clientSecret] });
    await tokenRequest(t, { form: { grant_type: 'client_credentials', client_id: client.id, client_secret: secret('WRONGSECRET') } });
    await fetch(`${tokenUrl(t)}?client_secret=${secret('QSCLIENT')}`, {
      method: 'POST',
      headers: { authorization: basic(client.id, clientSecret) },
    });
    expect((await scimWith(t, access, 'GET', '/Users?count=1')).status).toBe(200);
    // Deep bodies on writes still leave their event.
    const g = await t.scim('POST', '/Groups', { schemas: [GROUP], displayName: 'Admins' });
    const add = `{"schemas":["${PATCH_OP}"],"Operations":[{"op":"add","path":"members","value":[{"value":"${id}"}]}],"x":${deep(5000)}}`;
    expect((await t.scim('PATCH', `/Groups/${g.body?.id}`, add)).status).toBe(204);
    const del = await t.scim('DELETE', `/Users/${id}`, deep(5000));
    expect(del.status).toBe(204);
    expect(t.node.events.list({ requestId: del.headers.get('x-request-id') ?? '' }).items).toHaveLength(1);

    t.node.flushEvents();
    const eventText = t.db
      .prepare<[], { text: string }>(
        `SELECT coalesce(group_concat(e.path || coalesce(e.notes, '') || coalesce(e.changes, '') || p.request_headers
           || coalesce(p.request_body, '') || coalesce(p.response_body, ''), ''), '') AS text
         FROM events e JOIN event_payloads p ON p.event_id = e.id`,
      )
      .get()?.text;
    expect(eventText).toContain('[REDACTED] employeenumber');
    expect(eventText).not.toContain(employeeNumber);
    await t.node.backup(join(dir, 'backups', 'manual.db'));
    t.node.close();
    const scanned = files(dir);
    expect(scanned.map((f) => f.slice(dir.length)).sort()).toEqual(expect.arrayContaining(['/backups/manual.db', '/scimdesk.db']));
    const leaks: string[] = [];
    for (const f of scanned) {
      const bytes = readFileSync(f);
      for (const s of planted) if (bytes.includes(s)) leaks.push(`${s} in ${f.slice(dir.length)}`);
    }
    expect(leaks).toEqual([]);
  });
});
