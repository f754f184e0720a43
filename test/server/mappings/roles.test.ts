import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newContext } from '../../../server/events/request-context.js';
import { GROUP, PATCH_OP, type TestNode, testNode, USER } from '../../helpers/node.js';

const CONSOLE = { kind: 'console', requestId: null, tokenId: null } as const;

async function user(t: TestNode, userName: string, extra: Record<string, unknown> = {}): Promise<string> {
  const r = await t.scim('POST', '/Users', { schemas: [USER], userName, ...extra });
  expect(r.status).toBe(201);
  return String(r.body?.id);
}

async function group(t: TestNode, displayName: string, members: string[] = []): Promise<string> {
  const r = await t.scim('POST', '/Groups', { schemas: [GROUP], displayName, members: members.map((value) => ({ value })) });
  expect(r.status).toBe(201);
  return String(r.body?.id);
}

const patch = (Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });
const roleOf = (t: TestNode, id: string) => t.repos.roles.currentRole(id)?.role ?? null;

describe('group → role mappings', () => {
  it('a user moved between IdP groups changes role within the same request, and the change is audited with its cause', async () => {
    const t = await testNode();
    t.node.roles.setMapping('Engineering', 'publisher', CONSOLE);
    t.node.roles.setMapping('Admins', 'admin', CONSOLE);
    const u = await user(t, 'mover@example.com');
    const eng = await group(t, 'Engineering', [u]);
    const adm = await group(t, 'Admins');
    expect(roleOf(t, u)).toBe('publisher');

    // Okta Group Push: remove from one group, add to the other; each PATCH decides the role at once.
    const removed = await t.scim('PATCH', `/Groups/${eng}`, patch([{ op: 'remove', path: `members[value eq "${u}"]` }]));
    expect(removed.status).toBe(204);
    expect(roleOf(t, u)).toBeNull();
    const added = await t.scim('PATCH', `/Groups/${adm}`, patch([{ op: 'add', path: 'members', value: [{ value: u }] }]));
    expect(added.status).toBe(204);
    expect(roleOf(t, u)).toBe('admin');

    const requestId = added.headers.get('x-request-id');
    const history = t.node.roles.history(u);
    const last = history[0];
    expect(last).toMatchObject({ kind: 'role.changed', oldRole: null, newRole: 'admin', groupName: 'Admins', actor: 'scim', requestId });
    expect(last?.tokenId).toBe(t.node.tokens.list()[0]?.id);
    // The event log row of that request carries the derived role change too.
    t.node.flushEvents();
    const [event] = t.repos.events.list({ requestId: requestId ?? '', limit: 1 });
    expect(event?.changes).toContainEqual({
      kind: 'role.changed',
      userId: u,
      from: null,
      to: 'admin',
      group: 'Admins',
      mapping: 'Admins → admin',
    });
  });

  it('the highest privilege wins across several mapped groups, including nested ones', async () => {
    const t = await testNode();
    t.node.roles.setMapping('Readers', 'member', CONSOLE);
    t.node.roles.setMapping('Publishers', 'publisher', CONSOLE);
    const u = await user(t, 'multi@example.com');
    await group(t, 'Readers', [u]);
    const inner = await group(t, 'Inner', [u]);
    expect(roleOf(t, u)).toBe('member');
    await group(t, 'Publishers', [inner]);
    expect(roleOf(t, u)).toBe('publisher');
    expect(t.node.roles.explain(u)).toMatchObject({ role: 'publisher', group: 'Publishers', suspended: false });
  });

  it('matches displayName exactly: a case-mismatched group grants nothing and shows a near-miss warning', async () => {
    const t = await testNode();
    t.node.roles.setMapping('Localskills-admins', 'admin', CONSOLE);
    const u = await user(t, 'case@example.com');
    await group(t, 'localskills-admins', [u]);
    expect(roleOf(t, u)).toBeNull();
    expect(t.node.roles.warnings()).toEqual([
      {
        kind: 'near-miss',
        mapping: 'Localskills-admins',
        group: 'localskills-admins',
        message: 'group "localskills-admins" differs from mapping "Localskills-admins" only by case or spacing; it grants no role',
      },
      { kind: 'missing', mapping: 'Localskills-admins', message: 'no group named "Localskills-admins" has been pushed by the IdP' },
    ]);
  });

  it('follows a group rename: the role goes, and the mapping warns where the group went', async () => {
    const t = await testNode();
    t.node.roles.setMapping('Eng', 'publisher', CONSOLE);
    const u = await user(t, 'rename@example.com');
    const g = await group(t, 'Eng', [u]);
    const r = await t.scim('PATCH', `/Groups/${g}`, patch([{ op: 'replace', value: { id: g, displayName: 'Engineering' } }]));
    expect(r.status).toBe(204);
    expect(roleOf(t, u)).toBeNull();
    expect(t.node.roles.warnings()).toEqual([
      { kind: 'renamed', mapping: 'Eng', group: 'Engineering', message: 'mapped group "Eng" was renamed to "Engineering" by the IdP' },
    ]);
  });

  it('previews a mapping edit without applying it, then applies and audits it', async () => {
    const t = await testNode();
    const a = await user(t, 'a@example.com');
    const b = await user(t, 'b@example.com');
    await group(t, 'Staff', [a, b]);
    const preview = t.node.roles.preview('Staff', 'member');
    expect(preview.map((d) => [d.userName, d.from, d.to])).toEqual([
      ['a@example.com', null, 'member'],
      ['b@example.com', null, 'member'],
    ]);
    expect(roleOf(t, a)).toBeNull();
    expect(t.node.roles.mappings()).toEqual([]);
    const applied = t.node.roles.setMapping('Staff', 'member', CONSOLE);
    expect(applied).toHaveLength(2);
    expect(roleOf(t, a)).toBe('member');
    expect(t.node.roles.history(a)[0]).toMatchObject({
      kind: 'role.changed',
      newRole: 'member',
      actor: 'console',
      mapping: 'Staff → member',
    });
  });

  it('holds no role while deactivated and gets it back on reactivation', async () => {
    const t = await testNode();
    t.node.roles.setMapping('Team', 'publisher', CONSOLE);
    const u = await user(t, 'sleepy@example.com');
    await group(t, 'Team', [u]);
    expect(roleOf(t, u)).toBe('publisher');
    const off = await t.scim('PATCH', `/Users/${u}`, patch([{ op: 'replace', value: { active: false } }]));
    expect(off.status).toBe(200);
    expect(off.body?.active).toBe(false);
    expect(roleOf(t, u)).toBeNull();
    // History is kept: still a member of the group while suspended.
    const got = await t.scim('GET', `/Users/${u}`);
    expect(((got.body?.groups ?? []) as { display: string }[]).map((g) => g.display)).toEqual(['Team']);
    const on = await t.scim('PATCH', `/Users/${u}`, patch([{ op: 'replace', value: { active: true } }]));
    expect(on.status).toBe(200);
    expect(roleOf(t, u)).toBe('publisher');
    expect(t.node.roles.history(u).map((h) => h.kind)).toEqual([
      'role.changed',
      'user.reactivated',
      'role.changed',
      'user.deactivated',
      'role.changed',
      'user.created',
    ]);
  });
});

