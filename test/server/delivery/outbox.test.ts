import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import type { ChangeEvent } from '../../../server/delivery/outbox.js';
import { newContext } from '../../../server/events/request-context.js';
import { GROUP, PATCH_OP, type TestNode, testNode, USER } from '../../helpers/node.js';

const patch = (Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });
const all = (t: TestNode): ChangeEvent[] => t.node.feed.page(0, 10_000);
const typesSince = (t: TestNode, after: number): string[] => t.node.feed.page(after, 10_000).map((e) => e.type);

async function created(t: TestNode, path: string, body: unknown): Promise<string> {
  const r = await t.scim('POST', path, body);
  expect(r.status).toBe(201);
  return String(r.body?.id);
}

interface World {
  t: TestNode;
  alice: string;
  bob: string;
  eng: string;
}

async function world(): Promise<World> {
  const t = await testNode();
  t.node.roles.setMapping('Engineering', 'publisher', { kind: 'console', requestId: null, tokenId: null });
  const alice = await created(t, '/Users', {
    schemas: [USER],
    userName: 'alice@example.com',
    displayName: 'Alice',
    emails: [{ value: 'alice@example.com', primary: true }],
  });
  const bob = await created(t, '/Users', { schemas: [USER], userName: 'bob@example.com' });
  const eng = await created(t, '/Groups', { schemas: [GROUP], displayName: 'Engineering', members: [{ value: alice }] });
  return { t, alice, bob, eng };
}

/**
 * Every write path, with the exact events it must append: SCIM requests, console/CLI member add and
 * link, and mapping edits. A path that changes the directory without its event fails here.
 */
