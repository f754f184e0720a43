import { describe, expect, it } from 'vitest';
import { PATCH_OP, testNode, USER } from '../../helpers/node.js';

describe('dialect middleware in the SCIM router', () => {
  it('records notes and keeps the body as the IdP sent it in the event log', async () => {
    const t = await testNode();
    const created = await t.scim('POST', '/Users', { schemas: [USER], userName: 'a@x', password: 'secret-1' });
    const id = String(created.body?.id);
    const res = await t.scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
    });
    expect(res.status).toBe(200);
    expect(res.body?.active).toBe(false);
    const [event] = t.node.repos.events.list({ requestId: res.headers.get('x-request-id') ?? '', limit: 1 });
    expect(event?.notes).toEqual(['op "Replace" read as "replace"', 'active "False" read as false']);
    const stored = t.node.repos.events.get(event?.id ?? 0);
    expect(stored?.requestBody).toContain('"op":"Replace"');
    expect(stored?.requestBody).toContain('"value":"False"');
  });

  it('still redacts a password in a corrected body', async () => {
    const t = await testNode();
    const res = await t.scim('POST', '/Users', { schemas: [USER], userName: 'b@x', active: 'True', password: 'hunter2-secret' });
    expect(res.status).toBe(201);
    const [event] = t.node.repos.events.list({ requestId: res.headers.get('x-request-id') ?? '', limit: 1 });
    expect(event?.notes).toEqual(['active "True" read as true']);
    const stored = t.node.repos.events.get(event?.id ?? 0);
    expect(stored?.requestBody).toContain('"active":"True"');
    expect(stored?.requestBody).not.toContain('hunter2-secret');
  });

  it('corrects the filter query the list route reads', async () => {
    const t = await testNode();
    await t.scim('POST', '/Users', { schemas: [USER], userName: 'c@x', externalId: 'jyoung' });
    const res = await t.scim('GET', `/Users?filter=${encodeURIComponent('externalId eq jyoung')}`);
    expect(res.status).toBe(200);
    expect(res.body?.totalResults).toBe(1);
  });

  it('records no notes for a request that needs no correction', async () => {
    const t = await testNode();
    const res = await t.scim('POST', '/Users', { schemas: [USER], userName: 'd@x', active: true });
    const [event] = t.node.repos.events.list({ requestId: res.headers.get('x-request-id') ?? '', limit: 1 });
    expect(event?.notes).toEqual([]);
  });
});
