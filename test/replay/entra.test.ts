import { describe, expect, it } from 'vitest';
import { newContext } from '../../server/events/request-context.js';
import { ENTRA_FLOW } from '../../server/simulate/flows/entra.js';
import { ENTERPRISE, PATCH_OP, testNode, USER } from '../helpers/node.js';
import { replayFlow } from './replay-harness.js';

// The documented sequence, one test per request (server/simulate/flows/entra*.ts).
replayFlow(ENTRA_FLOW);

const TUTORIAL = 'Tutorial: Develop and plan provisioning for a SCIM endpoint in Microsoft Entra ID';

describe('Entra beyond the sequence', () => {
  async function user(t: Awaited<ReturnType<typeof testNode>>, body: Record<string, unknown> = {}) {
    const r = await t.scim('POST', '/Users', { schemas: [USER, ENTERPRISE], userName: 'e@contoso.com', ...body });
    expect(r.status).toBe(201);
    return String(r.body?.id);
  }
  const notesOf = (t: Awaited<ReturnType<typeof testNode>>, requestId: string | null) => {
    t.node.flushEvents();
    return t.repos.events.list({ requestId: requestId ?? '', limit: 1 })[0]?.notes;
  };

  it(`adds roles[primary eq "True"].value, a mapping target in "${TUTORIAL}"`, async () => {
    const t = await testNode();
    const id = await user(t);
    const r = await t.scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Add', path: 'roles[primary eq "True"].value', value: 'Admin' }],
    });
    expect(r.status).toBe(200);
    expect(r.body?.roles).toEqual([{ primary: true, value: 'Admin' }]);
    expect(notesOf(t, r.headers.get('x-request-id'))).toEqual(['op "Add" read as "add"', 'path value primary eq "True" read as true']);
  });

  it('stores the JSON-in-a-string role value exactly as sent ("Tutorial - Customize user provisioning attribute-mappings")', async () => {
    const t = await testNode();
    const id = await user(t);
    const value = '{"id":"06b07648-ecfe-589f-9d2f-6325724a46ee","value":"25","displayName":"Role1234"}';
    const r = await t.scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Add', path: 'roles', value: [{ value }] }],
    });
    expect(r.status).toBe(200);
    expect(r.body?.roles).toEqual([{ value }]);
  });

  it('clears with "" in a path-less batch and with null per path (gallery validation SCIM_Null_Update_Test)', async () => {
    const t = await testNode();
    const id = await user(t, { nickName: 'Babs', title: 'Boss', [ENTERPRISE]: { department: 'Sales' } });
    const batch = await t.scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', value: { nickName: '', [`${ENTERPRISE}:department`]: '' } }],
    });
    expect(batch.status).toBe(200);
    expect(batch.body?.nickName ?? '').toBe('');
    expect((batch.body?.[ENTERPRISE] as { department?: string } | undefined)?.department ?? '').toBe('');
    const nulled = await t.scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', path: 'title', value: null }],
    });
    expect(nulled.status).toBe(200);
    expect(nulled.body?.title).toBeUndefined();
  });

  it('one tenant can mix dialects: "False" then false then "True" on the same user', async () => {
    const t = await testNode();
    const id = await user(t);
    for (const [value, active] of [
      ['False', false],
      [true, true],
      ['false', false],
      ['True', true],
    ] as const) {
      const r = await t.scim('PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'active', value }] });
      expect(r.status).toBe(200);
      expect(r.body?.active).toBe(active);
    }
  });

  it("a duplicate create is 409; after an admin links the externalId, Entra's externalId lookup finds the member and its PATCH updates it", async () => {
    const t = await testNode();
    const existing = t.node.members.add({ email: 'Test_User_00aa00aa@testuser.com' }, newContext('seed', 'cli'));
    const body = {
      schemas: [USER, ENTERPRISE],
      externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
      userName: 'Test_User_00aa00aa@testuser.com',
      active: true,
      displayName: 'Test User',
    };
    expect((await t.scim('POST', '/Users', body)).status).toBe(409);
    // The admin links with the CLI (`scimdesk member link`) or the console: same service call.
    await t.node.members.link({ userId: existing.id, externalId: body.externalId }, t.base, newContext('link', 'cli'));
    expect((await t.scim('POST', '/Users', body)).status).toBe(409);
    // Entra's matching attribute mapped to externalId ("Tutorial", Example 1 sends it unquoted).
    const found = await t.scim('GET', `/Users?filter=externalId eq ${body.externalId}`);
    expect(found.body).toMatchObject({ totalResults: 1, Resources: [{ id: existing.id, userName: body.userName }] });
    const patched = await t.scim('PATCH', `/Users/${existing.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Replace', path: 'displayName', value: 'Test User' }],
    });
    expect([patched.status, patched.body?.displayName]).toEqual([200, 'Test User']);
    expect(t.db.prepare('SELECT count(*) AS n FROM users').get()).toEqual({ n: 1 });
  });
});
