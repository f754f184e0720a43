import { describe, expect, it } from 'vitest';
import { GROUP, type Harness, reportFailures, USER, useHarness } from './harness.js';

/**
 * Issue #17's data-integrity case in the browser: a create for ALICE@example.com with another
 * externalId meets alice (00u1alice, admin). The review shows both sides; replacing needs a
 * confirmation that says what changes; a second conflict is dismissed with a reason.
 */
let h: Harness;
useHarness((started) => {
  h = started;
});

describe('conflict review in the console', () => {
  reportFailures(
    () => h.serverLog.join('\n'),
    (name) => h.shot(name),
    'conflicts-failed-',
  );
  let aliceId = '';

  it('shows the existing member beside the incoming payload', async () => {
    const { token } = h.server.node.tokens.create({ label: 'Okta' });
    h.server.node.roles.setMapping('Admins', 'admin', { kind: 'console', requestId: null, tokenId: null });
    const alice = await h.scim(token, 'POST', '/Users', { schemas: [USER], userName: 'alice@example.com', externalId: '00u1alice' });
    aliceId = String(alice.body.id);
    expect(
      (await h.scim(token, 'POST', '/Groups', { schemas: [GROUP], displayName: 'Admins', members: [{ value: aliceId }] })).status,
    ).toBe(201);
    const clash = await h.scim(token, 'POST', '/Users', { schemas: [USER], userName: 'ALICE@example.com', externalId: '00u2other' });
    expect(clash.status).toBe(409);
    const carol = await h.scim(token, 'POST', '/Users', { schemas: [USER], userName: 'carol@example.com', externalId: '00u1carol' });
    expect(carol.status).toBe(201);
    expect((await h.scim(token, 'POST', '/Users', { schemas: [USER], userName: 'carol@example.com', externalId: '00u9test' })).status).toBe(
      409,
    );

    await h.login();
    await h.go('Members');
    const queue = h.page.getByRole('region', { name: 'Conflict queue' });
    await queue.getByRole('cell', { name: '00u2other' }).waitFor();
    await queue.getByRole('button', { name: 'Review conflict for ALICE@example.com' }).click();
    const dialog = h.page.getByRole('dialog', { name: 'Review conflict: ALICE@example.com' });
    const table = dialog.getByRole('table', { name: /existing member and incoming create/ });
    const row = (label: string) => table.getByRole('row', { name: new RegExp(`^${label}`) });
    await expect(row('userName').textContent()).resolves.toBe('userNamealice@example.comALICE@example.com');
    await expect(row('externalId').textContent()).resolves.toBe('externalId00u1alice00u2other');
    await expect(row('Status').textContent()).resolves.toBe('Statusactiveactive (not sent)');
    await expect(row('Role').textContent()).resolves.toBe('Roleadmindecided by groups');
    await expect(row('Last IdP activity').locator('time').count()).resolves.toBe(2);
    await h.shot('conflicts-01-side-by-side');
  });

  it('replaces an externalId only after a confirmation that says what changes', async () => {
    const dialog = h.page.getByRole('dialog', { name: 'Review conflict: ALICE@example.com' });
    await dialog.getByRole('button', { name: 'Replace externalId…' }).click();
    const confirm = dialog.getByRole('alert');
    await confirm.getByText('externalId 00u1alice → 00u2other for alice@example.com; role admin stays').waitFor();
    await h.shot('conflicts-02-confirm');
    // Nothing changed yet.
    expect(h.server.node.members.list({ search: 'alice@' }).items[0]?.externalId).toBe('00u1alice');
    await confirm.getByRole('button', { name: 'Replace externalId' }).click();
    await dialog.waitFor({ state: 'detached' });
    const queue = h.page.getByRole('region', { name: 'Conflict queue' });
    await queue.getByRole('cell', { name: '00u2other' }).waitFor({ state: 'detached' });
    expect(h.server.node.members.list({ search: 'alice@' }).items[0]).toMatchObject({
      id: aliceId,
      externalId: '00u2other',
      role: 'admin',
    });
  });

  it('dismisses a conflict with a reason', async () => {
    const queue = h.page.getByRole('region', { name: 'Conflict queue' });
    await queue.getByRole('button', { name: 'Review conflict for carol@example.com' }).click();
    const dialog = h.page.getByRole('dialog', { name: 'Review conflict: carol@example.com' });
    await dialog.getByRole('button', { name: 'Dismiss…' }).click();
    const form = dialog.getByRole('form', { name: 'Dismiss conflict' });
    await form.getByLabel('Reason (kept with the conflict)').fill('test account in Okta; carol keeps 00u1carol');
    await h.shot('conflicts-03-dismiss');
    await form.getByRole('button', { name: 'Dismiss conflict' }).click();
    await queue.getByText('No conflicts waiting').waitFor();
    await h.shot('conflicts-04-queue-empty');
    expect(h.server.node.members.conflicts('dismissed').map((c) => [c.userName, c.dismissReason])).toEqual([
      ['carol@example.com', 'test account in Okta; carol keeps 00u1carol'],
    ]);
    expect(h.server.node.members.list({ search: 'carol@' }).items[0]?.externalId).toBe('00u1carol');
  });

  it('logged no console errors or warnings', () => {
    expect(h.problems).toEqual([]);
  });
});