const OPERATIONS: { name: string; run(w: World): Promise<unknown>; expected: string[] }[] = [
  {
    name: 'SCIM POST /Users',
    run: (w) => created(w.t, '/Users', { schemas: [USER], userName: 'carol@example.com' }),
    expected: ['user.created'],
  },
  {
    name: 'SCIM POST /Users with active false',
    run: (w) => created(w.t, '/Users', { schemas: [USER], userName: 'dan@example.com', active: false }),
    expected: ['user.created', 'user.deactivated'],
  },
  {
    name: 'SCIM PUT /Users (two attributes change)',
    run: (w) => w.t.scim('PUT', `/Users/${w.bob}`, { schemas: [USER], userName: 'bob@example.com', displayName: 'Bob', title: 'Eng' }),
    expected: ['user.updated'],
  },
  {
    name: 'SCIM PATCH /Users active false',
    run: (w) => w.t.scim('PATCH', `/Users/${w.alice}`, patch([{ op: 'replace', value: { active: false } }])),
    expected: ['user.deactivated', 'user.role_changed'],
  },
  {
    name: 'SCIM PATCH /Users with no change',
    run: (w) => w.t.scim('PATCH', `/Users/${w.bob}`, patch([{ op: 'replace', path: 'userName', value: 'bob@example.com' }])),
    expected: [],
  },
  {
    name: 'SCIM PATCH /Users password only (applications never see it)',
    run: (w) => w.t.scim('PATCH', `/Users/${w.bob}`, patch([{ op: 'replace', path: 'password', value: 'Secret-123456' }])),
    expected: [],
  },
  {
    name: 'SCIM DELETE /Users of a mapped member',
    run: (w) => w.t.scim('DELETE', `/Users/${w.alice}`),
    expected: ['user.role_changed', 'group.member_removed', 'user.deleted'],
  },
  {
    name: 'SCIM POST /Groups with a member',
    run: (w) => created(w.t, '/Groups', { schemas: [GROUP], displayName: 'Sales', members: [{ value: w.bob }] }),
    expected: ['group.created', 'group.member_added'],
  },
  {
    name: 'SCIM PATCH /Groups add member to a mapped group',
    run: (w) => w.t.scim('PATCH', `/Groups/${w.eng}`, patch([{ op: 'add', path: 'members', value: [{ value: w.bob }] }])),
    expected: ['group.member_added', 'user.role_changed'],
  },
  {
    name: 'SCIM PATCH /Groups remove member',
    run: (w) => w.t.scim('PATCH', `/Groups/${w.eng}`, patch([{ op: 'remove', path: `members[value eq "${w.alice}"]` }])),
    expected: ['group.member_removed', 'user.role_changed'],
  },
  {
    name: 'SCIM PATCH /Groups rename away from the mapping',
    run: (w) => w.t.scim('PATCH', `/Groups/${w.eng}`, patch([{ op: 'replace', path: 'displayName', value: 'Eng' }])),
    expected: ['group.updated', 'user.role_changed'],
  },
  {
    name: 'SCIM PUT /Groups replacing the members',
    run: (w) => w.t.scim('PUT', `/Groups/${w.eng}`, { schemas: [GROUP], displayName: 'Engineering', members: [{ value: w.bob }] }),
    expected: ['group.member_removed', 'group.member_added', 'user.role_changed', 'user.role_changed'],
  },
  {
    name: 'SCIM DELETE /Groups',
    run: (w) => w.t.scim('DELETE', `/Groups/${w.eng}`),
    expected: ['group.deleted', 'user.role_changed'],
  },
  {
    name: 'console member add',
    run: async (w) => w.t.node.members.add({ email: 'eve@example.com' }, newContext(randomUUID(), 'console')),
    expected: ['user.created'],
  },
  {
    name: 'CLI link of a member to an externalId',
    run: (w) => w.t.node.members.link({ userId: w.bob, externalId: 'okta-bob' }, w.t.base, newContext(randomUUID(), 'cli')),
    expected: ['user.updated'],
  },
  {
    name: 'console suspend',
    run: (w) => w.t.node.members.setActive(w.bob, false, w.t.base, newContext(randomUUID(), 'console')),
    expected: ['user.deactivated'],
  },
  {
    name: 'mapping edit that changes a role',
    run: async (w) => w.t.node.roles.setMapping('Engineering', 'admin', { kind: 'console', requestId: null, tokenId: null }),
    expected: ['user.role_changed'],
  },
  {
    name: 'mapping edit that changes no role',
    run: async (w) => w.t.node.roles.setMapping('Nobody', 'admin', { kind: 'cli', requestId: null, tokenId: null }),
    expected: [],
  },
  {
    name: 'a mapping preview (rolled back)',
    run: async (w) => w.t.node.roles.preview('Engineering', null),
    expected: [],
  },
  {
    name: 'a PATCH that fails half-way (400) appends nothing',
    run: async (w) => {
      const r = await w.t.scim(
        'PATCH',
        `/Groups/${w.eng}`,
        patch([
          { op: 'add', path: 'members', value: [{ value: w.bob }] },
          { op: 'add', path: 'members', value: [{ value: 'no-such-user' }] },
        ]),
      );
      expect(r.status).toBe(400);
    },
    expected: [],
  },
  {
    name: 'a create that conflicts (409) appends nothing',
    run: async (w) => expect((await w.t.scim('POST', '/Users', { schemas: [USER], userName: 'bob@example.com' })).status).toBe(409),
    expected: [],
  },
];

