/**
 * Custom attributes as Okta and Microsoft Entra ID send them (issue #16). Okta: an attribute added in
 * the Profile Editor with an "External namespace" is sent inside that extension object on POST /Users
 * and on the PUT that updates a user. Entra: custom attributes cannot be complex or multi-valued for
 * non-gallery apps, so they are single-valued and addressed as
 * `urn:ietf:params:scim:schemas:extension:<Name>:2.0:User:<attr>`, added with capitalized PATCH ops.
 */
import { describe, expect, it } from 'vitest';
import { ENTERPRISE, PATCH_OP, type TestNode, testNode, USER } from '../helpers/node.js';

const OKTA_EXT = 'urn:ietf:params:scim:schemas:extension:CustomExt:2.0:User';
const ENTRA_EXT = 'urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User';

const notesOf = (t: TestNode, requestId: string | null) => {
  t.node.flushEvents();
  return t.repos.events.list({ requestId: requestId ?? '', limit: 1 })[0]?.notes;
};

/** Okta's documented create body ("SCIM 2.0 … Create the user"), with the custom namespace added by the Profile Editor. */
const oktaCreate = (costCenter: string) => ({
  schemas: [USER, OKTA_EXT],
  userName: 'isabella.jones@example.com',
  name: { givenName: 'Isabella', familyName: 'Jones' },
  emails: [{ primary: true, value: 'isabella.jones@example.com', type: 'work' }],
  displayName: 'Isabella Jones',
  locale: 'en-US',
  externalId: '00u1dhhb1fkIGP7RL1d8',
  groups: [],
  password: '1mz050nq',
  active: true,
  [OKTA_EXT]: { costCenter, badgeId: 'B-17' },
});

describe.each([
  ['declared', true],
  ['undeclared (kept)', false],
])('Okta custom attributes, %s', (_name, declare) => {
  async function setup() {
    const t = await testNode();
    if (declare) {
      const r = t.node.extensions.declare({
        id: OKTA_EXT,
        attributes: [
          { name: 'costCenter', type: 'string', indexed: true },
          { name: 'badgeId', type: 'string' },
        ],
      });
      expect(r.applied).toBe(true);
    }
    return t;
  }

  it('POST /Users stores them, the userName lookup returns them, and the PUT that updates the user replaces them', async () => {
    const t = await setup();
    const created = await t.scim('POST', '/Users', oktaCreate('42'), { 'user-agent': 'Okta SCIM Client 1.0.0' });
    expect(created.status).toBe(201);
    expect(created.body?.[OKTA_EXT]).toEqual({ costCenter: '42', badgeId: 'B-17' });
    expect(created.body?.schemas).toEqual([USER, OKTA_EXT]);
    const id = String(created.body?.id);

    const lookup = await t.scim(
      'GET',
      `/Users?filter=${encodeURIComponent('userName eq "isabella.jones@example.com"')}&startIndex=1&count=100`,
    );
    expect(lookup.body?.totalResults).toBe(1);
    expect(lookup.body?.Resources).toEqual([expect.objectContaining({ [OKTA_EXT]: { costCenter: '42', badgeId: 'B-17' } })]);

    // Okta's update: the whole user back with PUT, the extension with its new value.
    const { password: _p, ...rest } = oktaCreate('77');
    const put = await t.scim('PUT', `/Users/${id}`, { ...rest, id });
    expect(put.status).toBe(200);
    expect(put.body?.[OKTA_EXT]).toEqual({ costCenter: '77', badgeId: 'B-17' });
    expect(t.repos.users.get(id)?.data[OKTA_EXT]).toEqual({ costCenter: '77', badgeId: 'B-17' });

    // A PUT without the namespace (the admin removed the mapping) clears it: PUT replaces (RFC 7644 §3.5.1).
    const { [OKTA_EXT]: _gone, ...without } = rest;
    const cleared = await t.scim('PUT', `/Users/${id}`, { ...without, schemas: [USER], id });
    expect(cleared.status).toBe(200);
    expect(cleared.body?.[OKTA_EXT]).toBeUndefined();
    expect(t.node.extensions.undeclared().map((r) => r.attribute)).toEqual(declare ? [] : ['badgeId', 'costCenter']);
  });
});

