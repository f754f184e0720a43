import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { invokeConsole } from '../../../server/console/handlers.js';
import { ExternalIdReplaceRefused } from '../../../server/directory/members.js';
import { newContext } from '../../../server/events/request-context.js';
import { startNode } from '../../../server/node.js';
import { cli } from '../../helpers/cli.js';
import { consoleHandlers } from '../../helpers/console.js';
import { GROUP, type TestNode, testNode, USER } from '../../helpers/node.js';

const CONSOLE = { kind: 'console', requestId: null, tokenId: null } as const;
const ctx = () => newContext(randomUUID(), 'console');

/** The case: alice is provisioned by Okta as 00u1alice and is an admin through her group. */
async function aliceAndIntruder(t: TestNode): Promise<{ aliceId: string; conflictId: number; aliceCreatedAt: string }> {
  t.node.roles.setMapping('Admins', 'admin', CONSOLE);
  const alice = await t.scim('POST', '/Users', { schemas: [USER], userName: 'alice@example.com', externalId: '00u1alice' });
  expect(alice.status).toBe(201);
  const aliceId = String(alice.body?.id);
  expect((await t.scim('POST', '/Groups', { schemas: [GROUP], displayName: 'Admins', members: [{ value: aliceId }] })).status).toBe(201);
  const clash = await t.scim('POST', '/Users', { schemas: [USER], userName: 'ALICE@example.com', externalId: '00u2other', active: true });
  expect(clash.status).toBe(409);
  expect(clash.body).toMatchObject({ status: '409', scimType: 'uniqueness' });
  t.node.flushEvents();
  const [created] = t.node.events.list({ resourceId: aliceId, statusClass: 2, method: 'POST' }, { limit: 1 }).items;
  const [c] = t.node.members.conflicts();
  return { aliceId, conflictId: c?.id ?? 0, aliceCreatedAt: created?.time ?? '' };
}

const handlersOf = (t: TestNode) => consoleHandlers(t.node, { scimUrl: () => t.base });

describe('conflict review', () => {
  it('shows the existing member beside the incoming payload: userName, externalId, status, role, last IdP activity', async () => {
    const t = await testNode();
    const { aliceId, conflictId, aliceCreatedAt } = await aliceAndIntruder(t);
    const [c] = t.node.members.conflicts();
    expect(c).toMatchObject({
      id: conflictId,
      status: 'open',
      existingUserId: aliceId,
      dismissReason: null,
      existing: {
        userName: 'alice@example.com',
        externalId: '00u1alice',
        active: true,
        role: 'admin',
        lastIdpActivity: expect.any(String),
      },
      incoming: { userName: 'ALICE@example.com', externalId: '00u2other', active: true, role: null, lastIdpActivity: c?.time },
    });
    // The last IdP activity is alice's last successful request (the group add), never the 409 itself.
    expect(c?.existing?.lastIdpActivity && c.existing.lastIdpActivity >= aliceCreatedAt).toBe(true);
    expect(c?.existing?.lastIdpActivity && c.existing.lastIdpActivity <= c.time).toBe(true);
  });
});

describe('linking over an externalId that is already set', () => {
  it('is refused without confirmation, saying what would change, and changes nothing', async () => {
    const t = await testNode();
    const { aliceId, conflictId } = await aliceAndIntruder(t);
    const refused = t.node.members.link({ conflictId }, t.base, ctx());
    await expect(refused).rejects.toBeInstanceOf(ExternalIdReplaceRefused);
    await expect(t.node.members.link({ conflictId }, t.base, ctx())).rejects.toMatchObject({
      status: 409,
      scimType: 'uniqueness',
      detail:
        'externalId 00u1alice → 00u2other for alice@example.com; role admin stays. Replacing an externalId that is already set needs explicit confirmation',
    });
    expect(t.repos.users.get(aliceId)?.externalId).toBe('00u1alice');
    expect(t.repos.conflicts.get(conflictId)?.status).toBe('open');
    // The IdP still finds alice by her own id.
    const found = await t.scim('GET', '/Users?filter=externalId%20eq%20%2200u1alice%22');
    expect(found.body?.totalResults).toBe(1);

    const viaConsole = await invokeConsole(handlersOf(t), 'conflicts.link', { conflictId });
    expect(viaConsole).toEqual({
      ok: false,
      error: {
        code: 'conflict',
        message:
          'externalId 00u1alice → 00u2other for alice@example.com; role admin stays. Replacing an externalId that is already set needs explicit confirmation',
      },
    });
    expect(t.repos.users.get(aliceId)?.externalId).toBe('00u1alice');
  });

  it('replaces with explicit confirmation, audits the old value and closes the conflict', async () => {
    const t = await testNode();
    const { aliceId, conflictId } = await aliceAndIntruder(t);
    const linked = await invokeConsole(handlersOf(t), 'conflicts.link', { conflictId, replace: true });
    expect(linked).toMatchObject({ ok: true, value: { id: aliceId, externalId: '00u2other', role: 'admin' } });
    expect(t.repos.users.get(aliceId)?.externalId).toBe('00u2other');
    expect(t.repos.conflicts.get(conflictId)).toMatchObject({ status: 'linked', dismissReason: null });
    const audit = t.node.roles.history(aliceId).find((h) => h.kind === 'member.linked');
    expect(audit?.detail).toEqual({ externalId: '00u2other', replaced: '00u1alice', conflictId });
  });

  it('still links a member without externalId in one step', async () => {
    const t = await testNode();
    const pat = t.node.members.add({ email: 'pat@example.com' }, ctx());
    expect((await t.scim('POST', '/Users', { schemas: [USER], userName: 'pat@example.com', externalId: '00u-pat' })).status).toBe(409);
    const [c] = t.node.members.conflicts();
    expect(c?.existing).toMatchObject({ externalId: null, lastIdpActivity: null });
    expect(await t.node.members.link({ conflictId: c?.id ?? 0 }, t.base, ctx())).toMatchObject({ id: pat.id, externalId: '00u-pat' });
  });
});