describe('change feed: the transactional outbox', () => {
  it.each(OPERATIONS)('$name', async (op) => {
    const w = await world();
    const before = w.t.node.feed.newestId();
    await op.run(w);
    expect(typesSince(w.t, before)).toEqual(op.expected);
  });

  it('the setup itself is in the feed, ids increase, and each event has the documented envelope', async () => {
    const { t, alice, eng } = await world();
    const events = all(t);
    expect(events.map((e) => e.type)).toEqual(['user.created', 'user.created', 'group.created', 'group.member_added', 'user.role_changed']);
    expect(events.map((e) => e.id)).toEqual([1, 2, 3, 4, 5]);
    const first = events[0] as ChangeEvent;
    expect(Object.keys(first).sort()).toEqual(['actor', 'data', 'id', 'occurredAt', 'requestId', 'type']);
    expect(first.actor).toEqual({ kind: 'scim', tokenId: t.node.tokens.list()[0]?.id });
    expect(first.data).toMatchObject({ id: alice, userName: 'alice@example.com', displayName: 'Alice', active: true, groups: [] });
    expect(events[3]?.data).toEqual({
      group: { id: eng, displayName: 'Engineering' },
      member: { type: 'user', id: alice, userName: 'alice@example.com' },
    });
    expect(events[4]).toMatchObject({
      data: { id: alice, role: 'publisher', roleSource: 'Engineering', groups: [{ id: eng, displayName: 'Engineering' }] },
      previous: { role: null },
      cause: { group: 'Engineering', mapping: 'Engineering → publisher' },
    });
  });

  it('user.updated carries the previous values of the changed attributes, and the request id of the SCIM request', async () => {
    const { t, bob } = await world();
    const before = t.node.feed.newestId();
    const r = await t.scim('PATCH', `/Users/${bob}`, patch([{ op: 'replace', value: { displayName: 'Robert', title: 'CTO' } }]));
    expect(r.status).toBe(200);
    const [e] = t.node.feed.page(before, 10);
    expect(e).toMatchObject({
      type: 'user.updated',
      data: { id: bob, displayName: 'Robert' },
      previous: { displayName: null, title: null },
    });
    t.node.flushEvents();
    const logged = t.node.events.list({}, { limit: 1 }).items[0];
    expect(e?.requestId).toBe(logged?.requestId);
    expect(t.node.feed.byRequest(String(logged?.requestId)).map((x) => x.id)).toEqual([e?.id]);
  });

  it('a member add/remove event names its group without counting its members, so its cost does not grow with the group', async () => {
    const { t, bob, eng } = await world();
    // group.member_added/removed carry the group's id and displayName only: the full application
    // view (memberCount, a COUNT over every member) is for group.created/updated/deleted.
    const fullView = vi.spyOn(t.repos.directoryRead, 'group');
    const before = t.node.feed.newestId();
    expect((await t.scim('PATCH', `/Groups/${eng}`, patch([{ op: 'add', path: 'members', value: [{ value: bob }] }]))).status).toBe(204);
    expect((await t.scim('PATCH', `/Groups/${eng}`, patch([{ op: 'remove', path: `members[value eq "${bob}"]` }]))).status).toBe(204);
    expect(fullView).not.toHaveBeenCalled();
    const member = { type: 'user', id: bob, userName: 'bob@example.com' };
    expect(t.node.feed.page(before, 10).map((e) => [e.type, e.data])).toEqual([
      ['group.member_added', { group: { id: eng, displayName: 'Engineering' }, member }],
      ['user.role_changed', expect.objectContaining({ id: bob, role: 'publisher' })],
      ['group.member_removed', { group: { id: eng, displayName: 'Engineering' }, member }],
      ['user.role_changed', expect.objectContaining({ id: bob, role: null })],
    ]);
    // A rename in the same PATCH: the member event names the group as the write leaves it.
    const both = patch([
      { op: 'replace', path: 'displayName', value: 'Platform' },
      { op: 'add', path: 'members', value: [{ value: bob }] },
    ]);
    const mark = t.node.feed.newestId();
    expect((await t.scim('PATCH', `/Groups/${eng}`, both)).status).toBe(204);
    const events = t.node.feed.page(mark, 10);
    expect(events.find((e) => e.type === 'group.member_added')?.data).toEqual({ group: { id: eng, displayName: 'Platform' }, member });
    expect(events.find((e) => e.type === 'group.updated')).toMatchObject({
      data: { id: eng, displayName: 'Platform', memberCount: 2 },
      previous: { displayName: 'Engineering' },
    });
  });

  it('user.deleted carries the user as it was, and console and CLI actions name their actor', async () => {
    const { t, alice } = await world();
    const before = t.node.feed.newestId();
    const ctx = newContext(randomUUID(), 'console');
    await t.node.members.setActive(alice, false, t.base, ctx);
    expect(t.node.feed.page(before, 10)[0]).toMatchObject({
      type: 'user.deactivated',
      actor: { kind: 'console' },
      requestId: ctx.requestId,
    });
    await t.scim('DELETE', `/Users/${alice}`);
    const deleted = t.node.feed.page(before, 10).find((e) => e.type === 'user.deleted');
    expect(deleted?.data).toMatchObject({ id: alice, userName: 'alice@example.com', active: false });
  });
});
