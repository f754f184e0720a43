import { describe, expect, it } from 'vitest';
import type { TestNode } from '../../helpers/node.js';
import { GROUP, PATCH_OP, testNode, USER } from '../../helpers/node.js';

/** Everything one request left in the event log, payloads included, as one searchable string. */
function stored(t: TestNode, requestId: string | null): string {
  const [e] = t.node.events.list({ requestId: requestId ?? '' }).items;
  if (!e) return '';
  return JSON.stringify(t.node.events.get(e.id));
}

async function user(t: TestNode, userName: string): Promise<string> {
  const r = await t.scim('POST', '/Users', { schemas: [USER], userName });
  expect(r.status, r.text).toBe(201);
  return String(r.body?.id);
}

/** A JSON object nested `depth` levels deep under one unknown member, as raw text. */
const deep = (depth: number): string => `${'{"x":'.repeat(depth)}1${'}'.repeat(depth)}`;

describe('redaction follows the PATCH parser (issue #15.1)', () => {
  const cases: [string, unknown][] = [
    ['upper-case member names', { op: 'replace', Path: 'password', Value: 'PW-A1' }],
    ['a padded path', { op: 'replace', path: ' password', value: 'PW-A2' }],
    ['a URN-qualified path', { op: 'replace', path: `${USER}:password`, value: 'PW-A3' }],
    ['a path-less value', { op: 'replace', value: { password: 'PW-A4' } }],
    ['a path-less value with a URN key', { op: 'replace', value: { [`${USER}:Password`]: 'PW-A5' } }],
    ['an upper-case path', { op: 'replace', path: 'PASSWORD', value: 'PW-A6' }],
  ];
  it.each(cases)('masks the password given with %s', async (_name, op) => {
    const t = await testNode();
    const id = await user(t, `pw-${Math.random()}@example.com`);
    const r = await t.scim('PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: [op] });
    expect(r.status, r.text).toBe(200);
    const text = stored(t, r.headers.get('x-request-id'));
    expect(text).toContain('[REDACTED] password');
    expect(text).not.toMatch(/PW-A\d/);
  });

  it('never stores a malformed body verbatim', async () => {
    const t = await testNode();
    const bodies = ['{"userName":"t","password":"PW-E5', '{"pass\\u0077ord":"PW-E6",}', '{"password": PW-E7}', "{'password':'PW-E8'}"];
    for (const body of bodies) {
      const r = await t.scim('POST', '/Users', body);
      expect(r.status, body).toBe(400);
      const text = stored(t, r.headers.get('x-request-id'));
      expect(text, body).toContain('"status":400');
      expect(text, body).not.toMatch(/PW-E\d/);
    }
  });

  it('masks configured sensitive attributes in filter-valued paths', async () => {
    const t = await testNode({ sensitiveAttributes: ['employeeNumber'] });
    const id = await user(t, 'f@example.com');
    const r = await t.scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'add', path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber', value: 'EMP-SECRET-1' }],
    });
    expect(r.status, r.text).toBe(200);
    expect(stored(t, r.headers.get('x-request-id'))).not.toContain('EMP-SECRET-1');
  });
});

describe('recording never throws, and a write always leaves an event (issue #15.2)', () => {
  it('records a DELETE with a 5,000-level body', async () => {
    const t = await testNode();
    const id = await user(t, 'deep@example.com');
    const r = await t.scim('DELETE', `/Users/${id}`, deep(5000));
    expect(r.status).toBe(204);
    const [e] = t.node.events.list({ requestId: r.headers.get('x-request-id') ?? '' }).items;
    expect(e).toMatchObject({ method: 'DELETE', status: 204, resourceId: id });
    expect(e?.changes).toEqual([{ kind: 'user.deleted', userId: id, userName: 'deep@example.com' }]);
    const detail = t.node.events.get(e?.id ?? 0);
    expect(detail?.requestBody).toContain('[OMITTED');
  });

  it('records a group member add whose body carries a 5,000-level unknown member', async () => {
    const t = await testNode();
    const uid = await user(t, 'm@example.com');
    const g = await t.scim('POST', '/Groups', { schemas: [GROUP], displayName: 'Admins' });
    const body = `{"schemas":["${PATCH_OP}"],"Operations":[{"op":"add","path":"members","value":[{"value":"${uid}"}]}],"junk":${deep(5000)}}`;
    const r = await t.scim('PATCH', `/Groups/${g.body?.id}`, body);
    expect(r.status, r.text).toBe(204);
    const [e] = t.node.events.list({ requestId: r.headers.get('x-request-id') ?? '' }).items;
    expect(e?.changes).toEqual([{ kind: 'member.added', groupId: g.body?.id, memberId: uid, memberType: 'User' }]);
  });
});

describe('credentials in the query string (issue #15.3)', () => {
  it('strips access_token, token and client_secret from the recorded path', async () => {
    const t = await testNode();
    const r = await fetch(`${t.base}/Users?access_token=QS-SECRET-1&Token=QS-SECRET-2&client_secret=QS-SECRET-3&count=1`);
    expect(r.status).toBe(401);
    const [e] = t.node.events.list({ requestId: r.headers.get('x-request-id') ?? '' }).items;
    expect(e?.path).toBe('/api/scim/v2/Users?access_token=[REDACTED]&Token=[REDACTED]&client_secret=[REDACTED]&count=1');
    const ok = await t.scim('GET', `/Users?count=1&access_token=${t.token}`);
    expect(ok.status).toBe(200);
    expect(stored(t, ok.headers.get('x-request-id'))).not.toContain(t.token);
  });
});

describe('credentials pasted where an id belongs (issue #15.3)', () => {
  it('keeps a token used as a resource id out of the path and the echoed 404', async () => {
    const t = await testNode();
    const r = await t.scim('GET', `/Users/${t.token}`);
    expect(r.status).toBe(404);
    const text = stored(t, r.headers.get('x-request-id'));
    expect(text).toContain(`${t.token.slice(0, 22)}[REDACTED]`);
    expect(text).not.toContain(t.token);
  });
});

describe('derived changes come only from a committed transaction (issue #15.5)', () => {
  it('a POST /Groups that rolls back records no group.created', async () => {
    const t = await testNode();
    const r = await t.scim('POST', '/Groups', { schemas: [GROUP], displayName: 'Ghost', members: [{ value: 'no-such-user' }] });
    expect(r.status, r.text).toBe(400);
    const [e] = t.node.events.list({ requestId: r.headers.get('x-request-id') ?? '' }).items;
    expect(e?.status).toBe(400);
    expect(e?.changes).toEqual([]);
  });
});
