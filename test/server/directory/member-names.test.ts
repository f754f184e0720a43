import { describe, expect, it } from 'vitest';
import { GROUP, testNode, USER } from '../../helpers/node.js';

describe('member names without a displayName', () => {
  it('finds and names a member by name.givenName + familyName, or name.formatted', async () => {
    const t = await testNode();
    await t.scim('POST', '/Users', { schemas: [USER], userName: 'load12@example.com', name: { givenName: 'Load', familyName: 'User 12' } });
    await t.scim('POST', '/Users', { schemas: [USER], userName: 'f@example.com', name: { formatted: 'Ms. Frida Formatted' } });
    await t.scim('POST', '/Users', {
      schemas: [USER],
      userName: 'd@example.com',
      displayName: 'Dee Display',
      name: { givenName: 'Other' },
    });
    await t.scim('POST', '/Users', { schemas: [USER], userName: 'bare@example.com' });

    const found = t.node.members.list({ search: 'Load User 12' });
    expect(found.items.map((m) => [m.userName, m.displayName])).toEqual([['load12@example.com', 'Load User 12']]);
    expect(t.node.members.list({ search: 'frida' }).items.map((m) => [m.userName, m.displayName])).toEqual([
      ['f@example.com', 'Ms. Frida Formatted'],
    ]);
    // displayName wins when present; a member with no name at all has none.
    expect(t.node.members.list({ search: 'd@' }).items.map((m) => m.displayName)).toEqual(['Dee Display']);
    expect(t.node.members.list({ search: 'bare' }).items.map((m) => m.displayName)).toEqual([null]);
  });

  it("lists a group's members with their names, userNames and status", async () => {
    const t = await testNode();
    const a = await t.scim('POST', '/Users', { schemas: [USER], userName: 'a@example.com', name: { givenName: 'Ann', familyName: 'A' } });
    const b = await t.scim('POST', '/Users', { schemas: [USER], userName: 'b@example.com', active: false });
    const sub = await t.scim('POST', '/Groups', { schemas: [GROUP], displayName: 'Sub' });
    const g = await t.scim('POST', '/Groups', {
      schemas: [GROUP],
      displayName: 'Staff',
      members: [{ value: a.body?.id }, { value: b.body?.id }, { value: sub.body?.id }],
    });
    expect(g.status).toBe(201);
    expect(t.node.overview.groupMembers(String(g.body?.id), 10, 0)).toEqual({
      total: 3,
      items: [
        { value: a.body?.id, type: 'User', display: 'Ann A', userName: 'a@example.com', active: true },
        // Ordered by display text, binary: "Sub" sorts before "b@…".
        { value: sub.body?.id, type: 'Group', display: 'Sub', userName: null, active: null },
        { value: b.body?.id, type: 'User', display: 'b@example.com', userName: 'b@example.com', active: false },
      ],
    });
  });
});
