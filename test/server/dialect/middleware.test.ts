import { describe, expect, it } from 'vitest';
import { PATCH_OP, testNode, USER } from '../../helpers/node.js';

describe('dialect middleware in the SCIM router', () => {
  it('records the notes of a corrected request in the event log', async () => {
    const t = await testNode();
    const created = await t.scim('POST', '/Users', { schemas: [USER], userName: 'a@x' });
    const id = String(created.body?.id);
    const res = await t.scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
    });
    expect(res.status).toBe(200);
    expect(res.body?.active).toBe(false);
    t.node.flushEvents();
    const [event] = t.repos.events.list({ requestId: res.headers.get('x-request-id') ?? '', limit: 1 });
    expect(event?.notes).toEqual(['op "Replace" read as "replace"', 'active "False" read as false']);
  });

  it('keeps a password out of the log when the PATCH carrying it was corrected', async () => {
    const t = await testNode();
    const created = await t.scim('POST', '/Users', { schemas: [USER], userName: 'b@x' });
    const id = String(created.body?.id);
    const res = await t.scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'Replace', path: 'password', value: 'hunter2-secret' },
        { op: 'Add', value: { password: 'hunter3-secret' } },
      ],
    });
    expect(res.status).toBe(200);
    t.node.flushEvents();
    const [event] = t.repos.events.list({ requestId: res.headers.get('x-request-id') ?? '', limit: 1 });
    expect(event?.notes).toEqual(['op "Replace" read as "replace"', 'op "Add" read as "add"']);
    const stored = t.repos.events.get(event?.id ?? 0);
    expect(stored?.requestBody).toBeTruthy();
    expect(stored?.requestBody).not.toContain('hunter2-secret');
    expect(stored?.requestBody).not.toContain('hunter3-secret');
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
    t.node.flushEvents();
    const [event] = t.repos.events.list({ requestId: res.headers.get('x-request-id') ?? '', limit: 1 });
    expect(event?.notes).toEqual([]);
  });
});
