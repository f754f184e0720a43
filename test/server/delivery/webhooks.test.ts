import { describe, expect, it } from 'vitest';
import { retryDelayMs } from '../../../server/delivery/backoff.js';
import type { Scheduler } from '../../../server/delivery/dispatcher.js';
import type { ChangeEvent } from '../../../server/delivery/outbox.js';
import { signatureHeader } from '../../../server/delivery/sign.js';
import { newContext } from '../../../server/events/request-context.js';
import { GROUP, type TestNode, testNode, USER } from '../../helpers/node.js';
import { receiver, verify } from './receiver.js';

const HOUR = 3_600_000;

/** A scheduler that never fires: tests call drain() and move the clock themselves. */
const manual: Scheduler = { setTimeout: () => null, clearTimeout: () => {} };

async function setup() {
  const clock = { now: Date.parse('2026-03-01T00:00:00Z') };
  const t = await testNode({ now: () => new Date(clock.now), webhooks: { scheduler: manual, random: () => 1 } });
  return { t, clock };
}

async function users(t: TestNode, n: number, from = 0): Promise<string[]> {
  const ids: string[] = [];
  for (let i = from; i < from + n; i++) {
    const r = await t.scim('POST', '/Users', { schemas: [USER], userName: `u${i}@example.com` });
    expect(r.status).toBe(201);
    ids.push(String(r.body?.id));
  }
  return ids;
}

const ids = (got: { body: string }[]) => got.map((g) => (JSON.parse(g.body) as ChangeEvent).id);

