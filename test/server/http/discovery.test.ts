import { describe, expect, it } from 'vitest';
import { ENTERPRISE, GROUP, testNode, USER } from '../../helpers/node.js';
import { expectError, LIST, SCIM_JSON } from './http-helpers.js';

const SPC = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
const RT = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
const SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema';

interface AttrJson {
  name: string;
  type: string;
  mutability: string;
  returned: string;
  uniqueness: string;
  caseExact: boolean;
  required: boolean;
  subAttributes?: AttrJson[];
}

describe('GET /ServiceProviderConfig', () => {
  it('advertises what the node implements, with page sizes of at least 100', async () => {
    const t = await testNode();
    const res = await t.scim('GET', '/ServiceProviderConfig');
    expect([res.status, res.headers.get('content-type')]).toEqual([200, SCIM_JSON]);
    const b = res.body as Record<string, Record<string, unknown>>;
    // The limits extension is declared, so a strict client (scim2-client) accepts the document.
    expect(b.schemas).toEqual([SPC, 'urn:scimdesk:params:limits']);
    expect(b.patch).toEqual({ supported: true });
    expect(b.bulk).toEqual({ supported: false, maxOperations: 0, maxPayloadSize: 0 });
    expect(b.filter).toEqual({ supported: true, maxResults: 1000 });
    expect([b.sort, b.etag, b.changePassword]).toEqual([{ supported: true }, { supported: true }, { supported: true }]);
    expect(b['urn:scimdesk:params:paging']).toBeUndefined();
    expect(b.pagination).toEqual({
      cursor: true,
      index: true,
      defaultPaginationMethod: 'index',
      defaultPageSize: 100,
      maxPageSize: 1000,
      cursorTimeout: 3600,
    });
    expect((b.authenticationSchemes as unknown as { type: string }[]).map((s) => s.type)).toEqual(['oauthbearertoken']);
    expect(b.meta).toEqual({ resourceType: 'ServiceProviderConfig', location: `${t.base}/ServiceProviderConfig` });
  });

  it('reports configured paging', async () => {
    const t = await testNode({ paging: { defaultCount: 150, maxCount: 500, cursorTimeoutSeconds: 600 } });
    const b = (await t.scim('GET', '/ServiceProviderConfig')).body as Record<string, unknown>;
    expect([b.filter, b.pagination]).toEqual([
      { supported: true, maxResults: 500 },
      { cursor: true, index: true, defaultPaginationMethod: 'index', defaultPageSize: 150, maxPageSize: 500, cursorTimeout: 600 },
    ]);
  });
});

describe('GET /ResourceTypes', () => {
  const user = (base: string) => ({
    schemas: [RT],
    id: 'User',
    name: 'User',
    endpoint: '/Users',
    description: 'User Account',
    schema: USER,
    schemaExtensions: [{ schema: ENTERPRISE, required: false }],
    meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/User` },
  });

  it('lists User and Group as a ListResponse', async () => {
    const t = await testNode();
    const res = await t.scim('GET', '/ResourceTypes');
    expect(res.status).toBe(200);
    const b = res.body as {
      schemas: string[];
      totalResults: number;
      itemsPerPage: number;
      startIndex: number;
      Resources: { id: string }[];
    };
    expect([b.schemas, b.totalResults, b.itemsPerPage, b.startIndex]).toEqual([[LIST], 2, 2, 1]);
    expect(b.Resources[0]).toStrictEqual(user(t.base));
    expect(b.Resources[1]).toMatchObject({ id: 'Group', endpoint: '/Groups', schema: GROUP, schemaExtensions: [] });
  });

  it('serves one type by name, case-insensitively, and 404s unknown ones', async () => {
    const t = await testNode();
    const res = await t.scim('GET', '/ResourceTypes/User');
    expect(res.status).toBe(200);
    expect(res.body).toStrictEqual(user(t.base));
    expect((await t.scim('GET', '/ResourceTypes/group')).body).toMatchObject({ id: 'Group' });
    expectError(await t.scim('GET', '/ResourceTypes/Device'), 404, undefined, /ResourceType "Device" not found/);
  });
});

describe('GET /Schemas', () => {
  it('lists the three schemas', async () => {
    const t = await testNode();
    const res = await t.scim('GET', '/Schemas');
    expect(res.status).toBe(200);
    const b = res.body as { totalResults: number; Resources: { id: string; schemas: string[] }[] };
    expect(b.totalResults).toBe(3);
    expect(b.Resources.map((s) => s.id)).toEqual([USER, ENTERPRISE, GROUP]);
    expect(b.Resources.every((s) => s.schemas[0] === SCHEMA)).toBe(true);
  });

  it('serves a schema by id with the attribute characteristics the server enforces', async () => {
    const t = await testNode();
    const res = await t.scim('GET', `/Schemas/${USER}`);
    expect(res.status).toBe(200);
    const b = res.body as { id: string; name: string; attributes: AttrJson[]; meta: unknown };
    expect([b.id, b.name, b.meta]).toEqual([USER, 'User', { resourceType: 'Schema', location: `${t.base}/Schemas/${USER}` }]);
    const attr = (n: string) => b.attributes.find((a) => a.name === n);
    expect(attr('userName')).toMatchObject({ type: 'string', required: true, uniqueness: 'server', caseExact: false });
    expect(attr('password')).toMatchObject({ mutability: 'writeOnly', returned: 'never' });
    expect(attr('groups')).toMatchObject({ mutability: 'readOnly', type: 'complex' });
    expect(attr('emails')?.subAttributes?.map((s) => s.name)).toEqual(['value', 'display', 'type', 'primary']);
    expect((await t.scim('GET', `/Schemas/${ENTERPRISE}`)).body).toMatchObject({ id: ENTERPRISE, name: 'EnterpriseUser' });
    expect((await t.scim('GET', `/Schemas/${GROUP.toUpperCase()}`)).body).toMatchObject({ id: GROUP });
    expectError(await t.scim('GET', '/Schemas/urn:example:nope'), 404, undefined, /Schema "urn:example:nope" not found/);
  });
});

describe('unsupported endpoints', () => {
  it('/Bulk is 501 and unknown paths are 404', async () => {
    const t = await testNode();
    expectError(
      await t.scim('POST', '/Bulk', { schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'], Operations: [] }),
      501,
      undefined,
      /bulk/,
    );
    expectError(await t.scim('GET', '/Bulk'), 501, undefined, /bulk/);
    expectError(await t.scim('GET', '/Devices'), 404, undefined, /no SCIM endpoint at GET \/api\/scim\/v2\/Devices/);
    expectError(await t.scim('GET', '/Users/a/b'), 404, undefined, /no SCIM endpoint/);
    expectError(await t.scim('DELETE', '/Users'), 404, undefined, /no SCIM endpoint/);
  });
});