describe('dismissing a conflict', () => {
  it('needs a reason, keeps it, and closes the conflict once', async () => {
    const t = await testNode();
    const { aliceId, conflictId } = await aliceAndIntruder(t);
    const h = handlersOf(t);
    expect(await invokeConsole(h, 'conflicts.dismiss', { conflictId, reason: '  ' })).toEqual({
      ok: false,
      error: { code: 'invalid', message: 'reason is required', field: 'reason' },
    });
    expect(() => t.node.members.dismiss(conflictId, ' ')).toThrow('dismissing a conflict needs a reason');
    expect(() => t.node.members.dismiss(conflictId, 'x'.repeat(501))).toThrow('a reason is at most 500 characters');
    expect(t.repos.conflicts.get(conflictId)?.status).toBe('open');

    const done = await invokeConsole(h, 'conflicts.dismiss', {
      conflictId,
      reason: 'a different person; ask Okta admin to fix the userName',
    });
    expect(done).toMatchObject({
      ok: true,
      value: { id: conflictId, status: 'dismissed', dismissReason: 'a different person; ask Okta admin to fix the userName' },
    });
    expect(t.node.members.conflicts()).toEqual([]);
    expect(t.node.members.conflicts('dismissed').map((c) => c.dismissReason)).toEqual([
      'a different person; ask Okta admin to fix the userName',
    ]);
    expect(t.repos.users.get(aliceId)?.externalId).toBe('00u1alice');
    expect(await invokeConsole(h, 'conflicts.dismiss', { conflictId, reason: 'again' })).toEqual({
      ok: false,
      error: { code: 'not-found', message: `no open conflict with id ${conflictId}` },
    });
    expect(await invokeConsole(h, 'conflicts.link', { conflictId })).toEqual({
      ok: false,
      error: { code: 'not-found', message: `no open conflict with id ${conflictId}` },
    });
  });

  it('is the way out when the existing member was deleted since', async () => {
    const t = await testNode();
    const { aliceId, conflictId } = await aliceAndIntruder(t);
    expect((await t.scim('DELETE', `/Users/${aliceId}`)).status).toBe(204);
    const [c] = t.node.members.conflicts();
    expect(c?.existing).toBeNull();
    await expect(t.node.members.link({ conflictId }, t.base, ctx(), { replace: true })).rejects.toMatchObject({
      status: 404,
      detail: `member "${aliceId}" no longer exists; dismiss the conflict instead`,
    });
    expect(t.node.members.dismiss(conflictId, 'member was deleted').status).toBe('dismissed');
  });
});

describe('scimdesk member link / dismiss', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('refuses to replace a set externalId without --replace (exit 1, nothing changed), replaces with it, and dismisses with a reason', async () => {
    const data = mkdtempSync(join(tmpdir(), 'scimdesk-conflicts-cli-'));
    dirs.push(data);
    const node = startNode({ dbFile: join(data, 'scimdesk.db'), log: () => {} });
    let bob = '';
    try {
      const bobRow = node.members.add({ email: 'bob@example.com' }, ctx());
      bob = bobRow.id;
      await node.members.link({ userId: bob, externalId: '00u1bob' }, 'http://x', ctx());
    } finally {
      node.close();
    }
    const refused = await cli('member', 'link', '--user', bob, '--external-id', '00u2other', '--data', data);
    expect(refused.code).toBe(1);
    expect(refused.err).toBe(
      'scimdesk: externalId 00u1bob → 00u2other for bob@example.com; role none stays. Nothing changed; run again with --replace to confirm.\n',
    );
    const listed = await cli('members', 'list', '--json', '--data', data);
    expect(JSON.parse(listed.out)).toMatchObject([{ id: bob, externalId: '00u1bob' }]);

    const replaced = await cli('member', 'link', '--user', bob, '--external-id', '00u2other', '--replace', '--data', data);
    expect(replaced).toMatchObject({ code: 0, lines: ['Linked bob@example.com to externalId 00u2other.'] });

    const noReason = await cli('member', 'dismiss', '--conflict', '1', '--data', data);
    expect(noReason.code).toBe(1);
    expect(noReason.err).toContain("required option '--reason <text>' not specified");
    const missing = await cli('member', 'dismiss', '--conflict', '7', '--reason', 'test account', '--data', data);
    expect(missing).toMatchObject({ code: 1, err: 'scimdesk: no open conflict with id 7\n' });
  });
});
