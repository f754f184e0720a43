import { describe, expect, it } from 'vitest';
import { invokeConsole } from '../../../server/console/handlers.js';
import { consoleHandlers } from '../../helpers/console.js';
import { ENTERPRISE, type TestNode, testNode, USER } from '../../helpers/node.js';

const EXT = 'urn:ietf:params:scim:schemas:extension:CustomExt:2.0:User';
const OTHER = 'urn:ietf:params:scim:schemas:extension:Badges:2.0:User';

const handlers = (t: TestNode) => consoleHandlers(t.node, { scimUrl: () => t.base });

describe('console schemas.* methods', () => {
  it('declare, list, undeclared, propose and remove go through the same validation as the CLI', async () => {
    const t = await testNode();
    const h = handlers(t);
    const bad = await invokeConsole(h, 'schemas.declare', {
      declaration: { id: EXT, attributes: [{ name: 'cost center', type: 'string' }] },
    });
    expect(bad).toEqual({
      ok: false,
      error: {
        code: 'invalid',
        message: 'attributes[0].name: must be an attribute name (a letter, then letters, digits, "_" or "-")',
        field: 'attributes[0].name',
      },
    });
    const ok = await invokeConsole(h, 'schemas.declare', {
      declaration: { id: EXT, attributes: [{ name: 'costCenter', type: 'string' }] },
    });
    expect(ok).toMatchObject({ ok: true, value: { applied: true, total: 0, declaration: { id: EXT, name: 'CustomExt' } } });
    expect(await invokeConsole(h, 'schemas.list', {})).toMatchObject({ ok: true, value: [{ id: EXT }] });

    await t.scim('POST', '/Users', { schemas: [USER], userName: 'a@x', [OTHER]: { floor: 3 } });
    const seen = await invokeConsole(h, 'schemas.undeclared', {});
    expect(seen).toMatchObject({ ok: true, value: [{ urn: OTHER, attribute: 'floor', valueTypes: ['integer'], count: 1 }] });
    const proposal = await invokeConsole(h, 'schemas.propose', { urn: OTHER });
    expect(proposal).toEqual({
      ok: true,
      value: { id: OTHER, name: 'Badges', description: '', attributes: [{ name: 'floor', type: 'integer', multiValued: false }] },
    });
    expect(await invokeConsole(h, 'schemas.propose', { urn: 'urn:x:nothing' })).toEqual({
      ok: false,
      error: { code: 'invalid', message: 'urn: no undeclared attributes have been seen under "urn:x:nothing"', field: 'urn' },
    });
    // checkOnly changes nothing.
    if (!proposal.ok) throw new Error('no proposal');
    expect(await invokeConsole(h, 'schemas.declare', { declaration: proposal.value, checkOnly: true })).toMatchObject({
      ok: true,
      value: { applied: false, total: 0 },
    });
    expect(t.node.extensions.list().map((d) => d.id)).toEqual([EXT]);
    expect(await invokeConsole(h, 'schemas.remove', { urn: EXT })).toEqual({ ok: true, value: { removed: true } });
    expect(t.node.extensions.list()).toEqual([]);
  });

  it('member detail lists each extension with its values and whether it is declared', async () => {
    const t = await testNode();
    t.node.extensions.declare({ id: EXT, attributes: [{ name: 'costCenter', type: 'string' }] });
    const u = await t.scim('POST', '/Users', {
      schemas: [USER, ENTERPRISE, EXT],
      userName: 'a@x',
      [ENTERPRISE]: { department: 'Sales' },
      [EXT]: { costCenter: '42' },
      [OTHER]: { floor: 3 },
    });
    const detail = await invokeConsole(handlers(t), 'members.get', { id: String(u.body?.id) });
    if (!detail.ok) throw new Error(detail.error.message);
    expect(detail.value.extensions).toEqual([
      { urn: ENTERPRISE, declared: true, attributes: [{ name: 'department', value: 'Sales' }] },
      { urn: EXT, declared: true, attributes: [{ name: 'costCenter', value: '42' }] },
      { urn: OTHER, declared: false, attributes: [{ name: 'floor', value: 3 }] },
    ]);
  });
});