describe('lifecycle and delete policy', () => {
  it('retains a tombstone by default that the API never returns, and frees the userName', async () => {
    const t = await testNode();
    t.node.roles.setMapping('Team', 'admin', CONSOLE);
    const u = await user(t, 'gone@example.com', { externalId: 'ext-1' });
    await group(t, 'Team', [u]);
    expect((await t.scim('DELETE', `/Users/${u}`)).status).toBe(204);
    expect((await t.scim('GET', `/Users/${u}`)).status).toBe(404);
    const tomb = t.db.prepare('SELECT user_name, external_id FROM user_tombstones WHERE id = ?').get(u);
    expect(tomb).toEqual({ user_name: 'gone@example.com', external_id: 'ext-1' });
    expect(t.node.roles.history(u).map((h) => [h.kind, h.oldRole, h.newRole])).toEqual([
      ['user.deleted', null, null],
      ['role.changed', 'admin', null],
      ['role.changed', null, 'admin'],
      ['user.created', null, null],
    ]);
    expect((await t.scim('POST', '/Users', { schemas: [USER], userName: 'gone@example.com' })).status).toBe(201);
  });

  it('hard-deletes when the policy says so', async () => {
    const t = await testNode({ settings: { deletePolicy: 'hard' } });
    const u = await user(t, 'erase@example.com');
    expect((await t.scim('DELETE', `/Users/${u}`)).status).toBe(204);
    expect(t.db.prepare('SELECT count(*) AS n FROM user_tombstones').get()).toEqual({ n: 0 });
  });
});