describe('webhook delivery', () => {
  it('POSTs each event once, in feed order, as the feed has it, signed and with its headers', async () => {
    const { t, clock } = await setup();
    const rx = await receiver();
    const { endpoint, secret } = t.node.webhooks.add({ url: rx.url, label: 'billing' });
    expect(secret).toMatch(/^whsec_[\w-]{43}$/);
    const [u] = await users(t, 3);
    await t.scim('POST', '/Groups', { schemas: [GROUP], displayName: 'Eng', members: [{ value: u }] });
    expect(await t.node.deliveries.drain()).toBe(5);
    const feed = t.node.feed.page(0, 100);
    expect(ids(rx.got)).toEqual(feed.map((e) => e.id));
    for (const [i, g] of rx.got.entries()) {
      const e = feed[i] as ChangeEvent;
      expect(g.body).toBe(JSON.stringify(e));
      expect(g.headers['content-type']).toBe('application/json');
      expect(g.headers['scimdesk-event-id']).toBe(String(e.id));
      expect(g.headers['scimdesk-event-type']).toBe(e.type);
      const sig = String(g.headers['scimdesk-signature']);
      const t0 = Math.floor(clock.now / 1000);
      expect(sig).toBe(signatureHeader([secret], g.body, t0));
      expect(verify(secret, sig, g.body, t0)).toBe(true);
      expect(verify(secret, sig, g.body, t0 + 301)).toBe(false);
      expect(verify('whsec_wrong', sig, g.body, t0)).toBe(false);
    }
    expect(await t.node.deliveries.drain()).toBe(0);
    expect(t.node.webhooks.get(endpoint.id)).toMatchObject({ status: 'active', pendingEvents: 0, lastStatus: 200, deadLettered: 0 });
    const attempts = t.node.webhooks.attempts(endpoint.id);
    expect(attempts).toHaveLength(5);
    expect(attempts[0]).toMatchObject({ status: 200, error: null, responseExcerpt: 'ok', eventType: 'group.member_added' });
  });

  it('one pass delivers a backlog longer than a feed page (no wait for the next poll between pages)', async () => {
    const { t } = await setup();
    const rx = await receiver();
    t.node.webhooks.add({ url: rx.url });
    for (let i = 0; i < 300; i++) t.node.members.add({ email: `m${i}@example.com` }, newContext(`r${i}`, 'cli'));
    expect(await t.node.deliveries.runOnce()).toBe(300);
    expect(ids(rx.got)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
  });

  it('an endpoint gets only the events its patterns select, and starts at the feed position it was added at', async () => {
    const { t } = await setup();
    await users(t, 1);
    const rx = await receiver();
    t.node.webhooks.add({ url: rx.url, events: 'group.*' });
    const [u] = await users(t, 1, 1);
    await t.scim('POST', '/Groups', { schemas: [GROUP], displayName: 'Eng', members: [{ value: u }] });
    await t.node.deliveries.drain();
    expect(rx.got.map((g) => (JSON.parse(g.body) as ChangeEvent).type)).toEqual(['group.created', 'group.member_added']);
  });

  it('a receiver outage: retries with backoff (first within 10 s), then every event arrives in order, none missing', async () => {
    const { t, clock } = await setup();
    const rx = await receiver();
    rx.answer = 500;
    const { endpoint } = t.node.webhooks.add({ url: rx.url });
    await users(t, 3);
    await t.node.deliveries.drain();
    expect(rx.got).toHaveLength(1); // one at a time: nothing after the failing head
    const ep = t.node.webhooks.get(endpoint.id);
    expect(ep).toMatchObject({ status: 'active', pendingEvents: 3, attempts: 1, lastStatus: 500 });
    expect(Date.parse(String(ep.nextAttemptAt)) - clock.now).toBeLessThanOrEqual(10_000);
    // A minute of outage, the clock moving on while provisioning continues.
    for (let s = 0; s < 60; s += 5) {
      clock.now += 5_000;
      await t.node.deliveries.drain();
    }
    await users(t, 2, 3);
    expect(rx.got.every((g) => (JSON.parse(g.body) as ChangeEvent).id === 1)).toBe(true);
    rx.answer = 200;
    clock.now += 5 * 60_000;
    await t.node.deliveries.drain();
    const ok = rx.got.filter((_, i) => i >= rx.got.length - 5);
    expect(ids(ok)).toEqual([1, 2, 3, 4, 5]);
    const failures = t.node.webhooks.attempts(endpoint.id, 100).filter((a) => a.status === 500);
    expect(failures.length).toBeGreaterThanOrEqual(4);
    expect(failures[0]).toMatchObject({ eventId: 1, error: 'HTTP 500', responseExcerpt: 'failure 500' });
    expect(t.node.webhooks.get(endpoint.id)).toMatchObject({ status: 'active', pendingEvents: 0, attempts: 0 });
  });

  it('backoff doubles from 5 s with jitter and is capped at 5 minutes', () => {
    expect(retryDelayMs(1, () => 1)).toBe(5_000);
    expect(retryDelayMs(1, () => 0)).toBe(2_500);
    expect(retryDelayMs(2, () => 1)).toBe(10_000);
    expect(retryDelayMs(7, () => 1)).toBe(300_000);
    expect(retryDelayMs(40, () => 1)).toBe(300_000);
  });

  it('a receiver that never comes back: dead letters after the retry window, failing, an alert; redeliver --dead-letters sends them once', async () => {
    const { t, clock } = await setup();
    const rx = await receiver();
    const url = rx.url;
    await rx.close(); // connection refused from now on
    const { endpoint } = t.node.webhooks.add({ url });
    await users(t, 2);
    for (let i = 0; i < 1000 && t.node.webhooks.get(endpoint.id).deadLettered === 0; i++) {
      await t.node.deliveries.drain();
      clock.now += HOUR;
    }
    const ep = t.node.webhooks.get(endpoint.id);
    expect(ep.status).toBe('failing');
    expect(clock.now - Date.parse('2026-03-01T00:00:00Z')).toBeGreaterThanOrEqual(72 * HOUR);
    expect(t.node.alerts.list()).toEqual([
      expect.objectContaining({ kind: 'webhook-failing', severity: 'critical', data: { endpointId: endpoint.id, eventId: 1 } }),
    ]);
    // Once failing, the next event gets one try before it is dead-lettered too.
    await t.node.deliveries.drain();
    expect(t.node.webhooks.deadLetters(endpoint.id).map((d) => d.eventId)).toEqual([1, 2]);
    expect(t.node.webhooks.get(endpoint.id)).toMatchObject({ pendingEvents: 0, deadLettered: 2 });
    const refused = t.node.webhooks.attempts(endpoint.id, 1)[0];
    expect(refused).toMatchObject({ status: null, eventId: 2 });
    expect(refused?.error).toMatch(/^connect ECONNREFUSED 127\.0\.0\.1:\d+$/);

    // The receiver returns at the same address.
    const back = await receiver();
    t.node.webhooks.remove(endpoint.id);
    t.node.webhooks.add({ url: back.url });
    await users(t, 1, 2);
    await t.node.deliveries.drain();
    expect(ids(back.got)).toEqual([3]);
  });

  it('redeliver --dead-letters delivers each dead letter once when the receiver is back', async () => {
    const { t, clock } = await setup();
    const rx = await receiver();
    rx.answer = 503;
    t.node.settings.set('webhookRetryHours', 1);
    const { endpoint } = t.node.webhooks.add({ url: rx.url });
    await users(t, 2);
    for (let i = 0; i < 1000 && t.node.webhooks.get(endpoint.id).deadLettered < 2; i++) {
      await t.node.deliveries.drain();
      clock.now += 5 * 60_000;
    }
    expect(t.node.webhooks.get(endpoint.id)).toMatchObject({ status: 'failing', deadLettered: 2 });
    expect(t.node.webhooks.deadLetters(endpoint.id)[0]).toMatchObject({ eventId: 1, lastError: 'HTTP 503' });
    rx.answer = 200;
    rx.got.length = 0;
    expect(t.node.webhooks.redeliver(endpoint.id, { deadLetters: true })).toEqual({ requeued: 2 });
    await t.node.deliveries.drain();
    expect(ids(rx.got)).toEqual([1, 2]);
    expect(t.node.webhooks.get(endpoint.id)).toMatchObject({ status: 'active', deadLettered: 0 });
    await t.node.deliveries.drain();
    expect(rx.got).toHaveLength(2);
  });

  it('a failing endpoint never delays another one', async () => {
    const { t } = await setup();
    const bad = await receiver();
    bad.answer = 500;
    const good = await receiver();
    t.node.webhooks.add({ url: bad.url });
    t.node.webhooks.add({ url: good.url });
    await users(t, 3);
    await t.node.deliveries.drain();
    expect(ids(good.got)).toEqual([1, 2, 3]);
    expect(ids(bad.got)).toEqual([1]);
  });

  it('redirects are not followed (a failure), and only http(s) URLs and known event types are accepted', async () => {
    const { t } = await setup();
    const target = await receiver();
    const rx = await receiver();
    rx.answer = 302;
    rx.headers = { location: target.url };
    const { endpoint } = t.node.webhooks.add({ url: rx.url });
    await users(t, 1);
    await t.node.deliveries.drain();
    expect(target.got).toHaveLength(0);
    expect(t.node.webhooks.attempts(endpoint.id)[0]).toMatchObject({ status: 302, error: 'HTTP 302' });
    expect(() => t.node.webhooks.add({ url: 'ftp://example.com/x' })).toThrow('webhook URLs must be http or https, not ftp');
    expect(() => t.node.webhooks.add({ url: 'file:///etc/passwd' })).toThrow('webhook URLs must be http or https');
    expect(() => t.node.webhooks.add({ url: 'not a url' })).toThrow('is not a URL');
    expect(() => t.node.webhooks.add({ url: rx.url, events: 'user.renamed' })).toThrow('unknown event type or pattern "user.renamed"');
  });

  it('rotate-secret: both secrets sign during the grace period, only the new one after it', async () => {
    const { t, clock } = await setup();
    const rx = await receiver();
    const { endpoint, secret: old } = t.node.webhooks.add({ url: rx.url });
    const { secret: fresh } = t.node.webhooks.rotateSecret(endpoint.id, 24 * HOUR);
    await users(t, 1);
    await t.node.deliveries.drain();
    const sig = String(rx.got[0]?.headers['scimdesk-signature']);
    expect(sig.match(/v1=/g)).toHaveLength(2);
    const now = Math.floor(clock.now / 1000);
    expect(verify(old, sig, String(rx.got[0]?.body), now)).toBe(true);
    expect(verify(fresh, sig, String(rx.got[0]?.body), now)).toBe(true);
    clock.now += 25 * HOUR;
    await users(t, 1, 1);
    await t.node.deliveries.drain();
    const later = String(rx.got[1]?.headers['scimdesk-signature']);
    expect(later.match(/v1=/g)).toHaveLength(1);
    expect(verify(fresh, later, String(rx.got[1]?.body), Math.floor(clock.now / 1000))).toBe(true);
    expect(verify(old, later, String(rx.got[1]?.body), Math.floor(clock.now / 1000))).toBe(false);
  });

  it('redeliver --from, disable/enable, test ping', async () => {
    const { t } = await setup();
    const rx = await receiver();
    const { endpoint } = t.node.webhooks.add({ url: rx.url });
    await users(t, 3);
    await t.node.deliveries.drain();
    expect(t.node.webhooks.redeliver(endpoint.id, { from: 2 })).toEqual({ requeued: 2 });
    await t.node.deliveries.drain();
    expect(ids(rx.got)).toEqual([1, 2, 3, 2, 3]);
    t.node.webhooks.setEnabled(endpoint.id, false);
    await users(t, 1, 3);
    await t.node.deliveries.drain();
    expect(t.node.webhooks.get(endpoint.id)).toMatchObject({ status: 'disabled', pendingEvents: 1 });
    t.node.webhooks.setEnabled(endpoint.id, true);
    await t.node.deliveries.drain();
    expect(ids(rx.got).slice(-1)).toEqual([4]);
    const ping = await t.node.webhooks.test(endpoint.id);
    expect(ping).toMatchObject({ status: 200, error: null });
    const last = rx.got[rx.got.length - 1];
    expect(JSON.parse(String(last?.body))).toMatchObject({ type: 'ping', data: { endpointId: endpoint.id } });
    expect(last?.headers['scimdesk-event-type']).toBe('ping');
    expect(() => t.node.webhooks.redeliver(endpoint.id, {})).toThrow('redeliver needs --from EVENT_ID or --dead-letters');
  });
});
