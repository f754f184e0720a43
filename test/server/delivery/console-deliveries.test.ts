import { describe, expect, it } from 'vitest';
import { invokeConsole } from '../../../server/console/handlers.js';
import type { Scheduler } from '../../../server/delivery/dispatcher.js';
import { consoleHandlers } from '../../helpers/console.js';
import { testNode, USER } from '../../helpers/node.js';
import { receiver } from './receiver.js';

const manual: Scheduler = { setTimeout: () => null, clearTimeout: () => {} };

async function setup() {
  const t = await testNode({ webhooks: { scheduler: manual } });
  const handlers = consoleHandlers(t.node, { scimUrl: () => t.base });
  return { t, call: <M extends Parameters<typeof invokeConsole>[1]>(m: M, p: unknown) => invokeConsole(handlers, m, p) };
}

describe('console deliveries.*', () => {
  it('adds, lists with lag, tests, rotates, disables, shows attempts and redelivers dead letters', async () => {
    const { t, call } = await setup();
    const rx = await receiver();
    rx.answer = 500;
    const added = await call('deliveries.add', { url: rx.url, label: 'CRM' });
    expect(added).toMatchObject({
      ok: true,
      value: { endpoint: { label: 'CRM', status: 'active' }, secret: expect.stringMatching(/^whsec_/) },
    });
    const id = added.ok ? added.value.endpoint.id : '';
    expect((await t.scim('POST', '/Users', { schemas: [USER], userName: 'a@example.com' })).status).toBe(201);
    await t.node.deliveries.drain();
    const listed = await call('deliveries.list', {});
    expect(listed).toMatchObject({ ok: true, value: [{ id, pendingEvents: 1, attempts: 1, lastStatus: 500 }] });
    const attempts = await call('deliveries.attempts', { id });
    expect(attempts).toMatchObject({ ok: true, value: [{ eventId: 1, status: 500, responseExcerpt: 'failure 500' }] });
    rx.answer = 204;
    expect(await call('deliveries.test', { id })).toMatchObject({ ok: true, value: { ok: true, status: 204, detail: 'HTTP 204' } });
    expect(await call('deliveries.rotateSecret', { id, graceHours: 1 })).toMatchObject({
      ok: true,
      value: { secret: expect.stringMatching(/^whsec_/) },
    });
    expect(await call('deliveries.setEnabled', { id, enabled: false })).toMatchObject({ ok: true, value: { status: 'disabled' } });
    expect(await call('deliveries.setEnabled', { id })).toEqual({
      ok: false,
      error: { code: 'invalid', message: 'enabled is required', field: 'enabled' },
    });
    expect(await call('deliveries.redeliver', { id, deadLetters: true })).toEqual({ ok: true, value: { requeued: 0 } });
    expect(await call('deliveries.deadLetters', { id })).toEqual({ ok: true, value: [] });
    expect(await call('deliveries.add', { url: 'ftp://x' })).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await call('deliveries.list', { nope: 1 })).toMatchObject({ ok: true });
    expect(await call('deliveries.attempts', { id: 'missing' })).toEqual({
      ok: false,
      error: { code: 'invalid', message: 'no webhook endpoint with id missing' },
    });
    expect(await call('deliveries.remove', { id })).toEqual({ ok: true, value: { removed: true } });
  });

  it('the event detail of a SCIM request lists the downstream events it produced', async () => {
    const { t, call } = await setup();
    const r = await t.scim('POST', '/Users', { schemas: [USER], userName: 'b@example.com', active: false });
    t.node.flushEvents();
    const row = t.node.events.list({}, { limit: 1 }).items[0];
    const detail = await call('events.get', { id: row?.id });
    expect(detail).toMatchObject({
      ok: true,
      value: {
        downstream: [
          { id: 1, type: 'user.created', subject: r.body?.id },
          { id: 2, type: 'user.deactivated', subject: r.body?.id },
        ],
      },
    });
  });
});