describe.each([
  ['declared', true],
  ['undeclared (kept)', false],
])('Entra custom attributes, %s', (_name, declare) => {
  it('POST with the extension object, then PATCH Add/Replace by URN path, read back by filter', async () => {
    const t = await testNode();
    if (declare) {
      expect(
        t.node.extensions.declare({
          id: ENTRA_EXT,
          attributes: [
            { name: 'costCenter', type: 'string', indexed: true },
            { name: 'CustomAttribute', type: 'string' },
          ],
        }).applied,
      ).toBe(true);
    }
    // Entra's create ("Tutorial: Develop and plan provisioning for a SCIM endpoint", Create User) with a mapped custom attribute.
    const created = await t.scim('POST', '/Users', {
      schemas: [USER, ENTERPRISE, ENTRA_EXT],
      externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
      userName: 'Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1@contoso.com',
      active: true,
      emails: [{ primary: true, type: 'work', value: 'Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@contoso.com' }],
      meta: { resourceType: 'User' },
      name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
      roles: [],
      [ENTRA_EXT]: { CustomAttribute: 'blue' },
    });
    expect(created.status).toBe(201);
    expect(created.body?.[ENTRA_EXT]).toEqual({ CustomAttribute: 'blue' });
    const id = String(created.body?.id);

    const add = await t.scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Add', path: `${ENTRA_EXT}:costCenter`, value: '42' }],
    });
    expect(add.status).toBe(200);
    expect(add.body?.[ENTRA_EXT]).toEqual({ CustomAttribute: 'blue', costCenter: '42' });
    expect(notesOf(t, add.headers.get('x-request-id'))).toEqual(['op "Add" read as "add"']);

    const replace = await t.scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Replace', path: `${ENTRA_EXT}:CustomAttribute`, value: 'green' }],
    });
    expect(replace.status).toBe(200);
    expect(t.repos.users.get(id)?.data[ENTRA_EXT]).toEqual({ CustomAttribute: 'green', costCenter: '42' });

    if (declare) {
      const found = await t.scim('GET', `/Users?filter=${encodeURIComponent(`${ENTRA_EXT}:costCenter eq "42"`)}`);
      expect(found.body?.totalResults).toBe(1);
      expect(found.body?.Resources).toEqual([expect.objectContaining({ id })]);
    } else {
      // Undeclared data has no type to filter on: the filter says so instead of matching nothing.
      const found = await t.scim('GET', `/Users?filter=${encodeURIComponent(`${ENTRA_EXT}:costCenter eq "42"`)}`);
      expect(found.status).toBe(400);
      expect(found.body?.scimType).toBe('invalidFilter');
      expect(t.node.extensions.undeclared().map((r) => [r.attribute, r.count])).toEqual([
        ['costCenter', 1],
        ['CustomAttribute', 2],
      ]);
    }
  });
});

describe('Entra boolean custom attributes', () => {
  it('reads "True"/"False" as booleans for a declared boolean attribute, as it does for active (dialect)', async () => {
    const t = await testNode();
    t.node.extensions.declare({ id: ENTRA_EXT, attributes: [{ name: 'contractor', type: 'boolean' }] });
    const created = await t.scim('POST', '/Users', {
      schemas: [USER, ENTRA_EXT],
      userName: 'b@contoso.com',
      active: true,
      [ENTRA_EXT]: { contractor: 'True' },
    });
    expect(created.status).toBe(201);
    expect(created.body?.[ENTRA_EXT]).toEqual({ contractor: true });
    const patch = await t.scim('PATCH', `/Users/${created.body?.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Replace', path: `${ENTRA_EXT}:contractor`, value: 'False' }],
    });
    expect(patch.status).toBe(200);
    expect(patch.body?.[ENTRA_EXT]).toEqual({ contractor: false });
    expect(notesOf(t, patch.headers.get('x-request-id'))).toEqual([
      'op "Replace" read as "replace"',
      `${ENTRA_EXT}:contractor "False" read as false`,
    ]);
  });
});