describe('conflicts and linking', () => {
  it('answers 409 uniqueness for a pre-existing member, queues the conflict, and the IdP lookup finds the member after a link', async () => {
    const t = await testNode();
    const ctx = newContext(randomUUID(), 'cli');
    const existing = t.node.members.add({ email: 'pat@example.com', displayName: 'Pat' }, ctx);
    const body = {
      schemas: [USER],
      userName: 'pat@example.com',
      externalId: '00u-okta-1',
      password: 'Secret#1',
      name: { givenName: 'Pat' },
    };
    const first = await t.scim('POST', '/Users', body);
    expect(first.status).toBe(409);
    expect(first.body).toMatchObject({ status: '409', scimType: 'uniqueness' });
    const [c] = t.node.members.conflicts();
    expect(c).toMatchObject({ userName: 'pat@example.com', externalId: '00u-okta-1', existingUserId: existing.id, status: 'open' });
    expect(JSON.stringify(c?.payload)).not.toContain('Secret#1');
    // The IdP retries: the queue does not grow.
    expect((await t.scim('POST', '/Users', body)).status).toBe(409);
    expect(t.node.members.conflicts()).toHaveLength(1);

    const linked = await t.node.members.link({ conflictId: c?.id ?? 0 }, 'http://x', newContext(randomUUID(), 'console'));
    expect(linked).toMatchObject({ id: existing.id, externalId: '00u-okta-1' });
    expect(t.node.members.conflicts()).toEqual([]);
    // A repeated create stays a duplicate (RFC 7644 §3.3); the IdP's own lookup finds the member.
    expect((await t.scim('POST', '/Users', body)).body).toMatchObject({ status: '409', scimType: 'uniqueness' });
    expect(t.node.members.conflicts()).toEqual([]);
    const found = await t.scim('GET', '/Users?filter=externalId%20eq%20%2200u-okta-1%22');
    expect(found.body).toMatchObject({ totalResults: 1, Resources: [{ id: existing.id, userName: 'pat@example.com' }] });
    expect(t.node.roles.history(existing.id).map((h) => h.kind)).toContain('member.linked');
  });

  it('auto-links a member without externalId when the setting is on', async () => {
    const t = await testNode({ settings: { autoLink: true } });
    const existing = t.node.members.add({ email: 'auto@example.com' }, newContext(randomUUID(), 'cli'));
    const r = await t.scim('POST', '/Users', { schemas: [USER], userName: 'auto@example.com', externalId: 'e-9' });
    expect(r.status).toBe(201);
    expect(r.body?.id).toBe(existing.id);
    t.node.flushEvents();
    const [event] = t.repos.events.list({ requestId: r.headers.get('x-request-id') ?? '', limit: 1 });
    expect(event?.notes).toEqual([
      'userName "auto@example.com" existed without externalId: auto-linked to externalId "e-9" and reconciled',
    ]);
  });

  it('never auto-links over a different externalId', async () => {
    const t = await testNode({ settings: { autoLink: true } });
    await user(t, 'taken@example.com', { externalId: 'first' });
    const r = await t.scim('POST', '/Users', { schemas: [USER], userName: 'taken@example.com', externalId: 'second' });
    expect(r.status).toBe(409);
    expect(r.body?.scimType).toBe('uniqueness');
  });

  it('lists members with role, groups and the deciding mapping', async () => {
    const t = await testNode();
    t.node.roles.setMapping('Ops', 'publisher', CONSOLE);
    const u = await user(t, 'ops@example.com', { externalId: 'x1' });
    await group(t, 'Ops', [u]);
    await user(t, 'nobody@example.com');
    expect(t.node.members.list()).toEqual({
      total: 2,
      items: [
        {
          id: expect.any(String),
          userName: 'nobody@example.com',
          displayName: null,
          externalId: null,
          active: true,
          role: null,
          groups: [],
          roleSource: null,
          origin: 'scim',
        },
        {
          id: u,
          userName: 'ops@example.com',
          displayName: null,
          externalId: 'x1',
          active: true,
          role: 'publisher',
          groups: ['Ops'],
          roleSource: 'Ops',
          origin: 'scim',
        },
      ],
    });
  });
});
